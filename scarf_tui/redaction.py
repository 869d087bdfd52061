"""Redaction: one registry of the secrets in use (API tokens), one function that cuts them out.

Every sentence the app shows or raises passes through ``redact``: ScarfError and ConfigError
call it on their message, ``sanitize`` calls it before shortening server text (so a cut can
never leave most of a token behind). Tokens register themselves: config.Token on creation, the
HTTP client for a plain-text token. No imports beyond the standard library, so every layer may
use it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

REDACTED = "***"
# Shorter strings are no secret worth the name (the demo's public tokens), and cutting them out
# would garble ordinary words.
MIN_SECRET_LENGTH = 8
# A run this long of a secret's characters is a piece of it, wherever it stands.
FRAGMENT_LENGTH = 10
# At either end of a text, a piece this long counts: the text may have been cut in the token.
# (Shorter pieces would match ordinary words at the ends of sentences.)
EDGE_LENGTH = 6

_secrets_lock = threading.Lock()
_secrets: tuple[str, ...] = ()  # longest first
_secret_forms: tuple[str, ...] = ()  # the secrets and their escaped spellings, longest first
_secret_bytes: tuple[bytes, ...] = ()
_secret_prefixes: tuple[bytes, ...] = ()
_secret_blocks: tuple[str, ...] = ()


def register_secret(value: str | None) -> None:
    """Remember a secret (an API token) so that redact() cuts it out of any text from now on.
    Registration lasts for the process: a secret once used stays a secret."""
    global _secrets, _secret_forms, _secret_bytes, _secret_prefixes, _secret_blocks
    if not value or len(value) < MIN_SECRET_LENGTH or value in _secrets:
        return
    with _secrets_lock:
        secrets = sorted({*_secrets, value}, key=len, reverse=True)
        forms = {form for s in secrets for form in (s, quote(s, safe=""), json.dumps(s)[1:-1])}
        _secrets = tuple(secrets)
        _secret_forms = tuple(sorted(forms, key=len, reverse=True))
        _secret_bytes = tuple(form.encode("utf-8", "replace") for form in _secret_forms)
        # Blocks this far apart: every run of FRAGMENT_LENGTH holds one whole block.
        stride = FRAGMENT_LENGTH - EDGE_LENGTH + 1
        _secret_blocks = tuple(
            {s[i : i + EDGE_LENGTH] for s in secrets for i in range(0, len(s) - EDGE_LENGTH + 1, stride)}
            | {s[-EDGE_LENGTH:] for s in secrets}
        )
        _secret_prefixes = tuple(s[:FRAGMENT_LENGTH].encode("utf-8", "replace") for s in secrets)


@contextmanager
def scoped_secrets() -> Iterator[None]:
    """Secrets registered inside the block are forgotten when it ends. For tests: one test's
    made-up token must not redact the next test's data (a token "secret-…" would cut the demo's
    "secret-sauce" package name as a possible truncated token)."""
    global _secrets, _secret_forms, _secret_bytes, _secret_prefixes, _secret_blocks
    with _secrets_lock:
        saved = (_secrets, _secret_forms, _secret_bytes, _secret_prefixes, _secret_blocks)
    try:
        yield
    finally:
        with _secrets_lock:
            _secrets, _secret_forms, _secret_bytes, _secret_prefixes, _secret_blocks = saved


class Scrubber:
    """Cuts the registered secrets out of raw bytes (stream lines). Its repr names no secret:
    a crash dump shows every frame's locals, and a stream's frame holds one of these."""

    __slots__ = ("_forms",)

    def __init__(self, forms: tuple[bytes, ...]) -> None:
        self._forms = forms

    def __bool__(self) -> bool:
        return bool(self._forms)

    def found_in(self, data: bytes) -> bool:
        return any(form in data for form in self._forms)

    def __call__(self, data: bytes) -> bytes:
        for form in self._forms:
            if form in data:
                data = data.replace(form, REDACTED.encode())
        return data

    def __repr__(self) -> str:
        return f"Scrubber({len(self._forms)} forms)"


def scrubber() -> Scrubber:
    """A Scrubber for the secrets registered now."""
    return Scrubber(_secret_bytes)


def redact_bytes(data: bytes) -> bytes:
    """``data`` with every registered secret replaced by ``***`` (whole occurrences only: for
    raw bodies and lines, which are never cut inside a token)."""
    return Scrubber(_secret_bytes)(data)


def redact(text: str) -> str:
    """``text`` without any registered secret: whole occurrences (also percent- or
    JSON-escaped), any run of FRAGMENT_LENGTH of its characters, and a piece of at least
    EDGE_LENGTH characters where the text starts or ends (it may have been cut inside a token)."""
    if not _secrets:
        return text
    for form in _secret_forms:
        if form in text:
            text = text.replace(form, REDACTED)
    for secret in _secrets:
        text = _redact_fragments(text, secret)
        text = _redact_edges(text, secret)
    return text


def _redact_fragments(text: str, secret: str) -> str:
    size = min(FRAGMENT_LENGTH, len(secret))
    for i in range(len(secret) - size + 1):
        piece = secret[i : i + size]
        pos = 0
        while (at := text.find(piece, pos)) >= 0:
            # Grow the match both ways as far as the text keeps following the secret.
            start, end, left, right = at, at + size, i, i + size
            while start > 0 and left > 0 and text[start - 1] == secret[left - 1]:
                start, left = start - 1, left - 1
            while end < len(text) and right < len(secret) and text[end] == secret[right]:
                end, right = end + 1, right + 1
            text = text[:start] + REDACTED + text[end:]
            pos = start + len(REDACTED)
    return text


def _redact_edges(text: str, secret: str) -> str:
    for size in range(min(len(secret), FRAGMENT_LENGTH) - 1, EDGE_LENGTH - 1, -1):
        if text.endswith(secret[:size]):
            text = text[:-size] + REDACTED
            break
    for size in range(min(len(secret), FRAGMENT_LENGTH) - 1, EDGE_LENGTH - 1, -1):
        if text.startswith(secret[-size:]):
            text = REDACTED + text[size:]
            break
    return text


def redact_json(value: Any) -> Any:
    """A decoded JSON value with every string (keys too) redacted."""
    if isinstance(value, str):
        return redact(value) if _touches_secret(value) else value
    if isinstance(value, list):
        return [redact_json(item) for item in value]
    if isinstance(value, dict):
        return {redact_json(k): redact_json(v) for k, v in value.items()}
    return value


def may_hold_secret(raw: bytes) -> bool:
    """Whether raw JSON text could spell a registered secret: it holds one (or the start of
    one), or an escape that could spell one. False means redact_json has nothing to do."""
    if not _secrets:
        return False
    if b"\\" in raw:
        return True
    return any(form in raw for form in _secret_bytes) or any(prefix in raw for prefix in _secret_prefixes)


def _touches_secret(text: str) -> bool:
    # Every piece redact() cuts holds one of these blocks: a run of FRAGMENT_LENGTH spans a
    # whole block, an edge piece (at least EDGE_LENGTH) starts or ends the secret.
    return any(block in text for block in _secret_blocks)


__all__ = [
    "REDACTED",
    "Scrubber",
    "may_hold_secret",
    "redact",
    "redact_bytes",
    "redact_json",
    "register_secret",
    "scoped_secrets",
    "scrubber",
]
