"""Task tables: a header row (任务 / 牵头单位 / 配合单位 / 完成时限) and the rows under it.

A table row reaches us as one line with its cells joined by a tab (docx and html
readers keep them apart; the normalizer turns wide space gaps into tabs).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import lexicon
from .normalize import Line


@dataclass
class TableRow:
    line: Line
    cells: dict[str, str]  # column kind (number, task, lead, support, open, deadline, ...) -> text


@lru_cache(maxsize=1)
def _columns() -> list[tuple[str, str]]:
    """(header word, column kind), longest words first."""
    cols = []
    for kind, words in lexicon.load("tables")["columns"].items():
        cols += [(w, kind) for w in words]
    for label, role in lexicon.load("roles")["labels"].items():
        if len(label) >= 3 or label.endswith(("单位", "部门")):
            cols.append((label, role))
    return sorted(cols, key=lambda c: len(c[0]), reverse=True)


def column_kind(cell: str) -> str | None:
    c = cell.strip().replace(" ", "")
    if not c or len(c) > 12:
        return None
    for word, kind in _columns():
        if c == word or (c.startswith(word) and len(c) - len(word) <= 4) or (c.endswith(word) and len(c) - len(word) <= 2):
            return kind
    return None


def header_kinds(line: Line) -> list[str | None] | None:
    """Column kinds of a header row, or None when the line is no task-table header."""
    if "\t" not in line.text:
        return None
    kinds = [column_kind(c) for c in line.text.split("\t")]
    known = [k for k in kinds if k]
    if len(known) >= 2 and any(k in ("lead", "support", "open") for k in known):
        return kinds
    return None


def read_tables(lines: list[Line]) -> tuple[list[Line], list[TableRow]]:
    """Split a block's lines into ordinary lines and table rows under a header."""
    plain: list[Line] = []
    rows: list[TableRow] = []
    kinds: list[str | None] | None = None
    for ln in lines:
        if "\t" in ln.text:
            hk = header_kinds(ln)
            if hk:
                kinds = hk
                continue
            if kinds:
                cells = ln.text.split("\t")
                row: dict[str, str] = {}
                for kind, cell in zip(kinds, cells):
                    cell = cell.strip()
                    if kind and cell:
                        row[kind] = (row[kind] + " " + cell) if kind in row else cell
                if row.get("task"):
                    rows.append(TableRow(ln, row))
                    continue
        else:
            kinds = None
        plain.append(ln)
    return plain, rows
