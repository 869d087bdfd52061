"""scarf-tui: a keyboard-first terminal UI for Scarf."""

__version__ = "0.1.0"
