"""What a sign-in gives back: the new session's token (for the caller to keep, never to show) and the user."""

from __future__ import annotations

from schemas.views import UserView


class SignedIn:
    def __init__(self, token: str, user: UserView) -> None:
        self.token = token
        self.user = user
