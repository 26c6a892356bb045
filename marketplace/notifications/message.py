"""Building the e-mail itself from a queued row (pure: no I/O, unit-tested).

Multipart text + HTML; Date, a Message-ID fixed by the row (a retry after an uncertain delivery carries
the same one, so a receiving server can drop the copy), From and Reply-To, the subject encoded when it
is not ASCII, and for notifications `List-Unsubscribe` with the one-click link (RFC 8058). No images and
no tracking pixels: the HTML is the text, with links.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr


@dataclass(frozen=True)
class Outgoing:
    id: str
    to_email: str
    subject: str
    text: str
    html: str
    lang: str
    unsubscribe_url: str | None = None


def sender_domain(mail_from: str) -> str:
    address = parseaddr(mail_from)[1]
    return address.rpartition("@")[2] or "localhost"


def build_message(mail: Outgoing, *, mail_from: str, reply_to: str | None, now: datetime) -> EmailMessage:
    """The RFC 5322 message for one queued e-mail."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = mail_from
    msg["To"] = Address(addr_spec=mail.to_email)
    if reply_to:
        msg["Reply-To"] = reply_to
    msg["Subject"] = mail.subject
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = f"<{mail.id}@{sender_domain(mail_from)}>"
    msg["Auto-Submitted"] = "auto-generated"
    if mail.unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(mail.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(mail.html, subtype="html", charset="utf-8", cte="quoted-printable")
    msg["Content-Language"] = mail.lang  # after set_content, which drops Content-* headers
    return msg
