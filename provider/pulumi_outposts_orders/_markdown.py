"""Markdown tables for pull-request comments and ``--markdown`` output (GitHub-flavoured)."""

from __future__ import annotations

from collections.abc import Sequence


def cell(text: object) -> str:
    """``text`` safe inside a table cell: pipes escaped, line breaks as ``<br>``, empty as a dash."""
    value = str(text).strip() if text is not None else ""
    if not value:
        return "—"
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "\n").replace("\n", "<br>")


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A table: a header row, a separator, then one line per row (every row has len(headers) cells)."""
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"a row has {len(row)} cells, the table {len(headers)} columns: {row!r}")
    lines = [_line(headers), _line(["---"] * len(headers))]
    lines += [_line([cell(value) for value in row]) for row in rows]
    return "\n".join(lines)


def code(text: object) -> str:
    """``text`` as inline code (backticks inside are dropped, so the span cannot break)."""
    return f"`{str(text).replace('`', '')}`"


def _line(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"
