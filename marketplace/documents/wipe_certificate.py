"""The certificate of sanitisation of one device as a PDF (NIST SP 800-88 Rev. 1, Appendix G). Pure.

The document is made from the trail only (the `asset.wiped` event's certificate, the organisation's name
the event recorded, the device's code and its declared make, model and serial), with reportlab's invariant
mode (no creation date, no random document id): the same event always gives the same bytes, so the SHA-256
recorded in the event can be checked by anyone holding the PDF, and the PDF regenerated identically at any
time. It is bilingual (French, then English under each label), so that one document, one hash, serves every
reader. It carries serial numbers: only the device's parties and auditors may download it.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from marketplace.domain.categories import category_name
from marketplace.domain.codes import format_code
from schemas.actions import WipeCertificate

TITLE = "Certificat d'effacement des données / Certificate of sanitization"
STANDARD = "NIST SP 800-88 Rev. 1, annexe G / Appendix G"
_METHOD = {"Clear": "Effacement (Clear)", "Purge": "Purge (Purge)", "Destroy": "Destruction (Destroy)"}
_VERIFICATION = {"full": "complète / full", "sampled": "par échantillon / sampled"}
_DESTINATION = {"reuse": "réemploi / reuse", "recycling": "recyclage / recycling", "storage": "stockage / storage"}


@dataclass(frozen=True)
class WipedDevice:
    code: str  # formatted XXXX-XXXX-XXXX
    category: str  # in French, as the label reads it
    make: str
    model: str
    serial: str
    organisation: str  # the organisation that sanitised it, by name


def device_of(row: Mapping[str, Any], organisation: str) -> WipedDevice:
    """The device part of the certificate from its row (code, category, brand, model, serial)."""
    return WipedDevice(code=format_code(row["code"]), category=category_name(row["category"]), make=row["brand"],
                       model=row["model"], serial=row["serial"], organisation=organisation)


def render(device: WipedDevice, cert: WipeCertificate) -> bytes:
    """The PDF's bytes: the same inputs always give the same bytes."""
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    pdf.setTitle(f"{TITLE} — {device.code}")
    pdf.setAuthor("Seconde Vie")
    pdf.setSubject(STANDARD)
    width, height = A4
    x, y = 20 * mm, height - 25 * mm

    def line(label: str, value: str, *, bold: bool = False) -> None:
        nonlocal y
        pdf.setFont("Helvetica", 8)
        pdf.drawString(x, y, label)
        pdf.setFont("Helvetica-Bold" if bold else "Helvetica", 10)
        for part in simpleSplit(value or "—", "Helvetica", 10, width - x - 85 * mm) or ["—"]:
            pdf.drawString(x + 65 * mm, y, part)
            y -= 5 * mm
        y -= 1 * mm

    def heading(text: str) -> None:
        nonlocal y
        y -= 3 * mm
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawString(x, y, text)
        y -= 7 * mm

    pdf.setFont("Helvetica-Bold", 15)
    pdf.drawString(x, y, "Certificat d'effacement des données")
    y -= 6 * mm
    pdf.setFont("Helvetica", 11)
    pdf.drawString(x, y, "Certificate of sanitization — " + STANDARD)
    y -= 10 * mm

    heading("Appareil / Device")
    line("Code Seconde Vie / code", device.code, bold=True)
    line("Catégorie / category", device.category)
    line("Fabricant et modèle / make, model", f"{device.make} {device.model}")
    line("Numéro de série / serial", device.serial)

    heading("Supports effacés / Media sanitized")
    for i, medium in enumerate(cert.media, start=1):
        result = " — effacé / erased" if medium.result == "erased" else ""
        line(f"Support / medium {i}", f"{medium.make} {medium.model}, n° {medium.serial}{result}")

    heading("Effacement / Sanitization")
    line("Méthode / method", _METHOD.get(cert.method, cert.method))
    line("Technique / technique", cert.technique)
    if cert.passes is not None:
        line("Passes / passes", str(cert.passes))
    line("Outil et version / tool, version", f"{cert.tool} {cert.tool_version}")
    line("Vérification / verification", _VERIFICATION.get(cert.verification, cert.verification))
    line("Date / date", cert.sanitised_on.isoformat())
    if cert.started_at is not None and cert.ended_at is not None:
        line("Début – fin / start – end", f"{cert.started_at.isoformat()} – {cert.ended_at.isoformat()}")
    line("Destination / destination", _DESTINATION.get(cert.destination, cert.destination))
    if cert.report_sha256:
        line("Rapport de l'outil (SHA-256) / tool report", cert.report_sha256)

    heading("Responsables / Responsibility")
    line("Organisation / organization", device.organisation)
    line("Opérateur / operator", cert.operator)
    line("Signataire / signatory", cert.signature, bold=True)

    y -= 4 * mm
    pdf.setFont("Helvetica", 8)
    for part in simpleSplit(
            "Ce document est produit depuis la piste d'audit de l'appareil (son événement d'effacement) ; son "
            "empreinte SHA-256 y est enregistrée, et chacun peut la comparer à celle de ce fichier. / This document "
            "is produced from the device's audit trail (its sanitization event), where its SHA-256 is recorded.",
            "Helvetica", 8, width - 2 * x):
        pdf.drawString(x, y, part)
        y -= 4 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def sha256(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()
