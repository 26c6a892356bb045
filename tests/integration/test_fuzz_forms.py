"""Every form, with generated input, through the services it calls, on the real database: each submission
is refused with a DomainError that says why, and then nothing at all has changed, or it is done and the
database holds what was asked. Never another exception (the UI would only say "unexpected error")."""

from __future__ import annotations

import math
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplace.api.tokens import TokenServices
from marketplace.demo.catalogue import DEMO_ACCOUNTS
from marketplace.domain.errors import DomainError
from marketplace.routing_settings import EDITABLE
from marketplace.runtime.embedded import EmbeddedPostgres
from marketplace.webhooks.service import WebhookServices
from tests.fuzz import DB_FUZZ, JSON, NASTY, TEXT, FuzzDb, fuzz_db, snapshot
from tests.integration.journeys import RECYCLER, Journeys
from ui.action_inputs import action_data

# Imported at collection: Reflex registers its states in the context of the first import.
from ui.pages.retire import _parse

FORM_VALUE = st.one_of(TEXT, NASTY, st.integers(-10**20, 10**20), st.floats(), st.none(), st.booleans(), JSON)


class Env:
    """The test's database, the demo accounts' sessions, and devices ready for each action."""

    def __init__(self, db: FuzzDb) -> None:
        self.db = db
        self.journeys = Journeys(db)  # type: ignore[arg-type]  (duck-typed: pool, settings, marketplace)
        self.ready: dict[str, str] = {}

    async def token(self, role: str) -> str:
        return await self.journeys.token(role)

    async def device_for(self, action: str) -> str:
        """A device in the state where `action` is allowed (a new one once the last one has moved on)."""
        if action not in self.ready:
            state, storage = READY_STATE[action]
            self.ready[action] = await self.journeys.device_in(state, has_storage=storage)
        return self.ready[action]


@pytest.fixture
async def own_env(fresh_dsn: str) -> AsyncIterator[Env]:
    """A database for this test alone (its changes, to organisations or routing, would disturb the others)."""
    async with fuzz_db(fresh_dsn) as db:
        yield Env(db)


@pytest.fixture(scope="module")
async def env(pg_server: EmbeddedPostgres) -> AsyncIterator[Env]:
    """One database for the tests whose changes cannot disturb each other (a database costs seconds)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    dsn = pg_server.create_database(name)
    try:
        # Every device offered to every eligible workshop, which never fills up: thousands of examples
        # (SV_FUZZ=long) must not push the demo refurbisher out of the offers its journeys claim.
        async with fuzz_db(dsn, routing_k=100) as db:
            async with db.pool.acquire() as conn:
                await conn.execute("UPDATE organisations SET capacity = 100000 WHERE slug = 'repar-acteurs-brest'")
            yield Env(db)
    finally:
        pg_server.drop_database(name)


async def refused_or_done(env: Env, call: Callable[[], Awaitable[Any]],
                          skip: frozenset[str] = frozenset()) -> tuple[bool, Any, dict[str, tuple[int, str]]]:
    """Run a submission: (True, result, snapshot before) when done; (False, ...) when refused, nothing changed."""
    before = await snapshot(env.db.pool, skip)
    try:
        return True, await call(), before
    except DomainError as exc:
        assert str(exc).strip(), "a refusal says why"
        assert await snapshot(env.db.pool, skip) == before, f"refused ({exc}) but the database changed"
        return False, None, before


# --- lifecycle actions (device page) ----------------------------------------------------------------
READY_STATE: dict[str, tuple[str, bool]] = {
    "claim": ("offered", False), "decline": ("offered", False), "collect": ("claimed", False),
    "diagnose": ("collected", False), "wipe": ("diagnosed", True), "refurbish": ("diagnosed", False),
    "reserve": ("refurbished", False), "cancel_reservation": ("reserved", False), "deliver": ("reserved", False),
    "return": ("delivered", False), "harvest": ("diagnosed", False), "recycle": ("diagnosed", False),
    "write_off": ("retired", False),
}
ROLE = {"claim": "refurbisher", "decline": "refurbisher", "collect": "asset_manager", "diagnose": "refurbisher",
        "wipe": "refurbisher", "refurbish": "refurbisher", "reserve": "third_place",
        "cancel_reservation": "third_place", "deliver": "refurbisher", "return": "third_place",
        "harvest": "refurbisher", "recycle": "refurbisher", "write_off": "admin"}
TARGET = {"claim": "claimed", "decline": "offered", "collect": "collected", "diagnose": "diagnosed",
          "wipe": "wiped", "refurbish": "refurbished", "reserve": "reserved", "cancel_reservation": "refurbished",
          "deliver": "delivered", "return": "returned", "harvest": "harvested", "recycle": "recycled",
          "write_off": "written_off"}


def baseline(action: str, code: str) -> dict[str, Any]:
    """What a user fills in the action's form on the device page, correctly."""
    today = date.today()
    return {
        "decline": {"reason": "plus de place à l'atelier"}, "return": {"reason": "fin du prêt"},
        "write_off": {"reason": "volé lors du déménagement"}, "collect": {"confirm_code": code},
        "deliver": {"confirm_code": code, "beneficiary_category": "students"},
        "diagnose": {"outcome": "refurbishable", "findings": "tout fonctionne"},
        "wipe": {"method": "Purge", "technique": "ATA Secure Erase", "tool": "nwipe", "tool_version": "0.36",
                 "verification": "full", "operator": "Yann Kerjean", "sanitised_on": today.isoformat(),
                 "media_0_make": "Samsung", "media_0_model": "PM871", "media_0_serial": "S1", "signature": "Yann"},
        "refurbish": {"grade": "B", "os_installed": "Linux Mint", "tests_passed": "clavier\nécran"},
        "reserve": {"hold_until": (today + timedelta(days=3)).isoformat()},
        "harvest": {"parts": "2 x barrette RAM\nécran"},
        "recycle": {"recycler": RECYCLER, "weight_kg": "2,3", "slip_number": "BSD-1",
                    "storage_destruction_certified": "on"},
    }.get(action, {})


FIELDS = ["reason", "confirm_code", "handover_code", "beneficiary_category", "outcome", "findings", "method", "technique", "tool",
          "tool_version", "verification", "operator", "sanitised_on", "media_0_make", "media_1_serial", "signature",
          "grade", "os_installed", "tests_passed", "hold_until", "parts", "recycler", "weight_kg", "slip_number",
          "storage_destruction_certified", "action", "extra"]
DATES = st.one_of(st.dates().map(date.isoformat), st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "demain"]))
CHANGES = st.dictionaries(st.sampled_from(FIELDS), st.one_of(FORM_VALUE, DATES), max_size=3)


@DB_FUZZ
@given(action=st.sampled_from(sorted(READY_STATE) + ["teleport", ""]), changes=CHANGES,
       removed=st.lists(st.sampled_from(FIELDS), max_size=2), as_role=st.sampled_from([None, "auditor", "maker"]))
async def test_lifecycle_action_forms(env: Env, action: str, changes: dict[str, Any], removed: list[str],
                                      as_role: str | None) -> None:
    known = action in READY_STATE
    code = await env.device_for(action if known else "write_off")
    form = {**baseline(action, code), **changes}
    for name in removed:
        form.pop(name, None)
    token = await env.token(as_role or ROLE.get(action, "admin"))

    async def submit() -> Any:
        return await env.db.marketplace.perform(token, code, action, action_data(action, form, "fr"))

    ok, done, before = await refused_or_done(env, submit)
    if not ok:
        return
    assert known and as_role is None, f"{action} by {as_role} done"
    assert done.state == TARGET[action]
    env.ready.pop(action, None)  # the device has moved on
    after = await snapshot(env.db.pool)
    assert after["asset_events"][0] == before["asset_events"][0] + 1
    page = await env.db.marketplace.device_page(code, token)
    assert page.chain_ok and page.device.state == TARGET[action]


# --- retiring a device by hand (/retirer) -------------------------------------------------------------
RETIRE_FIELDS = {"category": st.sampled_from(["laptop", "desktop", "monitor", "grille-pain", ""]),
                 "brand": TEXT, "model": TEXT, "serial": TEXT, "year": st.one_of(TEXT, st.sampled_from(
                     ["2019", "1979", "3000", "20190", "٢٠١٩", "2019 "])),
                 "condition": st.sampled_from(["working", "faulty", "broken", "unknown", "neuf"]),
                 "has_storage": st.sampled_from(["on", "", True, "true"]), "inventory_number": TEXT}


@DB_FUZZ
@given(form=st.fixed_dictionaries({}, optional=RETIRE_FIELDS), fresh=st.booleans())
async def test_retire_form(env: Env, form: dict[str, Any], fresh: bool) -> None:
    if fresh and isinstance(form.get("serial"), str):
        form["serial"] = f"{form['serial']}-{uuid.uuid4().hex[:6]}"
    token = await env.token("asset_manager")

    async def submit() -> Any:
        return await env.db.marketplace.retire_device(token, _parse(form, "fr"))

    ok, done, _ = await refused_or_done(env, submit)
    if not ok:
        return
    assert done.state == "retired"
    async with env.db.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT brand, model, serial FROM assets WHERE code = $1", done.code.replace("-", ""))
    asked = _parse(form, "fr")  # as the form's contract reads it (its whitespace is Unicode's, not str.strip's)
    assert (row["brand"], row["model"], row["serial"]) == (asked.brand, asked.model, asked.serial)


# --- administration: organisations and accounts ------------------------------------------------------
ORG_FIELDS = {"slug": st.one_of(TEXT, st.sampled_from(["atelier-neuf", "lycee-des-embruns-brest", "A B"])),
              "name": TEXT, "kind": st.sampled_from(["association", "fablab", "lycee", "region", "pirate", ""]),
              "pays_code": st.sampled_from(["brest", "rennes", "atlantis", "", "x" * 41]), "town": TEXT,
              "accepted_categories": st.one_of(st.lists(st.sampled_from(["laptop", "monitor", "toaster"])), TEXT),
              "capacity": st.one_of(st.integers(-10, 10**12), TEXT), "contact_email": st.one_of(
                  st.none(), TEXT, st.sampled_from(["a@b.fr", "x@localhost", "a@b.fr\x00"])),
              "disabled": st.booleans(), "extra": TEXT}


@DB_FUZZ
@given(data=st.fixed_dictionaries({}, optional=ORG_FIELDS), create=st.booleans(),
       as_admin=st.booleans())
async def test_organisation_forms(own_env: Env, data: dict[str, Any], create: bool, as_admin: bool) -> None:
    env = own_env
    token = await env.token("admin" if as_admin else "auditor")
    ok, _, _ = await refused_or_done(env, lambda: env.db.marketplace.save_organisation(token, data, create))
    if not ok:
        return
    assert as_admin
    orgs = {o.slug: o for o in await env.db.marketplace.list_organisations(await env.token("admin"))}
    saved = orgs[str(data["slug"]).strip()]
    assert (saved.name, saved.town, saved.capacity) == (
        str(data["name"]).strip(), str(data["town"]).strip(), int(data.get("capacity", saved.capacity)))


ACCOUNT_FIELDS = {"email": st.one_of(TEXT, st.sampled_from(["new@atelier.fr", DEMO_ACCOUNTS["maker"][0], "x@y"])),
                  "display_name": TEXT, "org_slug": st.sampled_from(["repar-acteurs-brest", "nowhere", "", "É"]),
                  "password": st.one_of(TEXT, st.just("a-long-enough-password")), "is_admin": FORM_VALUE,
                  "extra": TEXT}


@DB_FUZZ
@given(data=st.fixed_dictionaries({}, optional=ACCOUNT_FIELDS), user=st.one_of(TEXT, st.uuids().map(str)),
       password=TEXT, disable=st.booleans())
async def test_account_forms(env: Env, data: dict[str, Any], user: str, password: str, disable: bool) -> None:
    admin = await env.token("admin")
    m = env.db.marketplace
    if isinstance(data.get("email"), str) and data["email"].startswith("new@"):
        data["email"] = f"new-{uuid.uuid4().hex[:6]}@atelier.fr"
    ok, _, _ = await refused_or_done(env, lambda: m.create_account(admin, data))
    if ok:
        accounts = {a.email: a for a in await m.list_accounts(admin)}
        created = accounts[str(data["email"]).strip().lower()] if str(data["email"]).strip().lower() in accounts \
            else accounts[str(data["email"]).strip()]
        assert created.org_slug == data["org_slug"] and created.display_name == str(data["display_name"]).strip()
        signed = await m.sign_in(created.email, str(data["password"]))  # the password works as typed
        await m.sign_out(signed.token)
    # Disabling or resetting an unknown / malformed user id: refused, nothing changed (sessions included).
    await refused_or_done(env, lambda: m.set_account_disabled(admin, user, disable))
    await refused_or_done(env, lambda: m.reset_password(admin, user, password))


# --- routing settings (/admin/routage) ----------------------------------------------------------------
SETTING_VALUES = st.one_of(
    st.integers(-5, 10**30).map(str), st.floats().map(str), TEXT,
    st.sampled_from(["3", "0", "1e309", "inf", "nan", "-0", "1_000", "72,5", "1e300", "8761"]))


@DB_FUZZ
@given(changes=st.dictionaries(st.sampled_from([*EDITABLE, "demo_mode", "database_url", ""]), SETTING_VALUES,
                               max_size=3))
async def test_routing_settings_form(own_env: Env, changes: dict[str, str]) -> None:
    env = own_env
    admin = await env.token("admin")
    m = env.db.marketplace
    ok, done, _ = await refused_or_done(env, lambda: m.change_routing_settings(admin, changes))
    current = await m.routing_settings(admin)
    # Whatever was accepted, the router and the timers can use: finite, positive where it must be.
    for key, value in current.items():
        assert isinstance(value, (int, float)) and math.isfinite(value), (key, value)
    assert current["routing_k"] >= 1 and current["routing_max_rounds"] >= 1
    timedelta(hours=current["offer_ttl_hours"]) + timedelta(hours=current["pickup_deadline_hours"])
    assert 0 < current["offer_ttl_hours"] and 0 < current["pickup_deadline_hours"]
    if ok:
        assert set(done) <= set(changes)


# --- integrations: webhooks and API tokens -------------------------------------------------------------
URLS = st.one_of(TEXT, st.sampled_from([
    "https://partenaire.example/hook", "http://[", "http://[::1]/x", "https://user:pw@host:99999/", "http://127.0.0.1/",
    "https://10.0.0.1/", "javascript:alert(1)", "https://exa mple.org", "https://ex\x00ample.org", "http://:80",
    "https://" + "a" * 600 + ".org", "https://xn--80ak6aa92e.com", "https://例え.テスト/", "http://0x7f000001/",
]))


@DB_FUZZ
@given(url=URLS, name=TEXT, some_id=st.one_of(TEXT, st.uuids().map(str)), role=st.sampled_from(
    ["asset_manager", "refurbisher", "auditor"]))
async def test_webhook_and_api_token_forms(env: Env, url: str, name: str, some_id: str, role: str) -> None:
    token = await env.token(role)
    hooks, tokens = WebhookServices(env.db.marketplace), TokenServices(env.db.marketplace)
    ok, done, _ = await refused_or_done(env, lambda: hooks.register(token, url))
    if ok:
        assert done.url == url.strip() and done.secret.startswith("whsec_")
        await hooks.remove(token, done.id)
    ok, created, _ = await refused_or_done(env, lambda: tokens.create(token, name))
    if ok:
        assert created.name == name.strip() and created.token.startswith("svk_")
        await tokens.revoke(token, created.id)
    await refused_or_done(env, lambda: hooks.remove(token, some_id))
    await refused_or_done(env, lambda: tokens.revoke(token, some_id))


# --- the other small forms: claim from the inbox, scan a code, resolve a dead letter, catalogue filters ---
@DB_FUZZ
@given(text=st.one_of(TEXT, st.uuids().map(str)), number=st.integers(-2**70, 2**70), replay=st.booleans(),
       ram=st.one_of(st.none(), st.floats()))
async def test_small_forms(env: Env, text: str, number: int, replay: bool, ram: float | None) -> None:
    m = env.db.marketplace
    tokens = {role: await env.token(role) for role in ("refurbisher", "admin", "third_place")}
    before = await snapshot(env.db.pool)
    for call in (lambda: m.claim_offer(tokens["refurbisher"], text), lambda: m.device_page(text),
                 lambda: m.resolve_dead_letter(tokens["admin"], number, replay),
                 lambda: m.catalogue(tokens["third_place"], text, text, text, ram),
                 lambda: m.catalogue(tokens["third_place"], None, None, None, text, min_storage_gb=text,
                                     min_screen_in=text),
                 lambda: m.all_devices(tokens["admin"], text, text, pays=text, retired_from=text, retired_to=text),
                 lambda: m.route_again(tokens["admin"], text)):
        try:
            await call()  # a read, or a refusal
        except DomainError as exc:
            assert str(exc).strip()
    assert await snapshot(env.db.pool) == before
