"""Server text as data: never markup, never terminal escapes.

A package may be named ``[@click=app.quit]x[/]`` or carry ``\\x1b[31m``; both must show (or
vanish, for escapes) literally and do nothing. Wide (漢字) and right-to-left (שלום) letters are
kept; ANSI sequences and control characters go.

One rule for invisible characters: every zero-width or bidi control character (zero-width space,
non-joiner and joiner, word joiner and the other invisible operators U+2060-U+2064, the BOM,
soft hyphen, Mongolian vowel separator, the bidi marks, embeddings, overrides and isolates:
INVISIBLE below) shows as INVISIBLE_MARK "⍽", one cell per character. So "zero\\u200bwidth" reads
"zero⍽width" and never looks like "zerowidth", and a right-to-left override can't reorder what
follows it. (An emoji joined by U+200D shows its parts with ⍽ between them: the price of the
rule.) What a user types is compared through typed_form, which leaves these characters and the
mark out, so "zerowidth" still confirms the deletion of "zero⍽width".
"""

from __future__ import annotations

import re

from rich.text import Text

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), and two-character ESC sequences.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]?")
# C0/C1 controls except tab/newline (handled separately), and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NEWLINES = re.compile(r"[\r\n]+")
INVISIBLE = re.compile(r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
INVISIBLE_MARK = "\u237d"  # ⍽ SHOULDERED OPEN BOX, one cell wide


def safe_str(value: object, *, multiline: bool = False) -> str:
    """`value` as plain printable text. With multiline=False, newlines and tabs become spaces."""
    if value is None:
        return ""
    s = str(value)
    if s.isascii() and s.isprintable():  # no escape, control, tab, newline or invisible: as is
        return s
    s = _ANSI.sub("", s)
    if multiline:
        s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    else:
        s = _NEWLINES.sub(" ", s).replace("\t", " ")
    return INVISIBLE.sub(INVISIBLE_MARK, _CONTROL.sub("", s))


def typed_form(value: object) -> str:
    """``value`` as a user can type it, to compare typed text with server text: safe_str without
    the invisible characters and their mark (neither can be typed)."""
    return safe_str(value).replace(INVISIBLE_MARK, "").strip()


def safe(value: object, *, multiline: bool = False, style: str = "") -> Text:
    """A rich Text holding `value` literally (Text never parses markup)."""
    return Text(safe_str(value, multiline=multiline), style=style, end="")


def format_when(value: object) -> str:
    """A server timestamp for display: "2024-04-02 13:05 UTC" (no seconds, no microseconds)."""
    if value is None:
        return ""
    strftime = getattr(value, "strftime", None)
    if strftime is None:
        return safe_str(value)
    tz = getattr(value, "tzname", lambda: None)()
    return strftime("%Y-%m-%d %H:%M") + (f" {tz}" if tz else "")


def safe_text(value: object, *, style: str = "") -> Text:
    """Server text as a literal, escape-free rich Text (never markup)."""
    return safe("" if value is None else value, style=style)


def shown(value: object, *, empty: str = "—") -> str:
    """Server text as a printable one-line str, with a visible stand-in for nothing."""
    text = safe_str(value)
    return text if text.strip() else empty
