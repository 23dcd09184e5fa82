"""Read the text layer of a PDF plan: one line per printed line, each mapped to its page.

A PDF carries no lines or paragraphs, only glyphs at positions.  This module asks
pdfminer.six for the text lines of each page (its layout analysis groups glyphs into
lines and decodes CID-keyed Chinese fonts through their CMaps), puts them in reading
order by position (top to bottom; cells of one visual row left to right, joined by a
tab like the cells of a .docx table row), and numbers them with one counter across
the whole document.  ``pages`` holds the number of the first line of each page, so a
line can be cited as page and line (``cite(17, [1, 12]) == "p2:6"``).  The lines are
left as printed: joining the lines of a wrapped paragraph and dropping page numbers
and running headers is :mod:`govparse.unwrap`'s job.

Bad input is refused with :class:`InputError` and one line: a scan without a text
layer, an encrypted file, a truncated or damaged one, one with too many pages.

Why pdfminer.six and not pypdf: pdfminer gives every text line with its bounding box
and every glyph with its position, which this module needs to put lines in reading
order whatever order the content stream draws them in, to tell the cells of a table
row from one line of prose, to close up letter-spaced (justified) Chinese lines and
to know where each page starts.  Measured on PDFs made with reportlab's CID font
STSong-Light (not embedded, UniGB-UCS2-H; the samples wrapped at 35 characters, one
in traditional script): pdfminer and pypdf 7.1 both recovered every character of
every line, so neither dropped nor garbled CID-keyed Chinese there -- the reason
often given for pdfminer did not show up in this test.  On a page drawn out of
order (lines bottom-up, table cells right to left, a letter-spaced line) pypdf's
default mode followed the content stream (lines and cells in reverse order), its
layout mode got the order right and pdfminer's text kept the order but split the
row into one line per cell and put spaces between the letter-spaced characters --
both of which this module repairs from the positions.  pypdf was about five times
faster (0.07 s against 0.4 s for a five-page plan); for plans of tens of pages that
does not matter.  One case went pypdf's way: a reportlab PDF with an owner password only
(no password to open it) -- reportlab leaves the font's CIDSystemInfo strings
unencrypted, pdfminer decrypts them into garbage, cannot pick the CID-to-Unicode map and
writes "(cid:N)" for every glyph, while pypdf maps the codes through the encoding name.
Such text is refused here (``UNDECODABLE``) rather than passed on; files that embed
their fonts with a ToUnicode map, as Word and WPS write them, are not affected.
pdfminer.six is imported only when a PDF is read.
"""
from __future__ import annotations

import io
import logging
import re
import warnings
from bisect import bisect_right

from .errors import InputError

__all__ = ["MAX_PAGES", "cite", "line_label", "read_pdf"]

MAX_PAGES = 2000  # a plan has tens of pages; more is a pathological or hostile file

NO_TEXT = "PDF has no text layer (a scanned image?); OCR it first"
ENCRYPTED = "PDF is encrypted; remove the password first"
UNDECODABLE = "PDF text cannot be decoded (its fonts map no characters to Unicode); OCR it first"
_INVALID = "not a valid PDF file: "

# Han characters, CJK punctuation and full-width forms: the characters between which a
# letter-spaced (justified) line gets spaces that are not in the text
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u201c\u201d\u2018\u2019"
_CJK_SPACE_CJK = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
_TIGHT = _CJK + r",.;:!?()\[\]%、"  # in a letter-spaced line, no space belongs between these
_SPACED = re.compile(f"(?<=[{_TIGHT}]) (?=[{_TIGHT}])")
_CJK_PAIR = re.compile(f"[{_CJK}](?=[{_CJK}])")
# what pdfminer writes for a glyph whose font gives no Unicode character
_CID = re.compile(r"\(cid:\d+\)")


def cite(origin: int, pages: list[int]) -> str:
    """A line cited as page and line on that page, "p3:17"; just the line without pages.

    ``pages`` is ``SourceText.pages`` / ``Plan.source.pages``: the line number of the
    first line of each page.
    """
    if not pages:
        return str(origin)
    index = bisect_right(pages, origin)
    if index == 0:
        return str(origin)
    return f"p{index}:{origin - pages[index - 1] + 1}"


line_label = cite  # the label of a line in messages: "p3:17" for a PDF, "17" otherwise


def read_pdf(data: bytes, name: str, *, max_pages: int = MAX_PAGES) -> tuple[list[str], list[int], list[int]]:
    """The text lines of a PDF: ``(lines, origins, pages)``.

    ``origins`` numbers the lines from 1 across all pages; ``pages[i]`` is the number of
    the first line of page i + 1 (for a page without text: of the next line).
    """
    if b"%PDF-" not in data[:1024]:
        raise InputError(name, _INVALID + "no %PDF header")
    if b"%%EOF" not in data[-2048:]:
        # pdfminer reads what it can find of a cut-off file and would return part of it
        raise InputError(name, _INVALID + "it is truncated (no %%EOF at the end)")
    pdfminer_log = logging.getLogger("pdfminer")
    level = pdfminer_log.level
    pdfminer_log.setLevel(logging.CRITICAL)  # its warnings about odd files are not ours to print
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _read(data, name, max_pages)
    except InputError:
        raise
    except RecursionError:
        raise InputError(name, _INVALID + "its objects nest too deeply") from None
    except MemoryError:
        raise
    except Exception as exc:  # pdfminer raises many types (and bare KeyError, TypeError ...) on bad data
        raise InputError(name, _INVALID + _short_reason(exc)) from None
    finally:
        pdfminer_log.setLevel(level)


def _short_reason(exc: Exception) -> str:
    """One printable line of at most about 80 characters saying what pdfminer tripped on."""
    kind = type(exc).__name__
    if kind in ("PSEOF", "PDFEOFError"):
        return "it ends too early (truncated?)"
    text = " ".join(str(exc).split())
    text = "".join(c if c.isprintable() and c.isascii() else "?" for c in text)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"{kind}: {text}" if text else kind


def _read(data: bytes, name: str, max_pages: int) -> tuple[list[str], list[int], list[int]]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError(name, ENCRYPTED) from None
    except Exception as exc:
        if "password" in str(exc).lower() or "encrypt" in type(exc).__name__.lower():
            raise InputError(name, ENCRYPTED) from None
        raise
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=LAParams(all_texts=True))
    interpreter = PDFPageInterpreter(resources, device)

    lines: list[str] = []
    pages: list[int] = []
    pages_with_pictures = 0
    for number, page in enumerate(PDFPage.create_pages(document), 1):
        if number > max_pages:
            raise InputError(name, f"PDF has more than {max_pages} pages; split it first")
        interpreter.process_page(page)
        boxes, pictures = _page_lines(device.get_result())
        pages_with_pictures += pictures
        pages.append(len(lines) + 1)
        lines.extend(_rows(boxes))
    if not pages:
        raise InputError(name, _INVALID + "it has no pages")
    chars = sum(len(ln) - ln.count(" ") - ln.count("\t") for ln in lines)
    # a scan has no text, or only a stamped page number per page
    if chars == 0 or (pages_with_pictures * 2 >= len(pages) and chars < 10 * len(pages)):
        raise InputError(name, NO_TEXT)
    unknown = sum(len(m.group()) for ln in lines for m in _CID.finditer(ln))
    if unknown * 2 >= chars:
        raise InputError(name, UNDECODABLE)
    if unknown:  # a few glyphs without a character: mark each, do not spell out its number
        lines = [_CID.sub("\ufffd", ln) for ln in lines]
    return lines, list(range(1, len(lines) + 1)), pages


def _page_lines(layout) -> tuple[list[tuple[float, float, float, float, str]], int]:
    """The text lines of one laid-out page as (x0, y0, x1, y1, text), and whether it shows
    a picture.  An explicit stack: figures may nest deeper than Python's recursion."""
    from pdfminer.layout import LTContainer, LTFigure, LTImage, LTTextLine

    boxes = []
    picture = 0
    stack = [layout]
    while stack:
        item = stack.pop()
        if isinstance(item, LTTextLine):
            text = _clean(item.get_text())
            if text:
                boxes.append((item.x0, item.y0, item.x1, item.y1, text))
        elif isinstance(item, LTImage):
            picture = 1
        elif isinstance(item, LTContainer):
            if isinstance(item, LTFigure):
                picture = 1
            stack.extend(item)
    return boxes, picture


def _clean(text: str) -> str:
    """One line's text: no line break, letter-spacing of Chinese closed up."""
    text = text.replace("\n", " ").replace("\r", " ").strip()
    spaced = sum(1 for _ in _CJK_SPACE_CJK.finditer(text))
    if spaced >= 2 and spaced > sum(1 for _ in _CJK_PAIR.finditer(text)):
        text = _SPACED.sub("", text)  # "加 强 组 织 领 导 , 建 立" -> "加强组织领导,建立"
    return text


def _rows(boxes: list[tuple[float, float, float, float, str]]) -> list[str]:
    """Lines of one page in reading order: top to bottom; the boxes of one visual row
    (table cells, a heading and its page-number tab stop) left to right."""
    boxes = sorted(boxes, key=lambda b: (-b[3], b[0]))
    rows: list[list[tuple[float, float, float, float, str]]] = []
    top = bottom = 0.0
    for box in boxes:
        x0, y0, x1, y1, _ = box
        if rows:
            overlap = min(top, y1) - max(bottom, y0)
            if overlap > 0.5 * min(top - bottom, y1 - y0):
                rows[-1].append(box)
                bottom = min(bottom, y0)
                continue
        rows.append([box])
        top, bottom = y1, y0
    out = []
    for row in rows:
        row.sort(key=lambda b: b[0])
        text = row[0][4]
        for prev, box in zip(row, row[1:]):
            gap = box[0] - prev[2]
            height = min(prev[3] - prev[1], box[3] - box[1]) or 1.0
            text += ("\t" if gap > height else "") + box[4]
        out.append(text)
    return out
