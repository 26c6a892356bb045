"""/admin/organisations (admins): list, create and edit organisations."""
# Reflex element factories are typed as returning Any.
# mypy: disable-error-code="no-any-return"

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventSpec
from reflex_base.utils.form import FormData

from marketplace.domain.numbers import parse_whole
from schemas.views import OrganisationView
from ui import i18n, routes
from ui.action_inputs import require_filled
from ui.components.action_forms import choice, field
from ui.components.layout import page_shell
from ui.components.notice import error_notice, success_notice
from ui.i18n import t
from ui.services import explain, marketplace
from ui.state import SessionState

TEXT_FIELDS = ("slug", "name", "kind", "pays_code", "town", "capacity", "contact_email")


def org_data(form: FormData[str, Any]) -> dict[str, object]:
    """The OrganisationForm fields from a submitted form (checkbox lists kept whole)."""
    data: dict[str, object] = {k: str(form.get(k, "")).strip() for k in TEXT_FIELDS}
    data["accepted_categories"] = list(form.getlist("accepted_categories"))
    data["capacity"] = data["capacity"] or "0"
    data["contact_email"] = data["contact_email"] or None
    data["disabled"] = form.get("disabled") in ("on", True, "true")
    return data


# What an organisation cannot go without (the slug only when it is created); checked here, in the page's
# language, since the form leaves the browser's own checks off.
ORG_FIELDS = (("slug", "admin.slug"), ("name", "admin.name"), ("pays_code", "admin.pays"), ("town", "admin.town"))


class AdminOrgsState(SessionState):
    error: str = ""
    saved: bool = False
    allowed: bool = True
    editing: dict[str, str] = {}  # noqa: RUF012 (Reflex copies defaults per session)
    editing_categories: list[str] = []  # noqa: RUF012
    _orgs: list[OrganisationView] = []  # noqa: RUF012
    _allowances: dict[str, tuple[list[str], list[str]]] = {}  # noqa: RUF012 (ProConnect: domains, SIRETs)

    @rx.var
    def rows(self) -> list[dict[str, str]]:
        return [{
            "slug": o.slug, "name": o.name, "kind": i18n.label("org_kind", o.kind, self.lang),
            "pays": o.pays_code, "town": o.town, "capacity": str(o.capacity),
            "status": i18n.text("admin.disabled" if o.disabled else "admin.active", self.lang),
            "edit_label": f"{i18n.text('admin.edit_label', self.lang)} {o.name}",
        } for o in self._orgs]

    @rx.var
    def kind_options(self) -> list[list[str]]:
        return [[v, s] for v, s in i18n.options("org_kind", self.lang)]

    @rx.var
    def category_options(self) -> list[list[str]]:
        return [[v, s] for v, s in i18n.options("category", self.lang)]

    async def load(self) -> EventSpec | None:
        self.error = ""
        self.saved = False
        self.editing = {}
        return await self._reload()

    def edit(self, slug: str) -> None:
        self.saved = False
        org = next((o for o in self._orgs if o.slug == slug), None)
        if org is None:
            self.editing = {}
            return
        self.editing = {"slug": org.slug, "name": org.name, "kind": org.kind, "pays_code": org.pays_code,
                        "town": org.town, "capacity": str(org.capacity), "contact_email": org.contact_email or "",
                        "disabled": "on" if org.disabled else ""}
        domains, sirets = self._allowances.get(org.slug, ([], []))
        self.editing |= {"proconnect_domains": ", ".join(domains), "proconnect_sirets": ", ".join(sirets)}
        self.editing_categories = list(org.accepted_categories)

    async def create(self, form: FormData[str, Any]) -> EventSpec | None:
        return await self._save(form, create=True)

    async def update(self, form: FormData[str, Any]) -> EventSpec | None:
        return await self._save(form, create=False)

    async def _save(self, form: FormData[str, Any], create: bool) -> EventSpec | None:
        self.error = ""
        self.saved = False
        data = org_data(form)
        if not create:
            data.pop("kind")  # the kind decides the role of every member: it is chosen once
            data["kind"] = self.editing.get("kind", "")
        try:
            require_filled(form, ORG_FIELDS if create else ORG_FIELDS[1:], self.lang)
            data["capacity"] = parse_whole(data["capacity"], "capacity")
            services = await marketplace()
            await services.save_organisation(self._token, data, create)
            if not create:  # who may get an account here by ProConnect alone (docs/production.md)
                await services.set_proconnect_allowance(self._token, str(data["slug"]),
                                                        str(form.get("proconnect_domains", "")),
                                                        str(form.get("proconnect_sirets", "")))
        except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
            self.error = explain(err, self.lang)
            return None
        self.saved = True
        self.editing = {}
        return await self._reload()

    async def _reload(self) -> EventSpec | None:
        user = await self._current_user()
        if user is None:
            return rx.redirect(routes.SIGN_IN)
        self.allowed = user.is_admin
        if self.allowed:
            try:
                services = await marketplace()
                self._orgs = await services.list_organisations(self._token)
                self._allowances = await services.proconnect_allowances(self._token)
            except Exception as err:  # noqa: BLE001 (the UI edge: any failure becomes a sentence, never a trace)
                self.error = explain(err, self.lang)
        return None


def _categories(prefix: str, checked: Any) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(t("admin.categories")),
        rx.foreach(AdminOrgsState.category_options, lambda pair: rx.el.div(
            rx.el.input(id=f"{prefix}-cat-" + pair[0], name="accepted_categories", type="checkbox", value=pair[0],
                        default_checked=checked.contains(pair[0])),
            rx.el.label(pair[1], html_for=f"{prefix}-cat-" + pair[0]),
            class_name="field field-check",
        )),
        class_name="fieldset",
    )


def _create_form() -> rx.Component:
    s = AdminOrgsState
    return rx.el.section(
        rx.el.h2(t("admin.new_org"), id="new-org"),
        rx.el.form(
            field(t("admin.slug"), "new-org-slug", "slug", required=True),
            field(t("admin.name"), "new-org-name", "name", required=True),
            choice(t("admin.kind"), "new-org-kind", "kind", s.kind_options, default="association"),
            field(t("admin.pays"), "new-org-pays", "pays_code", required=True),
            field(t("admin.town"), "new-org-town", "town", required=True),
            _categories("new-org", rx.Var.create([])),
            field(t("admin.capacity"), "new-org-capacity", "capacity", input_mode="numeric", default_value="0"),
            field(t("admin.contact"), "new-org-contact", "contact_email", type_="email"),
            rx.el.button(t("admin.create"), type="submit", class_name="button"),
            no_validate=True,
            on_submit=s.create, reset_on_submit=False, method="post", class_name="form",
        ),
        aria_labelledby="new-org",
    )


def _edit_form() -> rx.Component:
    s = AdminOrgsState
    e = s.editing
    return rx.cond(e.contains("slug"), rx.el.section(  # type: ignore[attr-defined]
        rx.el.h2(t("admin.edit_org"), " ", rx.el.span(e["slug"], class_name="code"), id="edit-org"),
        rx.el.form(
            rx.el.input(type="hidden", name="slug", default_value=e["slug"]),
            field(t("admin.name"), "edit-org-name", "name", required=True, default_value=e["name"]),
            field(t("admin.pays"), "edit-org-pays", "pays_code", required=True, default_value=e["pays_code"]),
            field(t("admin.town"), "edit-org-town", "town", required=True, default_value=e["town"]),
            _categories("edit-org", s.editing_categories),
            field(t("admin.capacity"), "edit-org-capacity", "capacity", input_mode="numeric",
                  default_value=e["capacity"]),
            field(t("admin.contact"), "edit-org-contact", "contact_email", type_="email",
                  default_value=e["contact_email"]),
            field(t("admin.proconnect_domains"), "edit-org-pc-domains", "proconnect_domains",
                  default_value=e["proconnect_domains"]),
            field(t("admin.proconnect_sirets"), "edit-org-pc-sirets", "proconnect_sirets",
                  default_value=e["proconnect_sirets"]),
            rx.el.div(
                rx.el.input(id="edit-org-disabled", name="disabled", type="checkbox",
                            default_checked=e["disabled"] == "on"),
                rx.el.label(t("admin.org_disabled"), html_for="edit-org-disabled"),
                class_name="field field-check",
            ),
            rx.el.button(t("admin.save"), type="submit", class_name="button"),
            # A new key remounts the form, so its default values follow the organisation chosen.
            key=e["slug"],
            no_validate=True,
            on_submit=s.update, reset_on_submit=False, method="post", class_name="form",
        ),
        aria_labelledby="edit-org",
    ))


def _table() -> rx.Component:
    s = AdminOrgsState
    cols = ["admin.slug", "admin.name", "admin.kind", "admin.pays", "admin.town", "admin.capacity", "admin.status"]
    return rx.el.div(rx.el.table(
        rx.el.caption(t("admin.orgs_title"), class_name="visually-hidden"),
        rx.el.thead(rx.el.tr(*[rx.el.th(t(c), scope="col") for c in cols], rx.el.th(t("col.action"), scope="col"))),
        rx.el.tbody(rx.foreach(s.rows, lambda r: rx.el.tr(
            rx.el.td(r["slug"], class_name="code"), rx.el.td(r["name"]), rx.el.td(r["kind"]), rx.el.td(r["pays"]),
            rx.el.td(r["town"]), rx.el.td(r["capacity"]), rx.el.td(r["status"]),
            rx.el.td(rx.el.button(t("admin.edit"), type="button", aria_label=r["edit_label"],
                                  on_click=s.edit(r["slug"]),  # type: ignore[call-arg,func-returns-value]
                                  class_name="button button-quiet")),
        ))),
        class_name="table",
    ), class_name="table-wrap")


def admin_orgs_page() -> rx.Component:
    s = AdminOrgsState
    return page_shell(
        "admin.orgs_title",
        rx.cond(
            s.allowed,
            rx.fragment(
                error_notice(s.error),
                rx.cond(s.saved, success_notice(rx.el.p(t("admin.saved")))),
                _edit_form(),
                _create_form(),
                rx.el.h2(t("admin.orgs_title"), id="orgs-list"),
                _table(),
            ),
            error_notice(t("role.required")),
        ),
    )
