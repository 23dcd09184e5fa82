"""Tables for people: CSV (Excel-friendly), XLSX and Markdown.

A table is ``headers`` (list of str) and ``rows`` (lists of cells).  A cell is a
``str``, an ``int``, a ``datetime.date`` or ``None`` (empty).  Text that a
spreadsheet would run as a formula (it begins with = + - @, a tab or a carriage
return) is prefixed with a single quote in CSV and XLSX, as OWASP advises.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import unicodedata
from typing import Any, Sequence

Cell = Any  # str | int | datetime.date | None

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_WIDTH = 60
XLSX_MIN_WIDTH = 6
SHEET_TITLE_MAX = 31
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
# characters XML 1.0 cannot carry (openpyxl refuses them)
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# columns whose text is long enough to wrap
_WRAP_HEADERS = {"任务", "Task", "目标", "Targets", "时限原文", "Deadline text", "章节", "Section"}


def defuse(text: str) -> str:
    """Text a spreadsheet will show as text, never run as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, _dt.date):
        return cell.isoformat()
    return str(cell)


def write_csv(headers: Sequence[str], rows: Sequence[Sequence[Cell]], *, bom: bool = True,
              encoding: str = "utf-8") -> bytes:
    """RFC 4180 CSV (CRLF, minimal quoting). UTF-8 with a BOM by default, so that Excel
    on a Chinese Windows opens it right; ``encoding="gb18030"`` never has a BOM."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    w.writerow([defuse(h) for h in headers])
    for row in rows:
        w.writerow([c if isinstance(c, int) else defuse(_text(c)) for c in row])
    data = buf.getvalue().encode(encoding)
    if bom and encoding.replace("-", "").replace("_", "").lower() == "utf8":
        data = b"\xef\xbb\xbf" + data
    return data


def text_width(text: str) -> int:
    """Display width: wide (CJK) characters count 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def sheet_titles(names: Sequence[str]) -> list[str]:
    """Excel sheet titles made from ``names``: at most 31 characters, none of []:*?/\\,
    not empty, not starting or ending with ', and unique (case-insensitively)."""
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        base = _SHEET_BAD.sub("_", _XML_ILLEGAL.sub("", name)).strip().strip("'") or "Sheet"
        base = base[:SHEET_TITLE_MAX]
        title, n = base, 2
        while title.lower() in seen:
            suffix = f"-{n}"
            title, n = base[: SHEET_TITLE_MAX - len(suffix)] + suffix, n + 1
        seen.add(title.lower())
        out.append(title)
    return out


def write_xlsx(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Cell]]]]) -> bytes:
    """A workbook with one sheet per ``(title, headers, rows)``: bold frozen header,
    autofilter, widths fitted to Chinese text, wrapped long text, real dates.
    Text cells are always strings (never formulas); titles are made safe and unique."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    titles = sheet_titles([t for t, _, _ in sheets]) if sheets else []
    if not sheets:
        wb.create_sheet("Sheet")
    for title, (_, headers, rows) in zip(titles, sheets):
        ws = wb.create_sheet(title)
        widths = [text_width(h) for h in headers]
        wrapped = {i for i, h in enumerate(headers) if h in _WRAP_HEADERS}
        for c, h in enumerate(headers, start=1):
            cell = ws.cell(row=1, column=c)
            _set_text(cell, h)
            cell.font = bold
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                if isinstance(value, _dt.datetime):
                    value = value.date()
                if isinstance(value, _dt.date):
                    cell.value = value
                    cell.number_format = "yyyy-mm-dd"
                    width = 10
                elif isinstance(value, int) and not isinstance(value, bool):
                    cell.value = value
                    width = len(str(value))
                else:
                    text = _text(value)
                    if text:  # an empty cell stays blank
                        _set_text(cell, text)
                    width = max((text_width(part) for part in text.split("\n")), default=0)
                cell.alignment = wrap if c - 1 in wrapped else top
                widths[c - 1] = max(widths[c - 1], width)
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(max(w + 2, XLSX_MIN_WIDTH), XLSX_MAX_WIDTH)
        ws.freeze_panes = "A2"
        if headers:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(rows) + 1, 1)}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _set_text(cell, text: str) -> None:
    """Store ``text`` as a string cell; openpyxl would otherwise read '=…' as a formula."""
    cell.value = defuse(_XML_ILLEGAL.sub("", text))
    cell.data_type = "s"


def _md_cell(cell: Cell) -> str:
    text = _text(cell).replace("\\", "\\\\").replace("|", "\\|")
    return re.sub(r"\r\n|\r|\n", "<br>", text)


def write_markdown(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    """A GitHub-style pipe table; | and line breaks inside cells are escaped."""
    lines = ["| " + " | ".join(_md_cell(h) for h in headers) + " |",
             "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
    return "\n".join(lines) + "\n"
