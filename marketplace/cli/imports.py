"""`seconde-vie import FILE --donor SLUG [--dry-run] [--skip-invalid]`: the operator's door to imports.

Trusted like any holder of DATABASE_URL (as `seconde-vie labels`); the events record `system: import-cli`.
Without DATABASE_URL it uses the embedded PostgreSQL under DATA_DIR.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TextIO

from marketplace.cli.words import say
from marketplace.commands import Actor
from marketplace.domain.errors import DomainError
from marketplace.imports.rows import parse_import
from marketplace.imports.service import ImportPreview, apply_import, preview_import
from marketplace.settings import Settings

SHOWN_ERRORS = 50


def print_preview(preview: ImportPreview, out: TextIO) -> None:
    p = preview.parsed
    print(say("cli.import.format", format=p.format, encoding=p.encoding, delimiter=p.delimiter), file=out)
    if p.ignored_columns:
        print(say("cli.import.ignored_columns", columns=", ".join(p.ignored_columns)), file=out)
    print(say("cli.import.preview", to_create=len(preview.to_create), already=len(preview.already_imported),
              errors=len({e.line for e in preview.errors})), file=out)
    for error in preview.errors[:SHOWN_ERRORS]:
        print(f"  {error}", file=out)
    if len(preview.errors) > SHOWN_ERRORS:
        print(say("cli.import.more_errors", count=len(preview.errors) - SHOWN_ERRORS), file=out)


def progress_bar(done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="" if done < total else "\n",
          file=sys.stderr, flush=True)


async def run_import(dsn: str, args: argparse.Namespace) -> int:
    from marketplace.adapters.pool import create_pool

    parsed = parse_import(Path(args.file).read_bytes(), args.donor)
    pool = await create_pool(dsn, 2)
    try:
        preview = await preview_import(pool, parsed)
        print_preview(preview, sys.stdout)
        if args.dry_run:
            print(say("cli.import.dry_run_done"))
            return 1 if preview.errors else 0
        if preview.errors and not args.skip_invalid:
            print(say("cli.import.has_errors"), file=sys.stderr)
            return 1
        outcome = await apply_import(pool, preview, Actor(org=args.donor, system="import-cli"),
                                     skip_invalid=args.skip_invalid, progress=progress_bar)
    finally:
        await pool.close()
    print(say("cli.import.done", created=len(outcome.created), already=outcome.already_imported,
              skipped=len({e.line for e in outcome.skipped})))
    return 0


def import_file(settings: Settings, args: argparse.Namespace) -> int:
    """0 when imported (or a clean dry run), 1 when the file has errors, 2 when it cannot be used at all."""
    pg = None
    dsn = settings.database_url
    if not dsn:
        from marketplace.runtime.embedded import EmbeddedPostgres

        pg = EmbeddedPostgres(settings.data_dir)
        dsn = pg.start()
    try:
        return asyncio.run(run_import(dsn, args))
    except DomainError as err:
        print(err.render(), file=sys.stderr)
        return 2
    except OSError as err:
        print(say("cli.import.unreadable", error=err), file=sys.stderr)
        return 2
    finally:
        if pg is not None:
            pg.stop()
