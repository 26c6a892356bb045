"""`seconde-vie admin create` on a fresh production database (no demo data): without a terminal it prints a
single-use link, never asks for or takes a password argument; the link sets the password and signs in."""

from __future__ import annotations

import asyncio
import re

import pytest

from marketplace.adapters.pool import create_pool
from marketplace.cli.main import build_parser, main
from marketplace.runtime.database_setup import prepare_database
from marketplace.services import Marketplace
from marketplace.settings import Settings

ARGS = ["admin", "create", "--email", "dsi@region.example", "--name", "Anne Le Bihan", "--org", "region-dsi",
        "--org-name", "Région Bretagne — DSI", "--pays", "RENNES"]


def test_the_command_has_no_password_argument() -> None:
    admin = build_parser()._subparsers._group_actions[0].choices["admin"]  # type: ignore[union-attr]
    assert not [a for a in admin._actions if "password" in " ".join(a.option_strings)]


def test_the_first_admin_of_a_fresh_database_gets_a_link(fresh_dsn: str, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    asyncio.run(prepare_database(fresh_dsn, demo=False))
    monkeypatch.setenv("DATABASE_URL", fresh_dsn)
    monkeypatch.setenv("BASE_URL", "https://sv.example.org")
    monkeypatch.setenv("DEMO_MODE", "false")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(ARGS) == 0
    out = capsys.readouterr().out
    link = re.search(r"https://sv\.example\.org/mot-de-passe/definir/([A-Za-z0-9_-]{43})", out)
    assert link, out
    assert main(ARGS) == 1  # a second time: the e-mail is taken
    assert "dsi@region.example" in capsys.readouterr().err

    async def use_it() -> str:
        pool = await create_pool(fresh_dsn, 2)
        try:
            m = Marketplace(pool, Settings(database_url=fresh_dsn))
            signed = await m.set_password_with_link(link.group(1), "une phrase pour la région")
            return f"{signed.user.is_admin} {signed.user.org_kind} {signed.user.org_name}"
        finally:
            await pool.close()

    assert asyncio.run(use_it()) == "True region Région Bretagne — DSI"
