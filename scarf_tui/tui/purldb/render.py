"""PurlDB records as rich renderables: every value is server text shown literally."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text

from scarf_tui.sources.purldb import HistoryEntry, Page, PurlPackage, Resource
from scarf_tui.tui.common.text import format_when, safe_text

MAX_DEPENDENCIES = 50
MAX_HISTORY = 30


def _value(value: object) -> Text:
    if value is None or value == "":
        return Text("(none)", style="dim")
    return safe_text(value)


def _heading(text: str) -> Text:
    return Text(f"\n{text}", style="bold underline")


def details_renderable(pkg: PurlPackage, history: Sequence[HistoryEntry] | None) -> Group:
    fields = Table.grid(padding=(0, 1), expand=True)
    fields.add_column(style="bold", no_wrap=True)
    fields.add_column(ratio=1, overflow="fold")
    released = format_when(pkg.release_date) if pkg.release_date else None
    rows: list[tuple[str, object]] = [
        ("purl", pkg.purl),
        ("Version", pkg.version),
        ("Released", released),
        ("License", pkg.declared_license),
        ("Language", pkg.primary_language),
        ("Homepage", pkg.homepage_url),
        ("Repository", pkg.repository_url),
        ("Download", pkg.download_url),
        ("Repo download", pkg.repository_download_url),
        ("Issues", pkg.bug_tracking_url),
        ("Description", pkg.description),
    ]
    for label, value in rows:
        fields.add_row(label, _value(value))
    parts: list[object] = [fields, _heading(f"Dependencies ({len(pkg.dependencies)})")]
    if pkg.dependencies:
        deps = Table(box=None, expand=True, show_edge=False, pad_edge=False, header_style="bold")
        deps.add_column("purl", ratio=3, overflow="fold")
        deps.add_column("requirement", ratio=2, overflow="fold")
        deps.add_column("scope", ratio=1, overflow="fold")
        deps.add_column("runtime", width=7)
        for dep in pkg.dependencies[:MAX_DEPENDENCIES]:
            runtime = "" if dep.is_runtime is None else ("yes" if dep.is_runtime else "no")
            deps.add_row(safe_text(dep.purl), _value(dep.requirement), _value(dep.scope), Text(runtime))
        parts.append(deps)
        if len(pkg.dependencies) > MAX_DEPENDENCIES:
            parts.append(Text(f"… and {len(pkg.dependencies) - MAX_DEPENDENCIES} more", style="dim"))
    else:
        parts.append(Text("No dependencies recorded.", style="dim"))
    parts.append(_heading("History"))
    if history is None:
        parts.append(Text("loading…", style="dim"))
    elif not history:
        parts.append(Text("No history recorded.", style="dim"))
    else:
        for entry in history[:MAX_HISTORY]:
            when = format_when(entry.timestamp) if entry.timestamp else (entry.raw_timestamp or "")
            line = Text(f"{when}  ", style="dim")
            line.append_text(safe_text(entry.message))
            parts.append(line)
    return Group(*parts)  # type: ignore[arg-type]  # rich accepts any renderable here


def resources_renderable(pages: Sequence[Page[Resource]]) -> Group:
    items = [r for page in pages for r in page.items]
    total = pages[0].count if pages else 0
    more = pages[-1].has_more if pages else False
    head = f"Resources ({len(items)} of {total})" + (" · m loads more" if more else "")
    table = Table(box=None, expand=True, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("path", ratio=4, overflow="fold")
    table.add_column("type", width=9)
    table.add_column("size", width=9, justify="right")
    table.add_column("license", ratio=2, overflow="fold")
    for resource in items:
        table.add_row(
            safe_text(resource.path),
            _value(resource.type),
            Text("" if resource.size is None else str(resource.size)),
            _value(resource.license),
        )
    return Group(_heading(head), table if items else Text("No resources.", style="dim"))
