"""`seconde-vie admin create`: the first administrator of a fresh database (and the Région's organisation).

Never a password on the command line (it would sit in the shell's history and in `ps`): at a terminal the
operator types it twice (getpass); otherwise (compose, a script) the command prints a single-use link.
"""

from __future__ import annotations

import argparse
import getpass
import sys

import asyncpg

from marketplace.cli.words import say
from marketplace.domain.errors import DomainError
from marketplace.i18n import catalogues
from marketplace.runtime.operator_db import run_on_database
from marketplace.services.account_links import LinkServices
from marketplace.services.first_admin import FirstAdmin, create_admin
from marketplace.settings import Settings


def _typed_password() -> str | None:
    """The password typed twice at a terminal, or None when stdin is not one."""
    if not sys.stdin.isatty():
        return None
    while True:
        first = getpass.getpass(say("cli.admin.password"))
        if not first:
            return None  # an empty answer: print a link instead
        if getpass.getpass(say("cli.admin.password_again")) == first:
            return first
        print(say("cli.admin.password_mismatch"), file=sys.stderr)


def run_admin(settings: Settings, args: argparse.Namespace) -> int:
    admin = FirstAdmin(args.email, args.name, args.org, args.org_name, args.pays)
    password = _typed_password()

    async def work(pool: asyncpg.Pool) -> int:
        try:
            link = await create_admin(LinkServices(pool, settings), admin, password)
        except DomainError as err:
            print(err.render(catalogues.language_from_environment()), file=sys.stderr)
            return 1
        if link is None:
            print(say("cli.admin.created", email=admin.email))
        else:
            print(say("cli.admin.created_link", email=admin.email,
                      minutes=round(settings.reset_link_ttl_minutes)))
            print(LinkServices(pool, settings).link_url(link))
        return 0

    return run_on_database(settings, work)
