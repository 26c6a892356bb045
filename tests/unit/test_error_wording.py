"""Refusals shown in the UI name states, roles and statuses in the reader's language, not as codes."""

from __future__ import annotations

from marketplace.domain.errors import DomainError, Forbidden, TransitionRefused
from ui.i18n import error_message


def test_a_refused_transition_names_both_states_in_words() -> None:
    err = TransitionRefused(state="diagnosed", target="refurbished")
    assert error_message(err, "fr") == "Impossible de passer de l'état « diagnostiqué » à « reconditionné »."
    assert "diagnosed" in error_message(err, "en") and "refurbished" in error_message(err, "en")


def test_a_wrong_role_names_the_roles_in_words() -> None:
    message = error_message(Forbidden(needed="maker / refurbisher", role="third_place"), "fr")
    assert "reconditionneur" in message and "tiers-lieu" in message and "third_place" not in message


def test_a_closed_offer_says_why_in_words() -> None:
    assert "withdrawn" not in error_message(DomainError("offer.closed", status="withdrawn"), "fr")
    assert "withdrawn" in error_message(DomainError("offer.closed", status="withdrawn"), "en")


def test_an_unknown_code_is_shown_as_is_rather_than_lost() -> None:
    assert "mystery" in error_message(TransitionRefused(state="mystery", target="offered"), "fr")
