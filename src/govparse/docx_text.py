"""Read a Word .docx file: its paragraphs and table rows as lines, each with its block's index.

This module's one job is .docx: refusing what is not a .docx (and zip bombs) before python-docx
decompresses anything, walking the body in document order (paragraphs, table rows, content
controls), and rendering Word's automatic list numbers, which are not part of a paragraph's
text.  :mod:`govparse.read` imports it only when a .docx is read; python-docx is imported
only inside the functions that need it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from govparse.decode import _LINE_BREAK, _ZIP_MAGIC, _binary_kind, _is_docx_main_part, _zip_kind
from govparse.errors import InputError

_MB = 1024 * 1024

_DOCX_MAX_MEMBERS = 10_000
_DOCX_MAX_TOTAL = 300 * _MB
_DOCX_MAX_RATIO = 200
_DOCX_RATIO_MIN_SIZE = _MB  # the ratio of tiny members says nothing and harms nobody


def read_docx(data: bytes, name: str) -> tuple[list[str], list[int]]:
    _check_docx_zip(data, name)
    try:
        # python-docx parses with lxml's XMLParser(resolve_entities=False): entities in the XML
        # are not expanded and no external DTD is fetched (no XXE, no "billion laughs").  lxml
        # also refuses huge text nodes / deep trees unless huge_tree is set, which it is not.
        import docx

        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        origins: list[int] = []
        for index, text in enumerate(_docx_blocks(document), start=1):
            # A paragraph with soft line breaks (Shift+Enter) gives several lines that all
            # point at the same block.
            for line in _LINE_BREAK.split(text):
                lines.append(line)
                origins.append(index)
    except InputError:
        raise
    except Exception as exc:  # python-docx, lxml and zipfile raise many types on damaged files
        raise InputError(name, f"not a valid .docx file: {_short_reason(exc)}") from exc
    if not any(line.strip() for line in lines):
        raise InputError(name, "empty file (the .docx has no text)")
    return lines, origins


def _check_docx_zip(data: bytes, name: str) -> None:
    """Refuse what is not a .docx, and zip bombs, before python-docx decompresses anything.

    The sizes checked are those the ZIP directory declares; zipfile never inflates a member
    beyond its declared size (it stops there and then fails the CRC check), so they bound it.
    """
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception:  # BadZipFile, EOFError, ValueError, OSError ... on damaged data
        kind = _binary_kind(data)
        if data.startswith(_ZIP_MAGIC):
            reason = "its ZIP data is damaged or truncated"
        elif kind is not None:
            reason = f"looks like {kind}"
        else:
            reason = "not a ZIP archive, as a Word 2007+ file is"
        raise InputError(name, f"not a valid .docx file: {reason}") from None
    if len(members) > _DOCX_MAX_MEMBERS:
        raise InputError(name, f"refused: .docx holds {len(members)} files (zip bomb?)")
    total = sum(member.file_size for member in members)
    if total > _DOCX_MAX_TOTAL:
        raise InputError(name, f"refused: .docx expands to {total // _MB} MB (zip bomb?)")
    for member in members:
        ratio = member.file_size // max(member.compress_size, 1)
        if member.file_size >= _DOCX_RATIO_MIN_SIZE and ratio > _DOCX_MAX_RATIO:
            raise InputError(
                name,
                f"refused: .docx expands to {total / _MB:.0f} MB, {member.filename} is compressed "
                f"{ratio}:1 (zip bomb?)",
            )
    if not any(_is_docx_main_part(member.filename) for member in members):
        kind = _zip_kind(data)
        reason = f"looks like {kind}" if kind else "no word/document.xml inside"
        raise InputError(name, f"not a valid .docx file: {reason}")


def _docx_blocks(document: Any) -> Iterator[str]:
    """The text of each body block in document order: paragraphs, and each table row."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    paragraph_tag, table_tag = qn("w:p"), qn("w:tbl")
    sdt_tag, sdt_content_tag = qn("w:sdt"), qn("w:sdtContent")

    numbering = _WordNumbering(document)

    def walk(parent: Any) -> Iterator[str]:
        for child in parent.iterchildren():
            if child.tag == paragraph_tag:
                paragraph = Paragraph(child, document)
                yield numbering.prefix(paragraph) + paragraph.text
            elif child.tag == table_tag:
                for row in Table(child, document).rows:
                    yield _row_text(row.cells)
            elif child.tag == sdt_tag:  # content control (cover page, TOC ...): its content
                content = child.find(sdt_content_tag)
                if content is not None:
                    yield from walk(content)

    yield from walk(document.element.body)


_CN_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _chinese_count(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 105 -> 一百零五 (Word's chineseCounting)."""
    if n <= 0 or n >= 1000:
        return str(n)
    hundreds, tens, ones = n // 100, n // 10 % 10, n % 10
    out = ""
    if hundreds:
        out += _CN_DIGITS[hundreds] + "百"
        if tens == 0 and ones:
            return out + "零" + _CN_DIGITS[ones]
    if tens:
        out += ("" if tens == 1 and not hundreds else _CN_DIGITS[tens]) + "十"
    if ones:
        out += _CN_DIGITS[ones]
    return out


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def format_list_number(n: int, fmt: str) -> str:
    """A list counter in one of Word's number formats (w:numFmt)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
               "chineseLegalSimplified", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _chinese_count(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)})
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    if fmt == "none":
        return ""
    return str(n)  # decimal, decimalZero and anything unknown


class _WordNumbering:
    """Word's automatic list numbers ("一、", "(一)", "1.") are not in a paragraph's text:
    python-docx gives the text only.  This renders them from numbering.xml, counting
    as Word does, so that headings keep their numbers."""

    def __init__(self, document: Any):
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> ilvl -> (start, fmt, text)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part: no automatic numbers
            return
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for an in root.findall(qn("w:abstractNum")):
            lv = {}
            for lvl in an.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                start = lvl.find(qn("w:start"))
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                lv[ilvl] = (int(start.get(qn("w:val"), "1")) if start is not None else 1,
                            fmt.get(qn("w:val"), "decimal") if fmt is not None else "decimal",
                            text.get(qn("w:val"), "") if text is not None else "")
            abstract[an.get(qn("w:abstractNumId"))] = lv
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None and ref.get(qn("w:val")) in abstract:
                self.levels[num.get(qn("w:numId"))] = abstract[ref.get(qn("w:val"))]

    def _num_pr(self, paragraph: Any) -> tuple[str, int] | None:
        qn = self.qn
        ppr = paragraph._p.pPr
        holders = [ppr] if ppr is not None else []
        style = paragraph.style if ppr is not None or paragraph._p is not None else None
        while style is not None:  # numbering set on the paragraph's style (heading styles)
            holders.append(style.element.pPr)
            style = style.base_style
        num_id, ilvl = None, None
        for holder in holders:
            if holder is None:
                continue
            numpr = holder.find(qn("w:numPr"))
            if numpr is None:
                continue
            nid, lvl = numpr.find(qn("w:numId")), numpr.find(qn("w:ilvl"))
            if num_id is None and nid is not None:
                num_id = nid.get(qn("w:val"))
            if ilvl is None and lvl is not None:
                ilvl = int(lvl.get(qn("w:val"), "0"))
        if num_id is None or num_id == "0" or num_id not in self.levels:
            return None
        return num_id, ilvl or 0

    def prefix(self, paragraph: Any) -> str:
        if not self.levels or not paragraph.text.strip():
            return ""
        try:
            found = self._num_pr(paragraph)
        except Exception:  # a malformed style chain: no number rather than no document
            return ""
        if found is None:
            return ""
        num_id, ilvl = found
        levels = self.levels[num_id]
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][0] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]  # a new item restarts the levels below it
        start, fmt, text = levels[ilvl]
        if fmt == "bullet":
            return ""
        out = text
        for k in range(9):
            if f"%{k + 1}" in out:
                level = levels.get(k, (1, "decimal", ""))
                out = out.replace(f"%{k + 1}", format_list_number(counters.get(k, level[0]), level[1]))
        return out


_CELL_BREAK = re.compile("\r\n|[\r\n\u2028\u2029\t]")


def _row_text(cells: Any) -> str:
    """Cells joined by tab; a merged cell, which python-docx repeats, appears once."""
    texts: list[str] = []
    previous = None
    for cell in cells:
        if cell is previous:  # python-docx yields the same object for each spanned column
            continue
        previous = cell
        # The cell's own line breaks and tabs become spaces: tab separates cells.
        texts.append(" ".join(_CELL_BREAK.split(cell.text)))
    return "\t".join(texts)


def _short_reason(exc: BaseException) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    reason = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return reason if len(reason) <= 120 else reason[:117] + "..."
