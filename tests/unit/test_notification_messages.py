"""The e-mails' pure parts: headers, encoded subjects, one-click unsubscribe links, texts, modes."""

from __future__ import annotations

import email
import uuid
from datetime import UTC, datetime
from email import policy
from typing import Any, ClassVar

import pytest

from marketplace.notifications import kinds
from marketplace.notifications.links import read_token, unsubscribe_token, unsubscribe_url
from marketplace.notifications.message import Outgoing, build_message
from marketplace.notifications.sender import backoff, is_permanent
from marketplace.notifications.texts import write

pytestmark = pytest.mark.unit

SECRET = "a-test-secret"
USER = str(uuid.uuid4())
NOW = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)


def parsed(mail: Outgoing, reply_to: str | None = "support@region.bzh") -> email.message.EmailMessage:
    raw = build_message(mail, mail_from="Seconde Vie <ne-pas-repondre@seconde-vie.bzh>", reply_to=reply_to,
                        now=NOW).as_bytes()
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, email.message.EmailMessage)
    return msg


def outgoing(**kw: object) -> Outgoing:
    base: dict[str, object] = {"id": "3f2a4c7e-0000-4000-8000-000000000001", "to_email": "claire@repar.bzh",
                                   "subject": "Seconde Vie : 2 nouvelles offres à réclamer",
                                   "text": "Bonjour Claire,\nDeux appareils…", "html": "<p>Bonjour Claire,</p>", "lang": "fr",
                                   "unsubscribe_url": "https://sv.example/notifications/desabonnement?t=abc"}
    base.update(kw)
    return Outgoing(**base)  # type: ignore[arg-type]


class TestHeaders:
    def test_a_notification_has_every_header_and_both_parts(self) -> None:
        msg = parsed(outgoing())
        assert msg["From"] == "Seconde Vie <ne-pas-repondre@seconde-vie.bzh>"
        assert msg["To"] == "claire@repar.bzh"
        assert msg["Reply-To"] == "support@region.bzh"
        assert msg["Date"] == "Wed, 02 Dec 2026 09:30:00 +0000"
        assert msg["Message-ID"] == "<3f2a4c7e-0000-4000-8000-000000000001@seconde-vie.bzh>"
        assert msg["List-Unsubscribe"] == "<https://sv.example/notifications/desabonnement?t=abc>"
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert msg.get_content_type() == "multipart/alternative"
        parts = [p.get_content_type() for p in msg.iter_parts()]
        assert parts == ["text/plain", "text/html"]
        assert msg.get_body(("plain",)).get_content().startswith("Bonjour Claire,")  # type: ignore[union-attr]

    def test_a_subject_with_accents_is_encoded_and_reads_back(self) -> None:
        raw = build_message(outgoing(), mail_from="x@y.fr", reply_to=None, now=NOW).as_string()
        subject_line = next(line for line in raw.splitlines() if line.startswith("Subject:"))
        assert "=?utf-8?" in subject_line and "à" not in subject_line
        assert parsed(outgoing())["Subject"] == "Seconde Vie : 2 nouvelles offres à réclamer"

    def test_an_account_email_has_no_unsubscribe_header_and_no_reply_to_when_unset(self) -> None:
        msg = parsed(outgoing(unsubscribe_url=None), reply_to=None)
        assert msg["List-Unsubscribe"] is None and msg["List-Unsubscribe-Post"] is None
        assert msg["Reply-To"] is None

    def test_the_message_id_is_the_rows_so_a_retry_carries_the_same(self) -> None:
        assert parsed(outgoing())["Message-ID"] == parsed(outgoing())["Message-ID"]


class TestUnsubscribeLinks:
    def test_a_token_names_its_person_and_kind(self) -> None:
        found = read_token(SECRET, unsubscribe_token(SECRET, USER, "offers_new"))
        assert found is not None and (found.user_id, found.kind) == (USER, "offers_new")

    @pytest.mark.parametrize("tamper", ["other-secret", "flip", "kind", "garbage"])
    def test_a_forged_or_altered_token_is_refused(self, tamper: str) -> None:
        token = unsubscribe_token(SECRET, USER, "offers_new")
        secret = SECRET
        if tamper == "other-secret":
            secret = "another"
        elif tamper == "flip":
            token = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
        elif tamper == "kind":
            # the same MAC with another kind appended
            token = unsubscribe_token(SECRET, USER, "offers_new")[:-3] + "xyz"
        else:
            token = "not a token at all!"
        assert read_token(secret, token) is None

    def test_the_url_points_at_the_unsubscribe_page(self) -> None:
        url = unsubscribe_url("https://sv.example/", SECRET, USER, "hold_ending")
        assert url.startswith("https://sv.example/notifications/desabonnement?t=")


class TestTexts:
    FACTS: ClassVar[list[dict[str, Any]]] = [{"device": "Dell Latitude 5490", "code": "ABCD1234EFGH", "donor": "Lycée des Embruns", "km": 12.4,
              "at": "2026-12-05T09:30:00+00:00"},
             {"device": "HP EliteDesk 800", "code": "SV-EFGH-5678", "donor": "Lycée de l'Aber", "km": None,
              "at": "2026-12-05T10:00:00+00:00"}]

    def test_one_email_lists_every_offer_with_donor_distance_expiry_and_the_link(self) -> None:
        w = write("offers_new", "fr", "Claire", self.FACTS, "https://sv.example", "https://sv.example/u?t=x")
        assert w.subject == "Seconde Vie : 2 nouvelle(s) offre(s) pour votre organisation"
        assert "Dell Latitude 5490 (ABCD-1234-EFGH), donné par Lycée des Embruns, à 12 km" in w.text
        assert "05/12/2026 10:30" in w.text  # Paris time
        assert "Lycée de l'Aber ; offre" in w.text  # no distance known: none written
        assert "https://sv.example/offres" in w.text and 'href="https://sv.example/offres"' in w.html
        assert "https://sv.example/u?t=x" in w.text and "https://sv.example/preferences" in w.html

    def test_in_english_for_an_english_reader(self) -> None:
        w = write("offers_new", "en", "Claire", self.FACTS, "https://sv.example", "https://sv.example/u?t=x")
        assert w.subject == "Seconde Vie: 2 new offer(s) for your organisation"
        assert "given by Lycée des Embruns, 12 km away" in w.text and w.html.startswith('<!DOCTYPE html><html lang="en">')

    def test_the_html_escapes_what_people_typed_and_has_no_image(self) -> None:
        facts = [{**self.FACTS[0], "donor": "<script>x</script>"}]
        w = write("offers_new", "fr", "A&B", facts, "https://sv.example", "https://sv.example/u?t=x")
        assert "<script>" not in w.html and "&lt;script&gt;" in w.html and "A&amp;B" in w.html
        assert "<img" not in w.html

    @pytest.mark.parametrize("kind", kinds.KINDS)
    def test_every_kind_has_its_words_in_both_languages(self, kind: str) -> None:
        lines = {"second_life": ["delivered", "recycled"], "admin_daily": ["dead_letter", "unclaimed"]}.get(kind)
        facts = [{**f, "line": li} for f, li in zip(self.FACTS, lines, strict=True)] if lines else self.FACTS
        for lang in ("fr", "en"):
            w = write(kind, lang, "N", facts, "https://sv.example", "https://sv.example/u")
            assert w.subject and "notify." not in w.subject + w.text


class TestModesAndRetries:
    def test_defaults_follow_the_organisation_kind(self) -> None:
        assert kinds.effective_mode("offers_new", "association", None) == "now"
        assert kinds.effective_mode("offers_new", "lycee", None) == "never"
        assert kinds.effective_mode("pickup_due", "lycee", None) == "now"
        assert kinds.effective_mode("offers_new", "association", "daily") == "daily"
        assert kinds.effective_mode("second_life", "lycee", None) == "weekly"
        assert kinds.effective_mode("admin_daily", "region", None, is_admin=True) == "daily"
        assert kinds.effective_mode("admin_daily", "region", None) == "never"

    def test_backoff_doubles_up_to_an_hour(self) -> None:
        assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [10, 20, 40]
        assert backoff(30).total_seconds() == 3600

    def test_only_a_refusal_of_the_message_is_permanent(self) -> None:
        import aiosmtplib

        assert is_permanent(aiosmtplib.SMTPRecipientRefused(550, "no such user", "x@y.fr"))
        assert not is_permanent(aiosmtplib.SMTPRecipientRefused(450, "try later", "x@y.fr"))
        assert not is_permanent(aiosmtplib.SMTPConnectError("refused"))
        assert not is_permanent(aiosmtplib.SMTPAuthenticationError(535, "bad login"))
        assert not is_permanent(ConnectionRefusedError())


class TestSmtpSecurity:
    @pytest.mark.parametrize(("security", "use_tls", "start_tls"),
                             [("none", False, False), ("starttls", False, True), ("tls", True, False)])
    def test_each_setting_asks_the_client_for_what_it_says(self, security: str, use_tls: bool,
                                                           start_tls: bool) -> None:
        from marketplace.notifications.sender import SmtpConfig

        client = SmtpConfig("smtp.example.org", 587, security, "user", "secret").client()
        assert (client.use_tls, client._start_tls_on_connect) == (use_tls, start_tls)
        assert (client.hostname, client.port, client._login_username) == ("smtp.example.org", 587, "user")
