"""The one wording of a failure on screen.

The API layer words its own failures (every ScarfError is a sentence that never holds the
token). Anything else is a bug of ours: the user still gets one line naming it, never a
traceback, and the text goes through safe_str so it cannot carry markup or escapes.
"""

from __future__ import annotations

from textual.dom import DOMNode

from scarf_tui.api.errors import ScarfError
from scarf_tui.tui.common.text import safe_str

# The title of the notification a refused or failed write shows.
WRITE_FAILED = "Change not saved"


def describe_error(err: BaseException | str) -> str:
    if isinstance(err, str):
        return err
    if isinstance(err, ScarfError):
        return str(err)
    return f"Unexpected error ({type(err).__name__}): {safe_str(err)}"


def notify_error(node: DOMNode, err: BaseException | str, *, title: str = "") -> str:
    """Tell the user (a notification, never markup) and return the sentence shown."""
    message = describe_error(err)
    node.app.notify(message, title=title, severity="error", markup=False)
    return message
