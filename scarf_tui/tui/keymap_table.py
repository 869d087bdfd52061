"""Every binding of the TUI that has an id (the ids config.toml's [keymap] remaps), gathered from
the TUI's classes without starting the app.

Each module of scarf_tui.tui is imported and each class defined there is read the way the app
reads a node's bindings (``BINDINGS`` of every class in its MRO, through
``Binding.make_bindings``). An id declared by several classes (a base and its subclasses, or
two widgets that share a meaning) is one row, its keys the union of theirs. The group of an id
is the part before its dot: where it applies (``app``, ``table``, ``permissions``, ...).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from textual.binding import Binding

import scarf_tui.tui


@dataclass(frozen=True)
class KeyBinding:
    """One binding id: its default keys, its keys with a keymap applied, and what it does."""

    binding_id: str
    default_keys: tuple[str, ...]
    keys: tuple[str, ...]
    description: str
    declared_by: tuple[str, ...] = field(default=())  # class names, for the curious

    @property
    def group(self) -> str:
        return self.binding_id.partition(".")[0]

    @property
    def remapped(self) -> bool:
        return self.keys != self.default_keys


def tui_module_names() -> list[str]:
    """Every module of the scarf_tui.tui package, this one included."""
    prefix = scarf_tui.tui.__name__ + "."
    return sorted(info.name for info in pkgutil.walk_packages(scarf_tui.tui.__path__, prefix))


def _classes_of(module_names: Iterable[str]) -> list[type]:
    classes: list[type] = []
    for name in module_names:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if inspect.isclass(value) and value.__module__ == name:
                classes.append(value)
    return classes


def default_bindings(module_names: Iterable[str] | None = None) -> list[KeyBinding]:
    """Every binding id declared by the classes of ``module_names`` (default: the whole TUI),
    once each, sorted by group then id, with its default keys."""
    keys: dict[str, list[str]] = {}
    descriptions: dict[str, str] = {}
    declared_by: dict[str, list[str]] = {}
    names = tui_module_names() if module_names is None else list(module_names)
    for cls in _classes_of(names):
        for base in cls.__mro__:
            for binding in Binding.make_bindings(base.__dict__.get("BINDINGS", [])):
                if not binding.id:
                    continue
                known = keys.setdefault(binding.id, [])
                key = binding.key.strip()
                if key and key not in known:
                    known.append(key)
                descriptions.setdefault(binding.id, binding.description or binding.action)
                owners = declared_by.setdefault(binding.id, [])
                if base.__name__ not in owners:
                    owners.append(base.__name__)
    return sorted(
        (
            KeyBinding(
                binding_id=binding_id,
                default_keys=tuple(found),
                keys=tuple(found),
                description=descriptions[binding_id],
                declared_by=tuple(declared_by[binding_id]),
            )
            for binding_id, found in keys.items()
        ),
        key=lambda b: (b.group != "app", b.group, b.binding_id),  # the app's own keys first
    )


def keymap_keys(value: str) -> tuple[str, ...]:
    """The keys a [keymap] value names ("colon, semicolon" -> ("colon", "semicolon"))."""
    return tuple(key for part in value.split(",") if (key := part.strip()))


def apply_keymap(bindings: Iterable[KeyBinding], keymap: Mapping[str, str]) -> list[KeyBinding]:
    """``bindings`` with the keys in force: a [keymap] entry replaces an id's keys (an empty
    value leaves them, as Textual does)."""
    applied: list[KeyBinding] = []
    for binding in bindings:
        remapped = keymap_keys(keymap.get(binding.binding_id, ""))
        applied.append(
            KeyBinding(
                binding_id=binding.binding_id,
                default_keys=binding.default_keys,
                keys=remapped or binding.default_keys,
                description=binding.description,
                declared_by=binding.declared_by,
            )
        )
    return applied


def unknown_ids(bindings: Iterable[KeyBinding], keymap: Mapping[str, str]) -> list[str]:
    """The [keymap] ids that name no binding, in the keymap's order."""
    known = {binding.binding_id for binding in bindings}
    return [binding_id for binding_id in keymap if binding_id not in known]


__all__ = ["KeyBinding", "apply_keymap", "default_bindings", "keymap_keys", "tui_module_names", "unknown_ids"]
