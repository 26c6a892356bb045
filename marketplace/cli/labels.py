"""`seconde-vie labels`: the operator's door to label sheets (see `label_service.py`)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from marketplace.cli.words import say
from marketplace.domain.errors import DomainError
from marketplace.labels.service import LabelSelection, LabelService, parse_codes
from marketplace.settings import Settings


async def _sheet(dsn: str, settings: Settings, args: argparse.Namespace) -> tuple[bytes, int]:
    from marketplace.runtime.bootstrap import build_marketplace

    marketplace = await build_marketplace(settings.model_copy(update={"database_url": dsn}))
    try:
        selection = LabelSelection(donor=args.donor, state=args.state, codes=parse_codes(args.codes))
        return await LabelService(marketplace).sheet(selection, args.format)
    finally:
        await marketplace.pool.close()


def write_labels(settings: Settings, args: argparse.Namespace) -> int:
    """Write the PDF; 2 when nothing can be printed, with the reason on stderr.

    Without DATABASE_URL it reads the embedded PostgreSQL under DATA_DIR, the one `seconde-vie up` runs
    (reused while `up` runs; started and stopped again here otherwise).
    """
    pg = None
    dsn = settings.database_url
    if not dsn:
        from marketplace.runtime.embedded import EmbeddedPostgres

        pg = EmbeddedPostgres(settings.data_dir)
        dsn = pg.start()
    try:
        pdf, count = asyncio.run(_sheet(dsn, settings, args))
    except DomainError as err:
        print(err.render(), file=sys.stderr)
        return 2
    finally:
        if pg is not None:
            pg.stop()
    Path(args.out).write_bytes(pdf)
    print(say("cli.labels.written", count=count, file=args.out, format=args.format))
    return 0
