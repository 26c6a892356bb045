"""Plain HTTP routes served next to the Reflex app (mounted with `rx.App(api_transformer=...)`).

They are matched before Reflex's own routes, so `/d/{code}/qr.png` never reaches the page router.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from marketplace.domain.codes import normalise_code
from marketplace.domain.errors import DomainError
from marketplace.labels.qr import qr_png, qr_svg
from marketplace.settings import get_settings
from ui.opendata_http import ROUTES as OPENDATA_ROUTES
from ui.proconnect_http import proconnect_routes
from ui.unsubscribe_http import ROUTES as UNSUBSCRIBE_ROUTES

# A label's QR never changes for a given code and base URL, so browsers and printers may keep it.
_CACHE = {"Cache-Control": "public, max-age=86400"}


def _device_url(request: Request) -> str | None:
    code = normalise_code(request.path_params["code"])
    if code is None:
        return None
    # The same address as the device page's `qr_url`: the bare code keeps the symbol small.
    return f"{get_settings().public_base_url}/d/{code}"


async def device_qr_png(request: Request) -> Response:
    url = _device_url(request)
    if url is None:
        return PlainTextResponse("Code d'appareil invalide / invalid device code", status_code=404)
    return Response(qr_png(url), media_type="image/png", headers=_CACHE)


async def device_qr_svg(request: Request) -> Response:
    url = _device_url(request)
    if url is None:
        return PlainTextResponse("Code d'appareil invalide / invalid device code", status_code=404)
    return Response(qr_svg(url), media_type="image/svg+xml", headers=_CACHE)


async def label_sheet(request: Request) -> Response:
    """A label PDF for a one-time ticket made by a signed-in handler (`ui/pages/labels_panel.py`)."""
    from marketplace.labels.service import LabelService
    from ui.services import marketplace

    try:
        pdf, filename = await LabelService(await marketplace()).redeem_download(request.path_params["ticket"])
    except DomainError:
        return PlainTextResponse("Lien expiré ou déjà utilisé / link expired or already used", status_code=404,
                                 headers={"Cache-Control": "no-store"})
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
    })


async def document_download(request: Request) -> Response:
    """A document made from the trail (a wipe certificate) for a one-time ticket made by a signed-in handler."""
    from ui.services import marketplace

    try:
        pdf, filename = await (await marketplace()).redeem_document(request.path_params["ticket"])
    except DomainError:
        return PlainTextResponse("Lien expiré ou déjà utilisé / link expired or already used", status_code=404,
                                 headers={"Cache-Control": "no-store"})
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
    })


async def import_template(request: Request) -> Response:
    """The Seconde Vie CSV template (`marketplace/data/import_template.csv`)."""
    from importlib import resources

    data = resources.files("marketplace").joinpath("data/import_template.csv").read_bytes()
    return Response(data, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="seconde-vie-modele.csv"'})


async def report_download(request: Request) -> Response:
    """A report file for a one-time ticket made by a signed-in auditor or admin."""
    from marketplace.reports.service import ReportService
    from ui.services import marketplace

    try:
        body, media, filename = await ReportService(await marketplace()).redeem_download(request.path_params["ticket"])
    except DomainError:
        return PlainTextResponse("Lien expiré ou déjà utilisé / link expired or already used", status_code=404,
                                 headers={"Cache-Control": "no-store"})
    return Response(body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
    })


def build_http_app() -> Starlette:
    """The Starlette app Reflex mounts its own routes into."""
    from ui.api_routes import api_routes
    from ui.services import marketplace

    return Starlette(routes=[
        *api_routes(marketplace),
        Route("/d/{code}/qr.png", device_qr_png, methods=["GET", "HEAD"]),
        Route("/d/{code}/qr.svg", device_qr_svg, methods=["GET", "HEAD"]),
        Route("/labels/{ticket}.pdf", label_sheet, methods=["GET"]),
        Route("/documents/{ticket}.pdf", document_download, methods=["GET"]),
        Route("/rapports/{ticket}", report_download, methods=["GET"]),
        *OPENDATA_ROUTES,
        *UNSUBSCRIBE_ROUTES,
        *proconnect_routes(marketplace),
        Route("/import/modele.csv", import_template, methods=["GET"]),
    ])
