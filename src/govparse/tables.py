"""Task tables: a header row (任务 / 牵头单位 / 配合单位 / 完成时限) and the rows under it.

A table row reaches us as one line with its cells joined by a tab (docx and html
readers keep them apart; the normalizer turns wide space gaps into tabs).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import lexicon
from .normalize import Line
from .structure import match_heading


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


def join_cell_lines(lines: list[Line]) -> list[Line]:
    """A task table flattened one cell per line (what copying a table out of a PDF or a
    web page often leaves) made into rows of tab-separated cells, as ``read_tables``
    reads them: a header of three or more column names on consecutive lines, led by a
    number column (序号), then rows that each open with their number (1, 2, 3 …) and
    have one line for every other column.  Rows are taken only while that holds, so a
    cell wrapped over two lines ends the table rather than shifting cells into the
    wrong columns.  A joined line cites its first and last line."""
    out: list[Line] = []
    i, n = 0, len(lines)
    while i < n:
        j = i
        while j < n and "\t" not in lines[j].text and column_kind(lines[j].text):
            j += 1
        width = j - i
        if width >= 3 and column_kind(lines[i].text) == "number" and header_kinds(_joined(lines[i:j])):
            rows, k, number = [], j, 1
            while k + width <= n and lines[k].text.strip() == str(number):
                cells = lines[k:k + width]
                after = k + width
                if any("\t" in c.text or column_kind(c.text) == "number" for c in cells[1:]):
                    break
                if after < n and lines[after].text.strip() != str(number + 1) and not _table_ends(lines[after]):
                    break  # the next line is neither the next row nor past the table
                rows.append(_joined(cells))
                k, number = after, number + 1
            if rows:
                out.append(_joined(lines[i:j]))
                out.extend(rows)
                i = k
                continue
        out.append(lines[i])
        i += 1
    return out


def _joined(cells: list[Line]) -> Line:
    return Line("\t".join(c.text.strip() for c in cells), cells[0].origin, cells[-1].end)


def _table_ends(line: Line) -> bool:
    """A line after a table's last row that cannot be one of its cells: a heading or a
    sentence (a cell is a short phrase)."""
    text = line.text
    return bool(match_heading(text)) or text.endswith(("。", ":")) or len(text) > 60
