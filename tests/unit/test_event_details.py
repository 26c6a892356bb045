"""The trail's detail line says what an auditor needs: offers with scores and reasons, handover parties."""

from __future__ import annotations

from ui.event_details import details


def test_an_offer_round_lists_each_organisation_with_its_score_and_reasons() -> None:
    line = details("asset.offered", {"round": 2, "offers": [
        {"org": "repar-acteurs-brest", "score": 0.87, "reasons": ["même pays : Pays de Brest", "capacité libre 40"]},
        {"org": "le-bon-octet-quimper", "score": 0.5, "reasons": ["à 52 km"]}]}, "fr")
    assert line.startswith("Tour 2")
    assert "repar-acteurs-brest (score 0,87: même pays : Pays de Brest ; capacité libre 40)" in line
    assert "le-bon-octet-quimper" in line


def test_a_handover_names_both_organisations_in_the_readers_language() -> None:
    summary = {"from": "lycee-des-embruns-brest", "to": "repar-acteurs-brest", "scanned_by": "u1"}
    assert details("asset.collected", summary, "fr") == "de lycee-des-embruns-brest à repar-acteurs-brest"
    assert details("asset.collected", summary, "en") == "from lycee-des-embruns-brest to repar-acteurs-brest"


def test_a_wipe_shows_its_certificate_and_recycling_its_slip() -> None:
    wipe = details("asset.wiped", {"certificate": {"method": "Purge", "technique": "ATA Secure Erase", "tool": "nwipe",
                                                   "tool_version": "0.36", "verification": "full"}}, "fr")
    assert "Purge" in wipe and "nwipe 0.36" in wipe and "full" in wipe
    recycled = details("asset.recycled", {"recycler": "deee-ouest", "weight_kg": 2.3, "slip_number": "BSD-1"}, "fr")
    assert "2,3 kg" in recycled and "BSD-1" in recycled


def test_events_with_nothing_more_to_say_have_no_detail() -> None:
    assert details("asset.retired", {"donor": "x"}, "fr") == ""


def test_a_handover_says_how_it_was_proven() -> None:
    summary = {"from": "lycee-des-embruns-brest", "to": "repar-acteurs-brest", "scanned_by": "u1",
               "proof": "handover_code", "code_shown_by": "u2"}
    assert details("asset.collected", summary, "fr").endswith(
        "— preuve\u202f: code de remise saisi par qui reçoit l'appareil")
    assert details("asset.collected", summary | {"proof": "handing_party"}, "en").endswith(
        "— proof: confirmed by the party handing it over")
