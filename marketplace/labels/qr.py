"""QR codes for device labels: the URL of the device's public page, as PNG or SVG.

Error correction M (15 % of the symbol can be damaged, enough for a scuffed sticker) and the standard
quiet zone of 4 modules, without which many phone scanners fail.
"""

from __future__ import annotations

import io

import qrcode
import qrcode.constants
from qrcode.image.pil import PilImage
from qrcode.image.svg import SvgPathImage


def _code(url: str, box_size: int) -> qrcode.QRCode:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=4)
    qr.add_data(url)
    qr.make(fit=True)
    return qr


def qr_png(url: str, box_size: int = 8) -> bytes:
    """The QR code of `url` as a black-on-white PNG."""
    buffer = io.BytesIO()
    _code(url, box_size).make_image(image_factory=PilImage).save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(url: str) -> str:
    """The QR code of `url` as a scalable SVG document (for label sheets)."""
    image = _code(url, 10).make_image(image_factory=SvgPathImage)
    svg: str = image.to_string(encoding="unicode")
    return svg
