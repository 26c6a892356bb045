"""What an nwipe report writes into the wipe form: the technique in the reader's language, every field."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from marketplace.domain.erasure_rules import accept, certificate_fields
from marketplace.domain.nwipe_report import parse
from marketplace.handlers.erasure import technique
from ui.pages.device_actions import _filled

FIXTURES = Path(__file__).parent.parent / "fixtures" / "nwipe"


def accepted(name: str):  # type: ignore[no-untyped-def]
    report = parse((FIXTURES / f"{name}.log").read_text())
    return accept(report, frozenset(), None, ZoneInfo("UTC"), report.ended_at.replace(tzinfo=UTC) + timedelta(1))


def test_the_technique_says_method_passes_rounds_blanking_and_verification_in_each_language() -> None:
    dod = accepted("dod-verify-all")
    assert technique(dod, "fr") == ("nwipe 0.33, DoD 5220.22-M : 7 passe(s) × 1 tour(s), puis mise à zéro finale, "
                                    "vérification de chaque passe")
    assert technique(dod, "en") == ("nwipe 0.33, DoD 5220.22-M: 7 pass(es) × 1 round(s), then a final blanking "
                                    "pass, verification of every pass")
    assert "de la dernière passe" in technique(accepted("zero-verify-last"), "fr")


def test_the_form_is_filled_with_every_field_the_report_gives() -> None:
    a = accepted("prng-two-disks")
    fields = certificate_fields(a, technique(a, "fr"), ZoneInfo("UTC"))
    shown = _filled({**fields, "sanitised_on": fields["sanitised_on"].isoformat()})
    assert shown["method"] == "Clear" and shown["tool"] == "nwipe" and shown["tool_version"] == "0.33"
    assert shown["verification"] == "full" and len(shown["sanitised_on"]) == 10
    assert (shown["media_0_serial"], shown["media_1_serial"]) == ("SV-LOOP-PRNG-A", "SV-LOOP-PRNG-B")
    assert shown["media_0_model"] == "Loopback device" and shown["media_0_make"] == "Loopback"
    assert "media_2_serial" not in shown  # the third row stays empty
