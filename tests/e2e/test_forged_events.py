"""Every command of the UI, forged over the event socket by every role that must not run it: refused, and the
database unchanged.

A browser only ever sends events: which buttons a page shows is no protection. Here each demo role signs in
once, and its page sends, as the browser would, every state-changing Reflex event handler it has no right to
call, aimed at real demo data (devices in the right state but not its own, another organisation's offers,
reservations, API token and webhook, a real account and organisation, a dead letter). Each one must come back
with a refusal (the handler's error message, for a reason of role or custody, not of bad input) and leave
every table a command can write exactly as it was. A last test replays a signed-out tab's client token.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from reflex.state import UpdateVarsInternalState

from marketplace.auth.credentials import token_hash
from marketplace.demo.loader import DEMO_ACCOUNTS
from marketplace.domain.lifecycle import TRANSITIONS
from marketplace.domain.permissions import EVENT_OF_ACTION, ROLES, Action
from tests.e2e.forging import Database, Forger, changed, form_entries
from tests.e2e.lifecycle_steps import signed_in
from ui.pages.admin_accounts import AdminAccountsState
from ui.pages.admin_dead_letters import AdminDeadLettersState
from ui.pages.admin_orgs import AdminOrgsState
from ui.pages.admin_routing import AdminRoutingState
from ui.pages.admin_unclaimed import AdminUnclaimedState
from ui.pages.catalogue import CatalogueState
from ui.pages.device_actions import DeviceActionsState
from ui.pages.import_csv import ImportState
from ui.pages.integrations import IntegrationsState
from ui.pages.labels_panel import LabelsState
from ui.pages.offers import OffersState
from ui.pages.reports import ReportsState
from ui.pages.reservations import ReservationsState
from ui.pages.retire import RetireState
from ui.pages.webhooks_panel import WebhooksState
from ui.routes import (
    ADMIN_ACCOUNTS,
    ADMIN_DEAD_LETTERS,
    ADMIN_ORGS,
    ADMIN_ROUTING,
    ADMIN_UNCLAIMED,
    CATALOGUE,
    HOME,
    IMPORT_CSV,
    INTEGRATIONS,
    OFFERS,
    REPORTS,
    RESERVATIONS,
    RETIRE,
    device,
)
from ui.state import SessionState

ROLES_UNDER_TEST = ("asset_manager", "refurbisher", "maker", "recycler", "third_place", "auditor", "admin")
ORG = {role: DEMO_ACCOUNTS[role][3] for role in ROLES_UNDER_TEST}
# The demo admin belongs to the Région (a donor): its role is asset_manager, and it is an administrator.
ROLE_OF = {**{r: r for r in ROLES_UNDER_TEST}, "admin": "asset_manager"}
# An organisation no demo account belongs to: its API token and webhook are nobody's here.
OTHER_ORG = "atelier-du-clic-rennes"
# Refusals for the wrong reason would prove nothing: the payloads are valid, aimed at a device in the right state.
WRONG_REASONS = ("Donnée invalide", "Impossible de passer", "Aucun appareil ne porte", "erreur inattendue",
                 "Veuillez vous connecter", "n'est pas un code")

DEVICES = """
SELECT a.code, a.state, d.slug AS donor, c.slug AS custodian, cl.slug AS claimer,
       array(SELECT o.slug FROM offers f JOIN organisations o ON o.id = f.org_id
             WHERE f.asset_id = a.id AND f.status = 'open') AS offered_to,
       array(SELECT o.slug FROM reservations r JOIN organisations o ON o.id = r.org_id
             WHERE r.asset_id = a.id AND r.status = 'active') AS reserved_by
FROM assets a JOIN organisations d ON d.id = a.donor_org_id
LEFT JOIN organisations c ON c.id = a.custodian_org_id LEFT JOIN organisations cl ON cl.id = a.claimer_org_id
ORDER BY a.code
"""


@dataclass(frozen=True)
class Device:
    code: str
    state: str
    parties: frozenset[str]  # every organisation with a say on it: donor, custodian, claimer, offered to, reserver


@dataclass(frozen=True)
class Command:
    """One state-changing handler: who may call it, and the event a role without that right forges."""

    name: str
    state: type
    handler: str
    allowed: frozenset[str]
    forge: Callable[[str], tuple[dict[str, Any], str]]  # role -> (payload, page path)
    error_var: str = "error"
    background: bool = False


@dataclass(frozen=True)
class Targets:
    devices: list[Device]
    offers: list[tuple[str, str]]  # (offer id, organisation it is addressed to)
    admin_user_id: str
    letter_id: str
    token_id: str
    webhook_id: str

    def device(self, role: str, states: frozenset[str] | set[str]) -> Device:
        """A device in one of `states` in which the role's organisation has no part."""
        for d in self.devices:
            if d.state in states and ORG[role] not in d.parties:
                return d
        raise AssertionError(f"the demo data has no device in {sorted(states)} outside {ORG[role]}")

    def offer(self, role: str) -> str:
        return next(offer_id for offer_id, org in self.offers if org != ORG[role])


def _device_form(action: Action, code: str) -> dict[str, Any]:
    """A valid form of the device page for `action` (what its section would submit)."""
    return {"action": action.value, **{
        Action.claim: {},
        Action.decline: {"reason": "forged decline"},
        Action.collect: {"confirm_code": code},
        Action.diagnose: {"outcome": "refurbishable", "findings": "forged"},
        Action.wipe: {"method": "Purge", "technique": "ATA Secure Erase", "tool": "nwipe", "tool_version": "0.36",
                      "verification": "full", "operator": "Forger", "sanitised_on": date.today().isoformat(),
                      "media_0_make": "Samsung", "media_0_model": "PM871", "media_0_serial": "S2NF0001",
                      "destination": "reuse", "signature": "Forger"},
        Action.refurbish: {"grade": "A", "os_installed": "Linux Mint 22", "tests_passed": "clavier"},
        Action.reserve: {},
        Action.cancel_reservation: {},
        Action.deliver: {"confirm_code": code, "beneficiary_category": "job_seekers"},
        Action.return_: {"reason": "forged return"},
        Action.harvest: {"parts": "2 x RAM module"},
        Action.recycle: {"weight_kg": "2,3", "slip_number": "BSD-FORGED", "storage_destruction_certified": "on",
                         "recycler": "deee-ouest-recyclage-vitre"},
        Action.write_off: {"reason": "forged write-off"},
    }[action]}


def commands(t: Targets) -> list[Command]:
    """The matrix: every handler of the UI that writes, and who may call it (permissions.py and the services)."""
    asset_managers = frozenset({"asset_manager", "admin"})
    admin = frozenset({"admin"})

    def device_action(action: Action) -> Command:
        sources = {s.value for s in TRANSITIONS[EVENT_OF_ACTION[action]].sources}
        # The role is not the whole right: a workshop may diagnose, but only the devices it holds. So every role
        # forges every step on a device it has no part in; only an admin's write-off and a third place's
        # reservation of a refurbished device need nothing more than who they are.
        rightful = admin if action is Action.write_off else (
            frozenset({"third_place"}) if action is Action.reserve else frozenset())
        roles = sorted(r for r in ROLES_UNDER_TEST if ROLE_OF[r] in ROLES[action]) or ["admin"]

        def forge(role: str) -> tuple[dict[str, Any], str]:
            code = t.device(role, sources).code
            return {"form": _device_form(action, code)}, device(code)

        return Command(f"device {action.value} (role {'/'.join(roles)}, on others' devices)", DeviceActionsState,
                       "submit", rightful, forge)

    def cancel(role: str) -> tuple[dict[str, Any], str]:
        return {"code": t.device(role, {"reserved"}).code}, RESERVATIONS

    def decline(role: str) -> tuple[dict[str, Any], str]:
        return {"form": {"code": t.device(role, {"offered"}).code, "reason": "forged decline"}}, OFFERS

    retire_form = {"category": "laptop", "brand": "Dell", "model": "Latitude 5490", "serial": "FORGED-0001",
                   "year": "2019", "condition": "working", "has_storage": "on", "inventory_number": ""}
    org_form = {"slug": "forged-org", "name": "Forged", "kind": "association", "pays_code": "BREST", "town": "Brest",
                "accepted_categories": ["laptop"], "capacity": "5", "contact_email": ""}
    org_update = {"slug": OTHER_ORG, "name": "Forged", "pays_code": "RENNES", "town": "Rennes",
                  "accepted_categories": ["laptop"], "capacity": "1", "contact_email": "", "disabled": "on"}
    account_form = {"email": "forged@e2e.demo", "display_name": "Forged", "org_slug": OTHER_ORG,
                    "password": "forged-password-2026", "is_admin": "on"}

    def fixed(payload: dict[str, Any], path: str = HOME) -> Callable[[str], tuple[dict[str, Any], str]]:
        return lambda role: (payload, path)

    def handover_code(role: str) -> tuple[dict[str, Any], str]:
        return {}, device(t.device(role, {"claimed", "reserved"}).code)

    return [
        *[device_action(a) for a in Action],
        # Only the handing side of a pending handover may show a code: no one here has a part in the device.
        Command("show a handover code (a device you do not hand over)", DeviceActionsState, "show_handover_code",
                frozenset(), handover_code),
        Command("claim an offer (another organisation's)", OffersState, "claim", frozenset(),
                lambda role: ({"offer_id": t.offer(role)}, OFFERS)),
        Command("decline an offer (not addressed to you)", OffersState, "decline", frozenset(), decline),
        Command("reserve from the catalogue", CatalogueState, "reserve", frozenset({"third_place"}),
                lambda role: ({"code": t.device(role, {"refurbished"}).code}, CATALOGUE)),
        Command("cancel a reservation (another's)", ReservationsState, "cancel", frozenset(), cancel),
        Command("retire a device", RetireState, "submit", asset_managers, fixed({"form": retire_form}, RETIRE)),
        Command("confirm a CSV import", ImportState, "confirm", asset_managers, fixed({}, IMPORT_CSV),
                background=True),
        Command("print labels (download ticket)", LabelsState, "print_labels", asset_managers,
                lambda role: ({"form": {"label_format": "a4-3x7", "label_state": "",
                                        "label_codes": t.devices[0].code}}, RETIRE), error_var="labels_error"),
        Command("export a report (download ticket)", ReportsState, "download", frozenset({"auditor", "admin"}),
                fixed({"name": "flows", "fmt": "csv"}, REPORTS)),
        Command("create an organisation", AdminOrgsState, "create", admin,
                fixed({"form": form_entries(org_form)}, ADMIN_ORGS)),
        Command("edit an organisation", AdminOrgsState, "update", admin,
                fixed({"form": form_entries(org_update)}, ADMIN_ORGS)),
        Command("create an account", AdminAccountsState, "create", admin,
                fixed({"form": account_form}, ADMIN_ACCOUNTS)),
        Command("disable an account", AdminAccountsState, "toggle", admin,
                fixed({"user_id": t.admin_user_id, "disable": "on"}, ADMIN_ACCOUNTS)),
        Command("reset a password", AdminAccountsState, "reset_password", admin,
                fixed({"form": {"user_id": t.admin_user_id, "new_password": "forged-password-2026"}},
                      ADMIN_ACCOUNTS)),
        Command("save routing settings", AdminRoutingState, "save", admin,
                fixed({"form": {"offer_ttl_hours": "1", "routing_k": "1"}}, ADMIN_ROUTING)),
        Command("replay a dead letter", AdminDeadLettersState, "replay", admin,
                fixed({"letter_id": t.letter_id}, ADMIN_DEAD_LETTERS)),
        Command("discard a dead letter", AdminDeadLettersState, "discard", admin,
                fixed({"letter_id": t.letter_id}, ADMIN_DEAD_LETTERS)),
        Command("route an unclaimed device again", AdminUnclaimedState, "route_again", admin,
                lambda role: ({"code": t.device(role, {"retired"}).code}, ADMIN_UNCLAIMED)),
        Command("write off an unclaimed device", AdminUnclaimedState, "write_off", admin,
                lambda role: ({"form": {"code": t.device(role, {"retired"}).code, "reason": "forged"}},
                              ADMIN_UNCLAIMED)),
        Command("revoke an API token (another organisation's)", IntegrationsState, "revoke_token", frozenset(),
                fixed({"token_id": t.token_id}, INTEGRATIONS), error_var="token_error"),
        Command("remove a webhook (another organisation's)", WebhooksState, "remove_webhook", frozenset(),
                fixed({"webhook_id": t.webhook_id}, INTEGRATIONS), error_var="webhook_error"),
    ]


@pytest.fixture(scope="module")
def db(stack_database_url: str) -> Iterator[Database]:
    database = Database(stack_database_url)
    database.wait_until_quiet()  # workers may still be routing what an earlier test retired
    yield database
    database.close()


@pytest.fixture(scope="module")
def targets(db: Database) -> Iterator[Targets]:
    """Real demo data to aim at, plus what the demo lacks, written here directly: an API token and a webhook of an
    organisation no demo account belongs to, and a dead letter (all removed afterwards)."""
    org_id = db.fetchval("SELECT id FROM organisations WHERE slug = $1", OTHER_ORG)
    token_id, webhook_id = str(uuid.uuid4()), str(uuid.uuid4())
    secret = uuid.uuid4().hex
    db.execute("INSERT INTO api_tokens (id, org_id, name, token_hash, prefix, expires_at) "
               "VALUES ($1, $2, 'e2e', $3, 'svk_e2e', now() + interval '30 days')",
               uuid.UUID(token_id), org_id, token_hash(secret))
    # A local address nothing listens on: should the organisation have an event meanwhile, no delivery leaves.
    db.execute("INSERT INTO webhooks (id, org_id, url, secret) VALUES ($1, $2, 'http://127.0.0.1:9/e2e', $3)",
               uuid.UUID(webhook_id), org_id, secret)
    letter_id = db.fetchval("INSERT INTO dead_letters (topic, partition, \"offset\", original, error, consumer, "
                            "attempts) VALUES ('e2e.forged', 0, $1, '\\x00'::bytea, 'e2e', 'e2e', 1) RETURNING id",
                            uuid.uuid4().int % 2**62)
    devices = [Device(r["code"], r["state"], frozenset(
        [x for x in (r["donor"], r["custodian"], r["claimer"]) if x] + list(r["offered_to"]) + list(r["reserved_by"])))
        for r in db.fetch(DEVICES)]
    offers = [(str(r["id"]), r["slug"]) for r in db.fetch(
        "SELECT f.id, o.slug FROM offers f JOIN organisations o ON o.id = f.org_id WHERE f.status = 'open' "
        "ORDER BY f.id")]
    admin_id = db.fetchval("SELECT id FROM users WHERE email = $1", DEMO_ACCOUNTS["admin"][0])
    yield Targets(devices, offers, str(admin_id), str(letter_id), token_id, webhook_id)
    # Later tests of the session share the stack: leave it as the demo made it.
    db.execute("DELETE FROM webhook_deliveries WHERE webhook_id = $1", uuid.UUID(webhook_id))
    db.execute("DELETE FROM webhooks WHERE id = $1", uuid.UUID(webhook_id))
    db.execute("DELETE FROM api_tokens WHERE id = $1", uuid.UUID(token_id))
    db.execute("DELETE FROM dead_letters WHERE id = $1", letter_id)


def _refusal_problem(text: str) -> str | None:
    if not text:
        return "no refusal: the handler reported nothing wrong"
    if any(reason in text for reason in WRONG_REASONS):
        return f"refused, but not for want of the right: {text!r}"
    return None


class TestForgedEvents:
    def test_every_role_is_refused_every_command_it_has_no_right_to(self, browser: Browser, base_url: str,
                                                                    db: Database, targets: Targets) -> None:
        matrix = commands(targets)
        failures: list[str] = []
        forged = 0
        for role in ROLES_UNDER_TEST:
            with signed_in(browser, base_url, role) as page:
                forger = Forger(page)
                forger.open(HOME)
                for command in matrix:
                    if role in command.allowed:
                        continue
                    payload, path = command.forge(role)
                    before = db.fingerprint()
                    since = len(forger.answers)
                    forger.forge(command.state, command.handler, payload, path)
                    answer = forger.answer(command.state, command.error_var, since,
                                           accept_empty=not command.background)
                    after = db.fingerprint()
                    forged += 1
                    what = f"{role} forging {command.name} ({payload})"
                    if problem := _refusal_problem(answer):
                        failures.append(f"{what}: {problem}")
                    if tables := changed(before, after):
                        failures.append(f"{what}: the database changed ({', '.join(tables)})")
        print(f"\n{forged} forged events ({len(matrix)} commands x {len(ROLES_UNDER_TEST)} roles, "
              "minus the rights each role has)")
        assert not failures, "\n".join(failures)

    def test_the_frameworks_own_handlers_do_not_make_a_session_another_role(self, browser: Browser, base_url: str,
                                                                          db: Database) -> None:
        """Reflex gives every state `setvar`, and the root an `update_vars_internal` for browser storage: neither
        may set who the session is (the vars are not settable, the token is backend-only), and the services decide
        from the server's session anyway."""
        session = SessionState.get_full_name()
        forged_identity = {"user_role": "admin", "is_admin": True, "user_email": DEMO_ACCOUNTS["admin"][0]}
        with signed_in(browser, base_url, "third_place") as page:
            forger = Forger(page)
            forger.open(HOME)
            before = db.fingerprint()
            since = len(forger.answers)
            for var, value in forged_identity.items():
                forger.forge(SessionState, "setvar", {"var_name": var, "value": value})
            forger.forge(UpdateVarsInternalState, "update_vars_internal", {"vars": {
                **{f"{session}.{var}": value for var, value in forged_identity.items()},
                f"{session}._token": "forged-session-token"}})
            # Events of one tab run in order: when this one answers, the forged ones above have run.
            forger.forge(AdminRoutingState, "save", {"form": {"offer_ttl_hours": "1"}}, ADMIN_ROUTING)
            assert forger.answer(AdminRoutingState, "error", since) == "Action réservée aux administrateurs."
            for answer in forger.answers[since:]:
                mine = answer.get("delta", {}).get(session, {})
                for var, value in forged_identity.items():
                    assert mine.get(f"{var}_rx_state_", None) != value, f"a forged event set {var} to {value!r}"
            assert not changed(before, db.fingerprint())
            expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
            page.goto(ADMIN_ROUTING)  # and the page itself still sees a third place
            expect(page.get_by_text("Cette page est réservée aux administrateurs.")).to_be_visible()

    def test_a_signed_out_tab_token_no_longer_acts(self, browser: Browser, base_url: str, db: Database) -> None:
        """The browser never holds the session secret, each sign-in mints a new one, signing out revokes it, and a
        tab token replayed after sign-out acts as nobody."""
        email, password = DEMO_ACCOUNTS["asset_manager"][:2]
        sessions = "SELECT token_hash, revoked_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1"
        context = browser.new_context(base_url=base_url, locale="fr-FR")
        page = context.new_page()
        page.goto("/connexion")
        page.wait_for_load_state("networkidle")
        known = {r["token_hash"] for r in db.fetch(sessions, email)}
        page.get_by_label("Adresse e-mail").fill(email)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
        fresh = [r for r in db.fetch(sessions, email) if r["token_hash"] not in known]
        assert len(fresh) == 1 and fresh[0]["revoked_at"] is None, "signing in did not open exactly one new session"
        session = fresh[0]["token_hash"]

        held = page.evaluate("() => [...Object.values(sessionStorage), ...Object.values(localStorage), "
                             "document.cookie]")
        held += [c["value"] for c in context.cookies()]
        assert all(token_hash(v) != session for v in held if v), "the browser holds the session secret"
        tab_token = page.evaluate("sessionStorage.getItem('token')")
        assert tab_token

        page.get_by_role("button", name="Se déconnecter").click()
        expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
        revoked = {r["token_hash"]: r["revoked_at"] for r in db.fetch(sessions, email)}
        assert revoked[session] is not None, "signing out did not revoke the session"
        context.close()

        # Another browser presents the old tab token (as if it had been stolen) and forges the donor's command.
        replay = browser.new_context(base_url=base_url, locale="fr-FR")
        try:
            replay.add_init_script(f"window.sessionStorage.setItem('token', {tab_token!r})")
            page = replay.new_page()
            forger = Forger(page)
            forger.open(HOME)
            assert page.evaluate("sessionStorage.getItem('token')") == tab_token, \
                "the server gave the replayed tab a new token: the replay tests nothing"
            before = db.fingerprint()
            since = len(forger.answers)
            form = {"category": "laptop", "brand": "Dell", "model": "Latitude 5490", "serial": "FORGED-REPLAY",
                    "year": "2019", "condition": "working", "has_storage": "on"}
            forger.forge(RetireState, "submit", {"form": form}, RETIRE)
            assert forger.answer(RetireState, "error", since) == ""  # no user: sent to the sign-in page
            expect(page).to_have_url(re.compile(r"/connexion"))
            assert not changed(before, db.fingerprint()), "a signed-out tab token changed the database"
        finally:
            replay.close()
