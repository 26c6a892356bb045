"""/admin/comptes (admins): invite people (or create accounts), disable or re-enable one, unlock one, reset a
password, export a person's data or erase the account."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from marketplace.i18n import catalogues
from schemas.views import AccountView
from ui import i18n, routes
from ui.action_inputs import require_filled
from ui.components.action_forms import choice, field, tick
from ui.components.layout import page_shell
from ui.components.notice import error_notice, success_notice
from ui.components.table import data_table
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState

ACCOUNT_FIELDS = (("email", "admin.email"), ("display_name", "admin.display_name"), ("password", "admin.password"))


async def _filled(form: dict[str, Any], fields: tuple[tuple[str, str], ...], lang: str, call: Any) -> Any:
    """`call` awaited once the form's needed fields are filled; else refused, naming them (the forms leave the
    browser's own checks off: its bubbles speak the browser's language)."""
    try:
        require_filled(form, fields, lang)
    except Exception:
        call.close()  # the coroutine made for nothing
        raise
    return await call


class AdminAccountsState(SessionState):
    error: str = ""
    saved: bool = False
    allowed: bool = True
    org_options: list[list[str]] = []  # noqa: RUF012 (Reflex copies defaults per session)
    _accounts: list[AccountView] = []  # noqa: RUF012
    _methods: dict[str, list[str]] = {}  # noqa: RUF012 (per account id: password, proconnect)

    @rx.var
    def language_options(self) -> list[list[str]]:
        return [[code, catalogues.name(code)] for code in catalogues.languages()]

    @rx.var
    def rows(self) -> list[dict[str, str]]:
        lang = self.lang
        rows = []
        for a in self._accounts:
            status = "admin.disabled" if a.disabled else "admin.locked" if a.locked else "admin.active"
            rows.append({
                "id": a.id, "email": a.email, "name": a.display_name, "org": a.org_slug,
                "admin": i18n.text("admin.yes" if a.is_admin else "admin.no", lang),
                "status": i18n.text(status, lang),
                "method": ", ".join(i18n.text(f"admin.method.{m}", lang) for m in self._methods.get(a.id, []))
                or i18n.text("admin.method.none", lang),
                "toggle": i18n.text("admin.enable" if a.disabled else "admin.disable", lang),
                "toggle_label": f"{i18n.text('admin.enable' if a.disabled else 'admin.disable', lang)} {a.email}",
                "disable": "" if a.disabled else "on",
                "password_label": f"{i18n.text('admin.new_password', lang)} {a.email}",
                "locked": "on" if a.locked else "",
                "unlock_label": f"{i18n.text('admin.unlock', lang)} {a.email}",
                "export_label": f"{i18n.text('admin.export', lang)} {a.email}",
                "erase_label": f"{i18n.text('admin.erase', lang)} {a.email}",
                "erase_confirm_label": f"{i18n.text('admin.erase_confirm', lang)} {a.email}",
            })
        return rows

    async def load(self) -> EventSpec | None:
        self.error = ""
        self.saved = False
        return await self._reload()

    async def create(self, form: dict[str, Any]) -> EventSpec | None:
        data = {k: str(form.get(k, "")).strip() for k in ("email", "display_name", "org_slug")}
        payload: dict[str, object] = {**data, "password": str(form.get("password", "")),
                                      "is_admin": form.get("is_admin") in ("on", True, "true")}
        return await self._run(lambda m: _filled(form, ACCOUNT_FIELDS[:3], self.lang, m.create_account(self._token,
                                                                                                       payload)))

    async def invite(self, form: dict[str, Any]) -> EventSpec | None:
        payload: dict[str, object] = {k: str(form.get(k, "")).strip() for k in ("email", "display_name", "org_slug",
                                                                                 "lang")}
        payload["is_admin"] = form.get("is_admin") in ("on", True, "true")
        return await self._run(lambda m: _filled(form, ACCOUNT_FIELDS[:2], self.lang, m.invite(self._token, payload)))

    async def export(self, user_id: str) -> EventSpec | None:
        self.error = ""
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            data = await (await marketplace()).export_account(self._token, user_id)
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        return rx.download(data=data, filename=f"compte-{user_id[:8]}.json", mime_type="application/json")

    async def erase(self, form: dict[str, Any]) -> EventSpec | None:
        user_id = str(form.get("user_id", ""))
        if form.get("confirm") not in ("on", True, "true"):
            self.error = i18n.text("admin.erase_unconfirmed", self.lang)
            return None
        return await self._run(lambda m: m.erase_account(self._token, user_id))

    async def toggle(self, user_id: str, disable: str) -> EventSpec | None:
        return await self._run(lambda m: m.set_account_disabled(self._token, user_id, disable == "on"))

    async def unlock(self, user_id: str) -> EventSpec | None:
        return await self._run(lambda m: m.unlock_account(self._token, user_id))

    async def reset_password(self, form: dict[str, Any]) -> EventSpec | None:
        user_id, password = str(form.get("user_id", "")), str(form.get("new_password", ""))
        return await self._run(lambda m: _filled(form, (("new_password", "admin.password"),), self.lang,
                                                 m.reset_password(self._token, user_id, password)))

    async def _run(self, call: Any) -> EventSpec | None:
        self.error = ""
        self.saved = False
        if await self._current_user() is None:
            return rx.redirect(routes.SIGN_IN)
        try:
            await call(await marketplace())
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        self.saved = True
        return await self._reload()

    async def _reload(self) -> EventSpec | None:
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.allowed = user.is_admin
        if self.allowed:
            service = await marketplace()
            try:
                self._accounts = await service.list_accounts(self._token)
                self._methods = await service.sign_in_methods(self._token)
                self.org_options = [[o.slug, o.name] for o in await service.list_organisations(self._token)]
            except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
                self.error = explain(err, self.lang)
        return None


def _create_form() -> rx.Component:
    s = AdminAccountsState
    return rx.el.section(
        rx.el.h2(t("admin.new_account"), id="new-account"),
        rx.el.form(
            field(t("admin.email"), "new-account-email", "email", type_="email", required=True),
            field(t("admin.display_name"), "new-account-name", "display_name", required=True),
            choice(t("admin.org"), "new-account-org", "org_slug", s.org_options),
            field(t("admin.password"), "new-account-password", "password", type_="password", required=True,
                  min_length=12, auto_complete="new-password"),
            tick(t("admin.is_admin"), "new-account-admin", "is_admin"),
            rx.el.button(t("admin.create"), type="submit", class_name="button"),
            no_validate=True,
            on_submit=s.create, reset_on_submit=True, method="post", class_name="form",
        ),
        aria_labelledby="new-account",
    )


def _invite_form() -> rx.Component:
    s = AdminAccountsState
    return rx.el.section(
        rx.el.h2(t("admin.invite_title"), id="invite"),
        rx.el.p(t("admin.invite_intro")),
        rx.el.form(
            field(t("admin.email"), "invite-email", "email", type_="email", required=True),
            field(t("admin.display_name"), "invite-name", "display_name", required=True),
            choice(t("admin.org"), "invite-org", "org_slug", s.org_options),
            choice(t("account.language"), "invite-lang", "lang", s.language_options, default="fr"),
            tick(t("admin.is_admin"), "invite-admin", "is_admin"),
            rx.el.button(t("admin.invite"), type="submit", class_name="button"),
            no_validate=True,
            on_submit=s.invite, reset_on_submit=True, method="post", class_name="form",
        ),
        aria_labelledby="invite",
    )


def _data_cell(r: Any) -> rx.Component:
    s = AdminAccountsState
    confirm_id = "erase-" + r["id"]
    return rx.el.td(
        rx.el.button(t("admin.export"), type="button", aria_label=r["export_label"],
                     on_click=s.export(r["id"]),  # type: ignore[call-arg]
                     class_name="button button-quiet"),
        rx.el.form(
            rx.el.input(type="hidden", name="user_id", default_value=r["id"]),
            rx.el.input(id=confirm_id, name="confirm", type="checkbox"),
            rx.el.label(r["erase_confirm_label"], html_for=confirm_id, class_name="visually-hidden"),
            rx.el.button(t("admin.erase"), type="submit", aria_label=r["erase_label"],
                         class_name="button button-quiet"),
            no_validate=True,
            on_submit=s.erase, reset_on_submit=True, method="post", class_name="row-form",
        ),
    )


def _row(r: Any) -> rx.Component:
    s = AdminAccountsState
    pw_id = "pw-" + r["id"]
    return rx.el.tr(
        rx.el.td(r["email"]), rx.el.td(r["name"]), rx.el.td(r["org"], class_name="code"), rx.el.td(r["admin"]),
        rx.el.td(r["method"]),
        rx.el.td(r["status"], " ", rx.cond(
            r["locked"] == "on",
            rx.el.button(t("admin.unlock"), type="button", aria_label=r["unlock_label"],
                         on_click=s.unlock(r["id"]),  # type: ignore[call-arg]
                         class_name="button button-quiet"),
        )),
        rx.el.td(rx.el.button(r["toggle"], type="button", aria_label=r["toggle_label"],
                              on_click=s.toggle(r["id"], r["disable"]),  # type: ignore[call-arg]
                              class_name="button button-quiet")),
        rx.el.td(rx.el.form(
            rx.el.input(type="hidden", name="user_id", default_value=r["id"]),
            rx.el.label(r["password_label"], html_for=pw_id, class_name="visually-hidden"),
            rx.el.input(id=pw_id, name="new_password", type="password", required=True, min_length=12,
                        auto_complete="new-password"),
            rx.el.button(t("admin.reset"), type="submit", class_name="button button-quiet"),
            no_validate=True,
            on_submit=s.reset_password, reset_on_submit=True, method="post", class_name="row-form",
        )),
        _data_cell(r),
    )


def admin_accounts_page() -> rx.Component:
    s = AdminAccountsState
    cols = ["admin.email", "admin.display_name", "admin.org", "admin.is_admin", "admin.method", "admin.status",
            "col.action",
            "admin.reset", "admin.personal_data"]
    return page_shell(
        "admin.accounts_title",
        rx.cond(
            s.allowed,
            rx.fragment(
                error_notice(s.error),
                rx.cond(s.saved, success_notice(rx.el.p(t("admin.saved")))),
                _invite_form(),
                _create_form(),
                rx.el.h2(t("admin.accounts_title"), id="accounts-list"),
                data_table("accounts-list", cols, s.rows, _row),
            ),
            error_notice(t("role.required")),
        ),
    )
