"""Previewing and applying an import: nothing is written until the caller confirms.

Applying goes through the intake path: each row becomes the same `RetireDevice` command, handled by
the same `retire_device` handler, as an intake message or the UI form, so each device gets the same
`asset.retired` event and is routed the same way. The whole import is one transaction: a file is either
applied completely (its valid rows, when `skip_invalid` was asked for explicitly) or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import asyncpg

from marketplace.adapters import import_queries as q
from marketplace.adapters import repositories as repo
from marketplace.commands import Actor, RetireDevice
from marketplace.domain.codes import format_code
from marketplace.domain.errors import Conflict, InvalidInput
from marketplace.handlers.retire import DONOR_KINDS, retire_device
from marketplace.imports.rows import ParsedImport, ParsedRow, RowError
from marketplace.unit_of_work import UnitOfWork

Progress = Callable[[int, int], None]


@dataclass
class ImportPreview:
    parsed: ParsedImport
    to_create: list[ParsedRow] = field(default_factory=list)
    already_imported: list[tuple[ParsedRow, str]] = field(default_factory=list)  # with the device code
    errors: list[RowError] = field(default_factory=list)  # the file's, plus serials the donor already has

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportOutcome:
    created: list[str] = field(default_factory=list)  # device codes
    already_imported: int = 0
    skipped: list[RowError] = field(default_factory=list)


async def preview_import(pool: asyncpg.Pool, parsed: ParsedImport) -> ImportPreview:
    """What applying would do: new devices, rows already imported (by request id), and every error."""
    preview = ImportPreview(parsed, errors=list(parsed.errors))
    async with pool.acquire() as conn:
        donor = await repo.org_by_slug(conn, parsed.donor)
        if donor is None:
            raise InvalidInput("donor.unknown", donor=parsed.donor)
        if donor["kind"] not in DONOR_KINDS:
            raise InvalidInput("donor.not_a_donor", donor=parsed.donor, kind=donor["kind"])
        requests = [r.request for r in parsed.rows]
        done = await q.existing_requests(conn, parsed.donor, [r.request_id for r in requests])
        serials = await q.existing_serials(conn, parsed.donor, [r.serial for r in requests])
    for row in parsed.rows:
        code = done.get(row.request.request_id)
        if code is not None:
            preview.already_imported.append((row, format_code(code)))
        elif row.request.serial in serials:
            preview.errors.append(RowError(row.line, "", f"le numéro de série {row.request.serial} est déjà "
                                                         "enregistré pour votre organisation (autre appareil)"))
        else:
            preview.to_create.append(row)
    preview.errors.sort(key=lambda e: e.line)
    return preview


async def apply_import(pool: asyncpg.Pool, preview: ImportPreview, actor: Actor, skip_invalid: bool = False,
                       progress: Progress | None = None) -> ImportOutcome:
    """Retire every valid row in one transaction; refused when the file has errors and `skip_invalid` is off."""
    if preview.errors and not skip_invalid:
        raise InvalidInput(detail=f"le fichier contient {len(preview.errors)} erreur(s) : corrigez-les, ou importez "
                                  "explicitement sans les lignes en erreur ; rien n'a été importé")
    outcome = ImportOutcome(skipped=list(preview.errors))
    rows = [r for r in preview.parsed.rows if r.line not in {e.line for e in preview.errors}]
    async with UnitOfWork(pool) as uow:
        for done, row in enumerate(rows, start=1):
            try:
                retired = await retire_device(RetireDevice(row.request, actor), uow)
            except Conflict as exc:  # a concurrent import registered the serial since the preview
                if not skip_invalid:
                    raise InvalidInput(detail=f"ligne {row.line} : {exc} ; rien n'a été importé") from exc
                outcome.skipped.append(RowError(row.line, "", str(exc)))
                continue
            if retired.created:
                outcome.created.append(format_code(retired.code))
            else:
                outcome.already_imported += 1
            if progress is not None and (done % 50 == 0 or done == len(rows)):
                progress(done, len(rows))
    return outcome
