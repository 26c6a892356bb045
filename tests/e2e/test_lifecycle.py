"""The whole lifecycle through the real UI in Chromium, each role in its own signed-in browser: a laptop from
`retired` to `delivered` by four accounts (the donor confirms the pickup with the label's code; the third place
confirms the delivery with the one-time code the workshop's screen shows), a broken one to `recycled` through a
fab lab, and a third place whose forged refurbisher action is refused by the server."""

from __future__ import annotations

import json
import re
import uuid

from playwright.sync_api import Browser, Page, WebSocketRoute, expect

from tests.e2e.lifecycle_steps import (
    action,
    claim_when_offered,
    confirm_handover,
    expect_done,
    expect_state,
    open_device,
    retire,
    show_handover_code,
    signed_in,
    type_handover_code,
)
from ui.pages.device_actions import DeviceActionsState


def serial() -> str:
    return f"E2E-{uuid.uuid4().hex[:10].upper()}"


def diagnose(page: Page, outcome: str) -> None:
    form = action(page, "Diagnostic")
    form.get_by_label("Résultat du diagnostic").select_option(outcome)
    form.get_by_label("Constats (facultatif)").fill("Essais au banc de l'atelier.")
    form.get_by_role("button", name="Enregistrer le diagnostic").click()


def wipe(page: Page) -> None:
    form = action(page, "Effacement des données (certificat NIST SP 800-88)")
    form.get_by_label("Méthode").select_option("Purge")
    form.get_by_label("Technique", exact=True).fill("ATA Secure Erase, puis lecture de vérification")
    form.get_by_label("Outil", exact=True).fill("nwipe")
    form.get_by_label("Version de l'outil").fill("0.36")
    form.get_by_label("Vérification").select_option("full")
    # Examples for the technique and the tool; the operator and the signatory are the signed-in person (issue 23).
    expect(form.get_by_label("Technique", exact=True)).to_have_accessible_description(re.compile("ATA Secure Erase"))
    expect(form.get_by_label("Outil", exact=True)).to_have_accessible_description(re.compile("nwipe"))
    signed_in_name = page.evaluate("() => document.querySelector('#wipe-operator').value")
    assert signed_in_name and signed_in_name in page.get_by_role("banner").inner_text()
    expect(form.get_by_label("Signataire")).to_have_value(signed_in_name)
    form.get_by_label("Opérateur (nom et fonction)").fill("Yann Kerjean, technicien")
    form.get_by_label("Fabricant du support").first.fill("Samsung")
    form.get_by_label("Modèle du support").first.fill("PM871")
    form.get_by_label("Numéro de série du support").first.fill("S2NFNXAG123456")
    form.get_by_label("Signataire").fill("Yann Kerjean")
    form.get_by_role("button", name="Enregistrer le certificat").click()


def refurbish(page: Page) -> None:
    form = action(page, "Reconditionnement")
    form.get_by_label("Grade").select_option("A")
    form.get_by_label("Système installé").fill("Linux Mint 22")
    form.get_by_label("Tests réussis (un par ligne)").fill("clavier\nécran\nbatterie")
    form.get_by_role("button", name="Marquer reconditionné").click()


class TestLifecycle:
    def test_a_laptop_goes_from_retired_to_delivered_through_four_accounts(self, browser: Browser,
                                                                           base_url: str) -> None:
        with signed_in(browser, base_url, "asset_manager") as donor, \
                signed_in(browser, base_url, "refurbisher") as workshop, \
                signed_in(browser, base_url, "third_place") as hub:
            code = retire(donor, serial())
            claim_when_offered(workshop, code)

            # Pickup: the donor confirms the hand-over by typing the code printed on the label.
            open_device(donor, code)
            expect_state(donor, "réclamé")
            confirm_handover(donor, code)
            expect_done(donor, "collecté")
            donor.get_by_role("navigation").get_by_role("link", name="Retirer un appareil").click()
            expect(donor.get_by_role("table", name="Mes dons").get_by_role("row").filter(has_text=code)) \
                .to_contain_text("collecté")

            workshop.get_by_role("navigation").get_by_role("link", name="Mes appareils").click()
            workshop.get_by_role("row").filter(has_text=code).get_by_role("link", name=code).click()
            expect_state(workshop, "collecté")
            diagnose(workshop, "refurbishable")
            expect_done(workshop, "diagnostiqué")
            # Data-bearing: refurbishing is not offered before the wipe certificate.
            expect(workshop.get_by_role("region", name="Reconditionnement", exact=True)).to_have_count(0)
            wipe(workshop)
            expect_done(workshop, "effacé")
            refurbish(workshop)
            expect_done(workshop, "reconditionné")
            done = workshop.get_by_role("status").filter(has_text="maintenant au catalogue")
            expect(done.get_by_role("link", name="Retour à mes appareils")).to_be_visible()

            # The donor prints the device's own label from its page (a one-time PDF link).
            open_device(donor, code)
            with donor.expect_download() as label:
                donor.get_by_role("button", name="Imprimer l'étiquette").click()
            assert label.value.suggested_filename.endswith(".pdf")
            pdf = label.value.path().read_bytes()
            assert pdf.startswith(b"%PDF-")

            # The third place finds it in the catalogue with the filters, and reserves it.
            hub.get_by_role("navigation").get_by_role("link", name="Catalogue").click()
            expect(hub.get_by_role("heading", level=1, name="Catalogue des appareils reconditionnés")).to_be_visible()
            hub.get_by_label("Catégorie").select_option("laptop")
            hub.get_by_label("Grade").select_option("A")
            hub.get_by_label("RAM minimale (Go)").fill("")
            hub.get_by_role("button", name="Filtrer").click()
            row = hub.get_by_role("row").filter(has_text=code)
            expect(row).to_be_visible()
            row.get_by_role("button", name="Réserver").click()
            expect(hub.get_by_role("status").filter(has_text="Appareil réservé")).to_contain_text(code)
            hub.get_by_role("navigation").get_by_role("link", name="Mes réservations").click()
            reservation = hub.get_by_role("row").filter(has_text=code)
            expect(reservation.get_by_role("button", name="Annuler")).to_be_visible()

            # Hand-over at the third place: the label's code is public, so the third place types the one-time code
            # the workshop's screen shows, and says who the device goes to.
            reservation.get_by_role("link", name=code).click()
            expect_state(hub, "réservé")
            expect(action(hub, "Remise au tiers-lieu").get_by_label("Code de l'appareil (scanné ou saisi)")) \
                .to_have_count(0)
            workshop.reload()
            expect_state(workshop, "réservé")
            shown = show_handover_code(workshop)
            form = type_handover_code(hub, shown, "Remise au tiers-lieu")
            form.get_by_label("Catégorie de bénéficiaires").select_option("job_seekers")
            form.get_by_role("button", name="Confirmer la remise").click()
            expect_done(hub, "remis")
            expect(action(hub, "Retour en fin d'usage")).to_be_visible()

        with signed_in(browser, base_url, "auditor") as auditor:
            auditor.get_by_role("navigation").get_by_role("link", name="Tous les appareils").click()
            auditor.get_by_label("État").select_option("delivered")
            auditor.get_by_role("button", name="Filtrer").click()
            auditor.get_by_role("row").filter(has_text=code).get_by_role("link", name=code).click()
            expect_state(auditor, "remis")
            expect(auditor.get_by_text("Historique vérifié : la chaîne d'empreintes est intacte.")).to_be_visible()
            trail = auditor.get_by_role("table", name="Historique")
            steps = ["retiré", "proposé", "réclamé", "collecté", "diagnostiqué", "effacé", "reconditionné",
                     "réservé", "remis"]
            expect(trail.locator("tbody tr td:first-child")).to_have_text(steps)
            expect(trail.get_by_role("row").filter(has_text="remis")).to_contain_text(
                "tiers-lieu-la-passerelle-guingamp")
            expect(auditor.get_by_text("Aucune action possible pour vous sur cet appareil à cette étape.")) \
                .to_be_visible()
            # No action: the auditor's only button is the wipe certificate's download, and it gives the PDF.
            buttons = auditor.get_by_role("main").get_by_role("button")
            expect(buttons).to_have_count(1)
            with auditor.expect_download() as download:
                buttons.get_by_text("Télécharger le certificat d’effacement (PDF)").click()
            assert download.value.suggested_filename.startswith("certificat-effacement-")

    def test_a_broken_laptop_goes_to_the_recycler_through_a_fab_lab(self, browser: Browser,
                                                                   base_url: str) -> None:
        with signed_in(browser, base_url, "asset_manager") as donor, \
                signed_in(browser, base_url, "maker") as lab:
            code = retire(donor, serial(), condition="broken")
            claim_when_offered(lab, code)
            # The donor hands it over and confirms with the label's code; the fab lab holds it from then on.
            open_device(donor, code)
            confirm_handover(donor, code)
            expect_done(donor, "collecté")
            lab.get_by_role("navigation").get_by_role("link", name="Mes appareils").click()
            lab.get_by_role("row").filter(has_text=code).get_by_role("link", name=code).click()
            expect_state(lab, "collecté")
            diagnose(lab, "end_of_life")
            expect_done(lab, "diagnostiqué")
            # Data-bearing and not wiped: harvesting is not offered, recycling with certified destruction is.
            expect(lab.get_by_role("region", name="Démontage pour pièces", exact=True)).to_have_count(0)

            form = action(lab, "Remise au recycleur (filière DEEE)")
            form.get_by_label("Recycleur").select_option(label="DEEE Ouest Recyclage")
            form.get_by_label("Poids (kg)").fill("2,3")
            form.get_by_label("Numéro de bordereau DEEE").fill("BSD-2026-0042")
            form.get_by_label("Destruction du support de stockage certifiée").check()
            form.get_by_role("button", name="Enregistrer la remise DEEE").click()
            expect_done(lab, "recyclé")
            expect(lab.get_by_text("Aucune action possible pour vous sur cet appareil à cette étape.")).to_be_visible()
            trail = lab.get_by_role("table", name="Historique")
            expect(trail.get_by_role("row").filter(has_text="recyclé")).to_contain_text("fablab-du-leon-morlaix")


class TestRefusals:
    def test_a_third_place_is_offered_no_workshop_step_and_a_forged_one_is_refused(self, browser: Browser,
                                                                                    base_url: str) -> None:
        with signed_in(browser, base_url, "auditor") as auditor:
            auditor.get_by_role("navigation").get_by_role("link", name="Tous les appareils").click()
            auditor.get_by_label("État").select_option("collected")
            auditor.get_by_role("button", name="Filtrer").click()
            # Read the row's state rather than trust that the filtered list has replaced the first one.
            first = auditor.get_by_role("table").get_by_role("row").filter(has_text="collecté").first.get_by_role("link")
            expect(first).to_be_visible()
            code = first.inner_text()

        with signed_in(browser, base_url, "third_place") as hub:
            # Playwright sits on the page's own socket: the browser sends an event the page never offered.
            servers: list[WebSocketRoute] = []

            def relay(ws: WebSocketRoute) -> None:
                servers.append(ws.connect_to_server())  # both directions pass through unchanged

            hub.route_web_socket(re.compile(r"/_event"), relay)
            open_device(hub, code)
            expect_state(hub, "collecté")
            expect(hub.get_by_text("Aucune action possible pour vous sur cet appareil à cette étape.")).to_be_visible()
            expect(hub.get_by_role("button", name="Enregistrer le diagnostic")).to_have_count(0)
            trail = hub.get_by_role("table", name="Historique").locator("tbody tr")
            events_before = trail.count()
            assert servers, "the page opened no event socket"

            path = f"/d/{code}"
            forged = {"name": f"{DeviceActionsState.get_full_name()}.submit",
                      "payload": {"form": {"action": "diagnose", "outcome": "parts_only", "findings": "forged"}},
                      "router_data": {"pathname": path, "asPath": path, "query": {"code": code}}}
            servers[-1].send("42/_event," + json.dumps(["event", forged]))

            expect(hub.get_by_role("alert")).to_contain_text("Action réservée au rôle")
            expect(hub.get_by_role("alert")).to_contain_text("vous êtes tiers-lieu")  # the role in words
            hub.reload()
            expect_state(hub, "collecté")
            expect(hub.get_by_role("table", name="Historique").locator("tbody tr")).to_have_count(events_before)
