"""`audit verify --jobs N`: the chains split between N processes, each over its share of the device ids.

Chains are independent, so each process walks its own range of `assets.id` (the UUID space cut into N equal
parts) on its own connection, and the reports are merged in id order, as one walk would have listed them.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from marketplace.adapters import audit_queries as q
from marketplace.adapters.pool import create_pool, dsn_of
from marketplace.audit.service import AuditReport, AuditService

_SPACE = 1 << 128


def _uuid_text(value: int) -> str:
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def id_ranges(jobs: int) -> list[tuple[str, str]]:
    """`jobs` consecutive (after, until] ranges covering every id the one-process walk covers."""
    bounds = [_SPACE * k // jobs for k in range(jobs + 1)]
    ranges = [(_uuid_text(bounds[k] - 1 if k else 0), _uuid_text(bounds[k + 1] - 1)) for k in range(jobs)]
    assert ranges[0][0] == q.ZERO_UUID and ranges[-1][1] == q.LAST_UUID
    return ranges


def _job(dsn: str, after: str, until: str, full: bool) -> AuditReport:
    async def main() -> AuditReport:
        pool = await create_pool(dsn, 1)
        try:
            report = AuditReport()
            await AuditService(pool).verify_chains(report, full=full, after=after, until=until)
            return report
        finally:
            await pool.close()

    return asyncio.run(main())


async def verify_chains_parallel(dsn: str, report: AuditReport, jobs: int, full: bool) -> None:
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = await asyncio.gather(*(loop.run_in_executor(pool, _job, dsn, after, until, full)
                                       for after, until in id_ranges(jobs)))
    report.full = full
    for part in parts:
        report.devices += part.devices
        report.events += part.events
        report.unchanged += part.unchanged
        report.broken.extend(part.broken)


async def verify(service: AuditService, last_days: int | None = None, full: bool = True,
                 jobs: int = 1) -> AuditReport:
    """Chains then digests; `jobs` > 1 splits the chains between that many processes (one without a DSN)."""
    dsn = dsn_of(service.pool)
    if jobs <= 1 or dsn is None:
        return await service.verify(last_days, full=full)
    report = AuditReport()
    await verify_chains_parallel(dsn, report, jobs, full)
    await service.verify_digests(report, last_days)
    return report
