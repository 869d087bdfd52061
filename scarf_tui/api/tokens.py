"""API tokens as they travel: a str or config.Token, revealed only to build the header, and
refused with a sentence (never quoting it) when it cannot be a header at all."""

from __future__ import annotations

import re
from typing import Protocol

from scarf_tui.api.errors import AuthError


class RevealableToken(Protocol):
    def reveal(self) -> str: ...


TokenLike = str | RevealableToken | None


def reveal_token(token: TokenLike) -> str | None:
    """The token's text, whether it came as a plain str or as config.Token."""
    if token is None:
        return None
    if isinstance(token, str):
        return token or None
    value = token.reveal()
    return value or None


# What a token may hold: visible ASCII. Anything else (a line break or space from a bad paste,
# a non-ASCII letter) cannot travel in a header, and httpx's error about it would quote it.
_TOKEN_TEXT = re.compile(r"[\x21-\x7e]+")


def check_token(secret: str | None) -> None:
    """AuthError, without the token in it, when the token cannot be sent as a header."""
    if secret is not None and not _TOKEN_TEXT.fullmatch(secret):
        raise AuthError(
            "The API token contains characters no token has (a space, line break, control "
            "character or non-ASCII letter); copy it again from https://scarf.sh/user-account."
        )
