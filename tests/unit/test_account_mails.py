"""Issue 17: the account e-mails (pure) and the new-password policy."""

from __future__ import annotations

import pytest

from marketplace.auth.password_policy import MIN_LENGTH, check_new_password, common_passwords
from marketplace.domain.errors import InvalidInput
from marketplace.notifications.account_mails import invitation_mail, password_reset_mail

LINK = "https://seconde-vie.example.org/mot-de-passe/definir/abc_DEF-123&x"


class TestAccountMails:
    def test_the_invitation_is_in_the_persons_language_with_the_link_in_full_and_no_image(self) -> None:
        fr = invitation_mail("fr", name="Awen", org_name="Répar'Acteurs <Brest>", inviter="Anne", link=LINK, hours=72)
        en = invitation_mail("en", name="Awen", org_name="Répar'Acteurs <Brest>", inviter="Anne", link=LINK, hours=72)
        assert "mot de passe" in fr.subject and "password" in en.subject
        assert LINK in fr.text and "72 heures" in fr.text and "72 hours" in en.text
        assert 'href="https://seconde-vie.example.org/mot-de-passe/definir/abc_DEF-123&amp;x"' in fr.html
        assert "&lt;Brest&gt;" in fr.html and "<Brest>" not in fr.html  # names are escaped
        assert "<img" not in fr.html and 'lang="en"' in en.html

    def test_the_reset_mail_says_how_long_the_link_lasts(self) -> None:
        mail = password_reset_mail("fr", name="Awen", link=LINK, minutes=60)
        assert "60 minutes" in mail.text and LINK in mail.text and mail.subject


class TestNewPasswords:
    def test_a_long_uncommon_phrase_is_accepted_without_composition_rules(self) -> None:
        check_new_password("le phare du petit minou")

    @pytest.mark.parametrize(("password", "why"), [
        ("a" * (MIN_LENGTH - 1), "password.too_short"), ("x" * 201, "password.too_long"),
        ("qwerty123456", "password.too_common"), ("AZERTYUIOP123", "password.too_common"),
        ("awen.le-gall@example.org", "password.personal"),
    ])
    def test_a_weak_password_is_refused_saying_why(self, password: str, why: str) -> None:
        with pytest.raises(InvalidInput) as refused:
            check_new_password(password, email="awen.le-gall@example.org", name="Awen Le Gall")
        assert refused.value.message_key == why

    def test_the_shipped_list_holds_the_ten_thousand_most_common_passwords(self) -> None:
        common = common_passwords()
        assert len(common) >= 10_000 and {"123456", "password", "azerty", "motdepasse"} <= common
