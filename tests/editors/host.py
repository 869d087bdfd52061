"""The editors use the shared pane host (tests/pane_host.py). The subclass only keeps the
app's title, which the committed snapshots show."""

from tests.pane_host import FIXED_TODAY, PaneHost, in_process_service


class EditorHost(PaneHost):
    pass


__all__ = ["FIXED_TODAY", "EditorHost", "in_process_service"]
