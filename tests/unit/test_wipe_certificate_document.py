"""The wipe certificate PDF is a function of the trail: the same event gives the same bytes, any change in
what it certifies gives other bytes (marketplace/documents/wipe_certificate.py)."""

from __future__ import annotations

from datetime import date

from marketplace.documents.wipe_certificate import WipedDevice, render, sha256
from schemas.actions import WipeCertificate

DEVICE = WipedDevice(code="ABCD-EFGH-JKMN", category="ordinateur portable", make="Dell", model="Latitude 5490",
                     serial="J00001", organisation="Les Bricodeurs de Brest")
CERT = WipeCertificate(method="Purge", technique="1 passe de zéros", tool="nwipe", tool_version="0.34",
                       verification="full", operator="Yann Kerjean, bénévole", sanitised_on=date(2026, 12, 2),
                       media=[{"make": "Samsung", "model": "PM981", "serial": "S4EWNX0M123456"}],
                       signature="Yann Kerjean")


def test_the_same_certificate_gives_the_same_bytes() -> None:
    first, second = render(DEVICE, CERT), render(DEVICE, CERT)
    assert first.startswith(b"%PDF-") and first == second and sha256(first) == sha256(second)


def test_anything_it_certifies_changes_its_hash() -> None:
    base = sha256(render(DEVICE, CERT))
    assert sha256(render(DEVICE, CERT.model_copy(update={"operator": "Quelqu'un d'autre"}))) != base
    other_medium = CERT.model_copy(update={"media": [CERT.media[0].model_copy(update={"serial": "OTHER"})]})
    assert sha256(render(DEVICE, other_medium)) != base
    assert sha256(render(WipedDevice(**{**DEVICE.__dict__, "serial": "J00002"}), CERT)) != base
