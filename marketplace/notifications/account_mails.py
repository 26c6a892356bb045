"""The account e-mails (invitation, password reset): subject, text and HTML, in the person's language.

Pure: the catalogues give the sentences, the caller gives the link. No image, no tracking pixel, no
redirecting link: the link is written out in full in both parts, so a reader sees where it goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from marketplace.i18n import catalogues


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str


def _t(key: str, lang: str, **params: object) -> str:
    return catalogues.text(key, lang).format(**params)


def _mail(lang: str, subject: str, paragraphs: list[str], link: str, after: list[str]) -> Mail:
    text = "\n\n".join([*paragraphs, link, *after, _t("mail.signature", lang)]) + "\n"
    parts = [f"<p>{escape(p)}</p>" for p in paragraphs]
    parts.append(f'<p><a href="{escape(link, quote=True)}">{escape(link)}</a></p>')
    parts += [f"<p>{escape(p)}</p>" for p in after]
    parts.append(f"<p>{escape(_t('mail.signature', lang))}</p>")
    html = (f'<!DOCTYPE html>\n<html lang="{escape(lang, quote=True)}"><head><meta charset="utf-8">'
            f"<title>{escape(subject)}</title></head>\n<body>\n" + "\n".join(parts) + "\n</body></html>\n")
    return Mail(subject, text, html)


def invitation_mail(lang: str, *, name: str, org_name: str, inviter: str, link: str, hours: int) -> Mail:
    """The invitation to choose a password: who invites, for which organisation, the link and its validity."""
    return _mail(lang, _t("mail.invitation.subject", lang),
                 [_t("mail.hello", lang, name=name),
                  _t("mail.invitation.body", lang, inviter=inviter, org=org_name),
                  _t("mail.invitation.action", lang, hours=hours)],
                 link, [_t("mail.invitation.ignore", lang)])


def password_reset_mail(lang: str, *, name: str, link: str, minutes: int) -> Mail:
    """The link to choose a new password, asked for on /connexion."""
    return _mail(lang, _t("mail.reset.subject", lang),
                 [_t("mail.hello", lang, name=name), _t("mail.reset.body", lang, minutes=minutes)],
                 link, [_t("mail.reset.ignore", lang)])
