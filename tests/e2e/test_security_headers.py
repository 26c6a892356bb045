"""Issue 16 in Chromium: browsers are told what is allowed. Pages, assets and API answers carry a strict
Content-Security-Policy and the other headers; signing in, browsing, switching language and the camera
scanner work under it with no CSP violation in the console; another origin cannot frame the app."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from tests.e2e.camera import write_y4m
from tests.e2e.test_walking_skeleton import sign_in

CSP_WORDS = ("Content Security Policy", "Content-Security-Policy", "unsafe-eval", "unsafe-inline")


def csp_messages(page: Page) -> list[str]:
    """Every console message and page error that a CSP refusal would produce, as they come."""
    seen: list[str] = []

    def keep(text: str) -> None:
        if any(word in text for word in CSP_WORDS):
            seen.append(text)

    page.on("console", lambda message: keep(message.text) if isinstance(message, ConsoleMessage) else None)
    page.on("pageerror", lambda error: keep(str(error)))
    return seen


def directives(policy: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


class TestHeaders:
    @pytest.mark.parametrize("path", ["/", "/connexion", "/scan", "/d/ABCDEFGHJKMN", "/api/openapi.json",
                                      "/styles.css", "/import/modele.csv", "/ping", "/donnees-ouvertes"])
    def test_every_kind_of_response_carries_them(self, page: Page, path: str) -> None:
        response = page.request.get(path)
        headers = response.headers
        policy = directives(headers["content-security-policy"])
        assert policy["default-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
        assert policy["form-action"] == ["'self'"] and "data:" in policy["img-src"] and "blob:" in policy["img-src"]
        assert "'self'" in policy["connect-src"] and any(s.startswith("ws://") for s in policy["connect-src"])
        assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert "camera=(self)" in headers["permissions-policy"]
        expected = "no-referrer" if path.startswith("/d/") else "strict-origin-when-cross-origin"
        assert headers["referrer-policy"] == expected

    def test_compiled_pages_allow_their_own_inline_scripts_by_hash_only(self, page: Page) -> None:
        policy = directives(page.request.get("/").headers["content-security-policy"])
        assert any(s.startswith("'sha256-") for s in policy["script-src"])
        assert all(s == "'self'" or s.startswith("'sha256-") for s in policy["script-src"])

    def test_an_asset_of_a_page_carries_them(self, page: Page) -> None:
        html = page.request.get("/").text()
        asset = re.search(r'src="(/assets/[^"]+\.js)"|href="(/assets/[^"]+\.js)"', html)
        assert asset
        headers = page.request.get(asset.group(1) or asset.group(2)).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


class TestPagesStillWork:
    def test_signing_in_browsing_and_switching_language_raise_no_csp_violation(self, page: Page) -> None:
        violations = csp_messages(page)
        sign_in(page, "asset_manager")
        for path, heading in [("/retirer", "Retirer un appareil"), ("/importer", "Importer un inventaire (CSV)"),
                              ("/integrations", "Intégrations : API et webhooks"), ("/", "Accueil")]:
            page.goto(path)
            expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        page.get_by_role("link", name="Retirer un appareil").first.click()  # a client-side navigation
        expect(page.get_by_role("heading", level=1, name="Retirer un appareil")).to_be_visible()
        page.get_by_role("button", name="English").click()
        expect(page.get_by_role("heading", level=1, name="Retire a device")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "en")  # set without rx.call_script's eval
        page.get_by_role("button", name="Français").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        page.wait_for_load_state("networkidle")
        assert violations == []

    def test_the_scanner_loads_its_camera_script_under_the_policy(
        self, launch_with_camera: Callable[[Path], Browser], base_url: str, page: Page, tmp_path: Path,
    ) -> None:
        label = page.request.get("/d/ABCDEFGHJKMN/qr.png")
        camera = launch_with_camera(write_y4m(label.body(), tmp_path / "label.y4m"))
        phone = camera.new_context(base_url=base_url, locale="fr-FR").new_page()
        violations = csp_messages(phone)
        phone.goto("/scan")
        # The camera script (assets/qr_scanner.jsx and @zxing) ran and opened the camera.
        expect(phone.get_by_role("status").filter(has_text="Caméra active")).to_be_visible(timeout=20_000)
        expect(phone.get_by_role("status").filter(has_text="Caméra indisponible")).to_have_count(0)
        phone.wait_for_timeout(2_000)  # a few frames decoded: the label's (unknown) code may be looked up
        assert violations == []


@pytest.fixture
def framing_site(base_url: str) -> Iterator[str]:
    """A page on another loopback port (another origin) that frames the app's sign-in page."""
    page = f'<!doctype html><title>Ailleurs</title><iframe id="app" src="{base_url}/connexion"></iframe>'.encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class TestFraming:
    def test_another_origin_cannot_frame_a_page_of_the_app(self, page: Page, framing_site: str) -> None:
        refusals: list[str] = []
        page.on("console", lambda message: refusals.append(message.text))
        page.goto(framing_site)
        page.wait_for_load_state("networkidle")
        expect(page.frame_locator("#app").get_by_role("heading", name="Connexion")).to_have_count(0)
        child, = (f for f in page.frames if f != page.main_frame)
        assert child.url.startswith("chrome-error:"), child.url  # Chromium's page for a refused frame
        assert any("frame-ancestors 'none'" in text for text in refusals), refusals
