"""Read a saved web page: its visible text as lines, each with the source line it starts on.

This module's one job is .html: finding the charset a page declares, decoding it (falling
back on :mod:`govparse.decode`), and collecting the visible text with an HTMLParser subclass
that skips scripts, styles and navigation (and forms, unless they hold most of the page's
text) and turns each data-table row into one tab-joined line.
:mod:`govparse.read` imports it only when a web page is read, so html.parser is not loaded
for other formats.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from govparse.decode import (
    _LINE_BREAK,
    _NON_ASCII,
    _chinese_score,
    _decode_bom,
    _refuse_binary,
    _refuse_control_characters,
    decode_text,
)
from govparse.errors import InputError

_CHARSET_SNIFF_BYTES = 4096
_META_TAG = re.compile(rb"<meta\b[^>]{0,2048}>", re.IGNORECASE)  # bounded: no backtracking blow-up
_CHARSET_ATTR = re.compile(rb"charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)
_CHARSET_ALIASES = {
    # GB18030 is a superset of what pages label gb2312/gbk (browsers decode them as GBK anyway).
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb_2312-80": "gb18030",
    "csgb2312": "gb18030",
    "euc-cn": "gb18030",
    "big5-hkscs": "big5hkscs",
    "x-x-big5": "big5",
    # The HTML standard reads these labels as windows-1252 / UTF-8.
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
    "utf-32": "utf-8",
}


def _declared_charset(data: bytes) -> str | None:
    """The charset a <meta> tag in the first 4 KB declares, as a Python codec name."""
    for tag in _META_TAG.finditer(data[:_CHARSET_SNIFF_BYTES]):
        match = _CHARSET_ATTR.search(tag.group())
        if match:
            label = match.group(1).decode("ascii").lower()
            try:
                return codecs.lookup(_CHARSET_ALIASES.get(label, label)).name
            except LookupError:
                return None
    return None


def _decode_html(data: bytes, name: str) -> tuple[str, str]:
    """BOM, else the declared charset (if it decodes strictly and plausibly), else detection."""
    found = _decode_bom(data)
    if found is not None:
        _refuse_control_characters(found[0], name)
        return found
    _refuse_binary(data, name)
    charset = _declared_charset(data)
    declared: tuple[str, str] | None = None
    if charset is not None and b"\x00" not in data:
        try:
            declared = data.decode(charset), charset
        except UnicodeDecodeError:
            declared = None  # wrong label (a page labelled gb2312 that is UTF-8 ...): detect
        else:
            text = declared[0]
            if charset == "utf-8" or not _NON_ASCII.search(text) or _chinese_score(text) is not None:
                _refuse_control_characters(text, name)
                return declared
    try:
        return decode_text(data, name)
    except InputError:
        if declared is not None:  # a real windows-1252 page, say: trust the label
            _refuse_control_characters(declared[0], name)
            return declared
        raise


# "<" that cannot open a tag, a comment or a declaration, and "<![" other than the marked
# sections HTMLParser knows (it raises on the rest).  Only lookaheads: linear time.
_STRAY_LT = re.compile(
    r"<(?![A-Za-z/?]|!(?!\[)|!\[(?i:cdata|if|else|endif|temp|ignore|include|rcdata)(?![-_.A-Za-z0-9]))"
)


def read_html(data: bytes, name: str) -> tuple[list[str], list[int], str, dict[str, str]]:
    text, encoding = _decode_html(data, name)
    # HTMLParser counts only "\n"; make its line numbers agree with _split_lines.
    text = _LINE_BREAK.sub("\n", text)
    # A "<" that cannot open markup is text; HTMLParser would hand it over one event at a time
    # (slow on pages full of "a < b") or fail on it ("<![x"), so spell it as an entity, which
    # the parser decodes back.
    text = _STRAY_LT.sub("&lt;", text)
    parser = _HtmlTextParser()
    try:
        parser.feed(text)
        parser.close()
    except AssertionError as exc:  # _markupbase's way to reject a declaration it cannot parse
        raise InputError(name, f"cannot parse the HTML page: {exc}") from None
    lines, origins = parser.result()
    if not lines:
        raise InputError(name, "empty file (no text found in the HTML page)")
    hints: dict[str, str] = {}
    title = parser.meta.get("articletitle") or parser.title
    if title:
        hints["title"] = title
    if parser.meta.get("pubdate"):
        hints["date"] = parser.meta["pubdate"]
    return lines, origins, encoding, hints


# Elements whose content is never plan text.  <form> is handled apart (see result()).
_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "iframe", "svg", "select"}
)
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
        "blockquote", "pre", "ul", "ol", "dl", "dd", "dt", "main", "figure", "figcaption", "hr",
        "address", "center", "caption", "body", "html", "fieldset", "legend", "details", "summary",
    }
)  # fmt: skip


def _collapse(text: str) -> str:
    """Runs of whitespace (including full-width and no-break spaces) to one space, stripped."""
    return " ".join(text.split())


# A table row is one line, cells joined by tab -- unless it is page layout rather than data:
# a row with a single non-empty cell (the page's content column, or a heading row spanning
# the table), or a cell holding a nested table or more text than data cells hold.  Such a row
# gives each of its cells' blocks as lines of its own.
_MAX_DATA_CELL_BLOCKS = 8
_MAX_DATA_CELL_CHARS = 1000

_Item = tuple[str, int]  # a line of text and its origin; a nested table's row keeps its tabs


@dataclass
class _Table:
    """An open <table>: the cells of its open row, each a list of items, if a row is open."""

    row: list[list[_Item]] | None = None
    cell_open: bool = False


def _row_items(cells: list[list[_Item]]) -> list[_Item]:
    filled = [cell for cell in cells if cell]
    if not filled:
        return []
    layout = len(filled) == 1 or any(
        len(cell) > _MAX_DATA_CELL_BLOCKS
        or sum(len(text) for text, _ in cell) > _MAX_DATA_CELL_CHARS
        or any("\t" in text for text, _ in cell)  # a nested table's row
        for cell in cells
    )
    if layout:
        return [item for cell in cells for item in cell]
    line = "\t".join(" ".join(text for text, _ in cell) for cell in cells)
    return [(line, filled[0][0][1])]


class _HtmlTextParser(HTMLParser):
    """Collect the visible text of a page as lines, with the source line each starts on.

    Text is gathered into blocks (ended by block elements); a block goes to the open table
    cell, if any, else it is a line of the page.  A finished table row goes, as one line or
    as several (see _row_items), to the cell around its table, or to the page.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities arrive decoded in handle_data
        self.title: str | None = None
        self.meta: dict[str, str] = {}
        self._lines: list[tuple[str, int, bool]] = []  # (text, origin, inside a <form>)
        self._skip: list[str] = []  # open elements whose content is dropped
        self._forms = 0
        self._in_head = False
        self._title_parts: list[str] | None = None
        self._pre = 0
        self._parts: list[str] = []  # text of the block being built
        self._origin: int | None = None  # source line of its first text
        self._tables: list[_Table] = []  # open tables, innermost last

    # -- results

    def result(self) -> tuple[list[str], list[int]]:
        """Lines and origins.  Text inside <form> is dropped -- unless most of the page's text
        is inside a form, as on ASP.NET pages where one <form> wraps the whole body."""
        in_form = sum(len(text) for text, _, form in self._lines if form)
        outside = sum(len(text) for text, _, form in self._lines if not form)
        keep_forms = in_form > outside
        kept = [(text, origin) for text, origin, form in self._lines if keep_forms or not form]
        return [text for text, _ in kept], [origin for _, origin in kept]

    # -- HTMLParser callbacks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._title_parts is not None and tag != "title":
            self._end_title()  # an unclosed <title> must not swallow the page
        if tag in _SKIP_TAGS:
            self._skip.append(tag)
            return
        if self._skip:
            return
        if tag == "head":
            self._in_head = True
        elif tag == "body":
            self._in_head = False
            self._flush()
        elif tag == "title":
            if self.title is None:
                self._title_parts = []
        elif tag == "meta":
            self._meta(dict(attrs))
        elif tag == "form":
            self._flush()
            self._forms += 1
        elif not self._in_head:
            self._structure(tag, start=True)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            if tag in self._skip:  # close it, and whatever was left open inside it
                del self._skip[len(self._skip) - 1 - self._skip[::-1].index(tag) :]
            return
        if self._skip:
            return
        if tag == "title":
            self._end_title()
        elif tag == "head":
            self._in_head = False
        elif tag == "form":
            self._flush()
            self._forms = max(0, self._forms - 1)
        elif not self._in_head:
            self._structure(tag, start=False)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._title_parts is not None:
            self._title_parts.append(data)
        elif self._in_head:
            return
        elif self._pre:
            line = self.getpos()[0]
            for offset, piece in enumerate(data.split("\n")):
                if offset:
                    self._flush()  # a line break inside <pre> is a real line break
                self._add_text(piece, line + offset)
        else:
            self._add_text(data, self.getpos()[0])

    def close(self) -> None:
        super().close()
        self._end_title()
        while self._tables:  # tables left open
            self._end_table()
        self._flush()

    # -- building blocks and lines

    def _add_text(self, data: str, line: int) -> None:
        stripped = data.lstrip()
        if not stripped:
            if self._parts:
                self._parts.append(" ")
            return
        if self._origin is None:
            self._origin = line + data.count("\n", 0, len(data) - len(stripped))
        self._parts.append(data)

    def _flush(self) -> None:
        """End the current block (call before any change of table state)."""
        text = _collapse("".join(self._parts))
        if text and self._origin is not None:
            self._emit((text, self._origin), len(self._tables))
        self._parts, self._origin = [], None

    def _emit(self, item: _Item, depth: int) -> None:
        """Put an item into the open cell nearest inside the first ``depth`` tables, or the page."""
        for table in reversed(self._tables[:depth]):
            if table.row is not None:
                if not table.cell_open:  # text in a row but outside any cell: give it a cell
                    table.row.append([])
                    table.cell_open = True
                table.row[-1].append(item)
                return
        self._lines.append((item[0], item[1], self._forms > 0))

    def _end_row(self) -> None:
        self._flush()
        cells = self._tables[-1].row if self._tables else None
        if cells is None:
            return
        self._tables[-1].row, self._tables[-1].cell_open = None, False
        for item in _row_items(cells):
            self._emit(item, len(self._tables) - 1)

    def _end_table(self) -> None:
        self._end_row()
        self._tables.pop()

    def _structure(self, tag: str, *, start: bool) -> None:
        if tag == "table":
            self._flush()
            if start:
                self._tables.append(_Table())
            elif self._tables:
                self._end_table()
        elif tag == "tr":
            self._end_row()
            if start:
                if not self._tables:  # a row without <table>
                    self._tables.append(_Table())
                self._tables[-1].row = []
        elif tag in ("td", "th"):
            self._flush()
            if start:
                if not self._tables:  # a cell without <table>
                    self._tables.append(_Table())
                table = self._tables[-1]
                if table.row is None:  # a cell without <tr>
                    table.row = []
                table.row.append([])
                table.cell_open = True
            elif self._tables:
                self._tables[-1].cell_open = False
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag == "pre":
                self._pre = self._pre + 1 if start else max(0, self._pre - 1)

    def _end_title(self) -> None:
        if self._title_parts is not None:
            self.title = _collapse("".join(self._title_parts)) or None
            self._title_parts = None

    def _meta(self, attrs: dict[str, str | None]) -> None:
        # Chinese government sites label articles with <meta name="ArticleTitle"/"PubDate">.
        key = (attrs.get("name") or "").strip().lower()
        content = _collapse(attrs.get("content") or "")
        if key in ("articletitle", "pubdate") and content and key not in self.meta:
            self.meta[key] = content
