"""Read one plan file: raw bytes in, text lines out, each line mapped to its place in the original.

This module's one job is to turn a plan file -- plain text in any encoding Chinese government
offices produce (UTF-8, UTF-16, GB18030/GBK, Big5), a Word ``.docx``, a saved web page or a PDF
with a text layer (read by :mod:`govparse.pdf`) -- into
a list of text lines plus, for every line, where it sits in the original file, so that whatever
is extracted later can point back at its source.  It refuses bad input with :class:`InputError`
and a one-line reason, never a traceback.

It deliberately does not normalise the text (no simplified/traditional conversion, no width
folding, no whitespace changes for .txt): that is the normaliser's job.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import itertools
import os
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, BinaryIO

import yaml

from govparse.errors import InputError

__all__ = ["MAX_INPUT_BYTES", "SourceText", "decode_text", "read_bytes", "read_source"]

_MB = 1024 * 1024
MAX_INPUT_BYTES = 200 * _MB

FORMATS = ("txt", "docx", "html")


@dataclass
class SourceText:
    """The text of one plan file as lines, with each line's position in the original file."""

    path: str  # the path as given ("-" for stdin)
    format: str  # "txt" | "docx" | "html" | "pdf"
    encoding: str | None  # "utf-8", "utf-8-sig", "utf-16", "gb18030", "big5", ...; None for docx
    lines: list[str]  # text lines in order; a table row is ONE line, cells joined by "\t"
    # same length as ``lines``, 1-based: txt -> line number; html -> source line where the
    # block's text starts; docx -> index of the block (paragraph or table row) in the body
    # pdf -> number of the printed line, counted across pages (see ``pages``)
    origins: list[int]
    hints: dict[str, str] = field(default_factory=dict)  # title / date / issuers / doc_number
    sha256: str = ""  # hex sha256 of the raw bytes
    size: int = 0  # number of raw bytes
    pages: list[int] = field(default_factory=list)  # PDF: the origin of the first line of each page


# ---------------------------------------------------------------------------------------------
# Suffixes

_TXT_SUFFIXES = frozenset({".txt"})
_DOCX_SUFFIXES = frozenset({".docx"})
_HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml"})
_PDF_SUFFIXES = frozenset({".pdf"})

_SPREADSHEETS = "spreadsheets are not plan documents"
_ARCHIVES = "archives are not supported; unpack the plan first"
_IMAGES = "images are not supported; run OCR and save the text first"
_UNSUPPORTED_SUFFIXES: dict[str, str] = {
    ".ofd": "OFD input is not supported yet; extract its text first",
    ".doc": "old Word .doc format is not supported; save it as .docx",
    ".docm": "macro-enabled .docm files are not supported; save it as .docx",
    ".wps": "WPS .wps format is not supported; save it as .docx",
    ".rtf": "RTF format is not supported; save it as .docx",
    ".odt": "OpenDocument .odt format is not supported; save it as .docx",
    ".xlsx": _SPREADSHEETS,
    ".xlsm": _SPREADSHEETS,
    ".xls": _SPREADSHEETS,
    ".et": _SPREADSHEETS,
    ".ods": _SPREADSHEETS,
    ".ppt": "presentations are not plan documents",
    ".pptx": "presentations are not plan documents",
    ".dps": "presentations are not plan documents",
    ".zip": _ARCHIVES,
    ".rar": _ARCHIVES,
    ".7z": _ARCHIVES,
    ".gz": _ARCHIVES,
    ".tgz": _ARCHIVES,
    ".tar": _ARCHIVES,
    ".bz2": _ARCHIVES,
    ".xz": _ARCHIVES,
    ".png": _IMAGES,
    ".jpg": _IMAGES,
    ".jpeg": _IMAGES,
    ".gif": _IMAGES,
    ".bmp": _IMAGES,
    ".tif": _IMAGES,
    ".tiff": _IMAGES,
    ".webp": _IMAGES,
}


def _format_from_name(name: str) -> str | None:
    """The format ("txt", "docx", "html") the suffix of ``name`` says; None if it says none.

    Raises InputError for suffixes of formats we know we cannot read.
    """
    suffix = os.path.splitext(name)[1].lower()
    if suffix in _UNSUPPORTED_SUFFIXES:
        raise InputError(name, _UNSUPPORTED_SUFFIXES[suffix])
    if suffix in _TXT_SUFFIXES:
        return "txt"
    if suffix in _DOCX_SUFFIXES:
        return "docx"
    if suffix in _HTML_SUFFIXES:
        return "html"
    if suffix in _PDF_SUFFIXES:
        return "pdf"  # only from the suffix (or the content): not an explicit ``fmt``
    return None


# ---------------------------------------------------------------------------------------------
# Public entry points


def read_source(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_INPUT_BYTES,
    stdin: BinaryIO | None = None,
) -> SourceText:
    """Read the plan at ``path`` ("-" reads the bytes of ``stdin``, default ``sys.stdin.buffer``)."""
    name = os.fsdecode(path)
    if name == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return read_bytes(_read_limited(stream, max_bytes, name), name)

    try:
        info = os.stat(name)
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(name, "no such file") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as exc:  # name too long, symlink loop, ...
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(name, "is a directory, not a file")
    _format_from_name(name)  # refuse a .pdf / .xlsx ... before reading it
    if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
        raise InputError(name, _too_large(max_bytes))
    try:
        with open(name, "rb") as handle:
            data = _read_limited(handle, max_bytes, name)
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a file") from None
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from None
    return read_bytes(data, name)


def read_bytes(data: bytes, name: str, fmt: str | None = None) -> SourceText:
    """Turn the raw bytes of a plan into a :class:`SourceText`.

    ``fmt`` is "txt", "docx" or "html"; None decides from the suffix of ``name`` and, for
    .txt and unknown suffixes, from the content (a .docx renamed .txt is still read as .docx).
    """
    name = os.fsdecode(name)
    if fmt is None:
        fmt = _format_from_name(name)
        if fmt is None:
            fmt = _sniff_format(data)
        elif fmt == "txt" and _zip_kind(data) == _DOCX_KIND:
            fmt = "docx"
    elif fmt not in FORMATS:
        raise InputError(name, f"unknown format {fmt!r}: expected txt, docx or html")
    if not data:
        raise InputError(name, "empty file")

    hints: dict[str, str] = {}
    encoding: str | None
    pages: list[int] = []
    if fmt == "pdf":
        from govparse.pdf import read_pdf

        lines, origins, pages = read_pdf(data, name)
        encoding = None
    elif fmt == "docx":
        lines, origins = _read_docx(data, name)
        encoding = None
    elif fmt == "html":
        lines, origins, encoding, hints = _read_html(data, name)
    else:
        text, encoding = decode_text(data, name)
        if not text.strip():
            raise InputError(name, "empty file")
        lines = _split_lines(text)
        origins = list(range(1, len(lines) + 1))
        front = _front_matter(lines)
        if front is not None:
            hints, skip = front
            lines, origins = lines[skip:], origins[skip:]
            if not any(line.strip() for line in lines):
                raise InputError(name, "empty file (nothing after the front matter)")
    return SourceText(
        path=name,
        format=fmt,
        encoding=encoding,
        lines=lines,
        origins=origins,
        hints=hints,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        pages=pages,
    )


_UNDECODABLE = "cannot decode text: not UTF-8, UTF-16, GB18030 or Big5"


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode the bytes of a text file; return ``(text, encoding name)``.

    Order: byte-order mark, binary sniffing, strict UTF-8, UTF-16 without BOM (recognised by
    its NUL pattern), then GB18030 / Big5 / charset-normalizer's guess, each decoded strictly
    and kept only if the result looks like Chinese text.  Never decodes lossily.
    """
    found = _decode_bom(data)
    if found is None:
        _refuse_binary(data, name)
        if b"\x00" in data:
            found = _decode_utf16_without_bom(data)
            if found is None:
                raise InputError(name, "binary data, not a text plan (it contains NUL bytes)")
        else:
            try:
                found = data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                found = _decode_legacy(data, name)
    _refuse_control_characters(found[0], name)
    return found


# ---------------------------------------------------------------------------------------------
# Reading helpers


def _read_limited(stream: BinaryIO, max_bytes: int, name: str) -> bytes:
    """Read at most ``max_bytes`` from ``stream``; InputError if there is more."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(_MB, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise InputError(name, _too_large(max_bytes))
    return b"".join(chunks)


def _too_large(max_bytes: int) -> str:
    if max_bytes >= _MB:
        size = max_bytes / _MB
        limit = f"{size:.0f}" if size == int(size) else f"{size:.1f}"
        return f"file is larger than the {limit} MB limit"
    return f"file is larger than the {max_bytes}-byte limit"


# Line breaks: \r\n, \r, \n and the Unicode line/paragraph separators.  (Not str.splitlines,
# which also splits on \v, \f, \x1c-\x1e and \x85.)  A plain alternation: linear time.
_LINE_BREAK = re.compile("\r\n|[\r\n\u2028\u2029]")


def _split_lines(text: str) -> list[str]:
    """Split on line breaks; a break at the very end does not start a phantom empty line."""
    lines = _LINE_BREAK.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


# ---------------------------------------------------------------------------------------------
# Binary sniffing

_DOCX_KIND = "a Word .docx file"
_OLE2_KIND = "an old Office file (.doc/.xls/.wps) or a password-protected document"
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", _OLE2_KIND),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\x7fELF", "a program (ELF executable)"),
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


def _binary_kind(data: bytes) -> str | None:
    """What the magic number at the start of ``data`` says it is, or None."""
    if data.startswith(_ZIP_MAGIC):
        return _zip_kind(data) or "a ZIP archive"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "a WebP image"
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


def _zip_kind(data: bytes) -> str | None:
    """For a ZIP file, which office format it holds (from its member names); else None."""
    if not data.startswith(_ZIP_MAGIC):
        return None
    import zipfile  # only for zip data: keeps start-up light

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            mimetype = b""
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(80)  # bounded: the member could be a bomb
    except Exception:  # zipfile raises many types on damaged data; a sniff must not fail
        return None
    if any(_is_docx_main_part(n) for n in names):
        return _DOCX_KIND
    if "xl/workbook.xml" in names:
        return "an Excel .xlsx spreadsheet"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint .pptx file"
    if "OFD.xml" in names:
        return "an OFD document"
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return "an OpenDocument file"
    return None


_DOCX_MAIN_PART = re.compile(r"word/document\d*\.xml")


def _is_docx_main_part(member: str) -> bool:
    # Word writes word/document.xml; a few generators write word/document2.xml.
    return _DOCX_MAIN_PART.fullmatch(member) is not None


def _refuse_binary(data: bytes, name: str) -> None:
    kind = _binary_kind(data)
    if kind is not None:
        raise InputError(name, f"binary data, not a text plan (looks like {kind})")


# C0 controls other than tab, line feed, vertical tab, form feed (pdftotext puts \f between
# pages), carriage return, and Ctrl-Z (old DOS end-of-file marker); plus DEL.
_CONTROL_CHARS = tuple(chr(c) for c in (*range(0x00, 0x09), *range(0x0E, 0x1A), *range(0x1B, 0x20), 0x7F))
_CONTROL_SAMPLE = 1_000_000


def _refuse_control_characters(text: str, name: str) -> None:
    """Decoded text with more than 1 % control characters is binary data that happened to decode."""
    sample = text[:_CONTROL_SAMPLE]
    controls = sum(sample.count(char) for char in _CONTROL_CHARS)
    if controls and controls * 100 > len(sample):
        raise InputError(name, "binary data, not a text plan (it is full of control characters)")


# ---------------------------------------------------------------------------------------------
# Text decoding

# UTF-32 before UTF-16: the UTF-32-LE mark FF FE 00 00 starts with the UTF-16-LE mark FF FE.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode_bom(data: bytes) -> tuple[str, str] | None:
    """Decode by byte-order mark (the codecs named here drop the mark); None without one."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                continue  # e.g. UTF-16-LE text starting with U+0000 looks like a UTF-32 mark
    return None


_UTF16_SAMPLE = 65536


def _decode_utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a byte-order mark, recognised by NULs in alternating positions.

    ASCII characters, digits and line breaks in UTF-16 have a NUL high byte, so UTF-16-LE text
    has its NULs at odd offsets (UTF-16-BE: even), while binary data has them anywhere.
    """
    if len(data) % 2:
        return None
    sample = data[:_UTF16_SAMPLE]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    needed = max(1, len(sample) // 200)  # NULs in at least 1 % of the 2-byte units
    if odd_nuls >= needed and even_nuls * 4 <= odd_nuls:
        encoding = "utf-16-le"
    elif even_nuls >= needed and odd_nuls * 4 <= even_nuls:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        return None


# The ~600 most common Chinese characters: the top of a general frequency list, plus words of
# government plans (治理, 责任, 牵头单位, 纠纷 ...), plus the traditional forms of all of them.
#
# Why count common characters: GB18030 and Big5 share their byte ranges (lead 0x81-0xFE, trail
# 0x40-0x7E / 0xA1-0xFE), so most Big5 files also decode *without error* as GB18030 and many
# GB2312 files decode as Big5.  Both decodings then consist of CJK ideographs, so "is it CJK"
# cannot tell them apart.  The right decoding is real text, and ~80 % of the characters of a
# real plan are in this set; the wrong one is a scatter over ~20,000 ideographs, mostly rare
# ones (the Big5 bytes of 推進基層治理 read as GB18030 are 崩秈膀糷獀瞶), few of them here.
_COMMON_HANZI = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方"
    "多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情"
    "明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给"
    "世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太"
    "量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象"
    "完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济"
    "车亲极林服快办议往元英士证近失转夫令准布府委室印施案推健善落责单牵配级乡镇街村县省层矛盾纠纷排查网综维稳群众织考核监督宣"
    "障费隐患措标创试示范款项依贯彻深积升构筑這個們來爲國說時會對於過發後裏種經麼學現當沒動還進樣開從實軍無與長機關點業將兩間"
    "問並應戰頭體見產話內給門兒東聲員論處義幾認條氣題爾別變總電數報結務場計資許統區隊決馬書則聽卻達強難權設記類據邊張該規萬覺"
    "術領確傳師觀讓識帶導爭運飛風幹聯組濟車親極辦議證轉準責單牽級鄉鎮縣層糾紛網綜維穩羣衆織監費隱標創試範項貫徹積構築為眾裡臺"
)

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_PLAUSIBILITY_SAMPLE = 200_000  # non-ASCII characters looked at
_MIN_CJK_SHARE = 0.9  # of the non-ASCII characters: ideographs, CJK / full-width punctuation
_MIN_COMMON_SHARE = 0.2  # of the ideographs: in _COMMON_HANZI (real plans: ~0.8)
_MIN_IDEOGRAPHS_FOR_COMMON = 50  # below this the common share says little

# Non-ASCII characters at home in Chinese text (the candidates' decodings are judged by them).
_CHINESE_TEXT_RANGES: tuple[tuple[int, int], ...] = (
    (0x2000, 0x206F),  # general punctuation: — ‘ ’ “ ” … ※
    (0x2100, 0x22FF),  # letterlike (℃ №), number forms (Ⅰ Ⅱ), arrows, maths (≤ ≥ ∶)
    (0x2460, 0x27BF),  # enclosed numbers (①), box drawing, shapes (■ ●), symbols (★)
    (0x3000, 0x303F),  # CJK punctuation: 、。《》【】
    (0x3105, 0x312F),  # bopomofo
    (0x3200, 0x33FF),  # enclosed CJK (㈠ ㈡), CJK compatibility (㎡ ㎏)
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE6F),  # CJK compatibility and small forms
    (0xFF00, 0xFF60),  # full-width ASCII: ，（）：；
    (0xFFE0, 0xFFEF),  # full-width signs: ￥
    (0x20000, 0x3134F),  # CJK extensions B-G
)
_LATIN1_IN_CHINESE = frozenset("\u00a0§¨°±·×÷")


def _is_ideograph(code: int) -> bool:
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF or code >= 0x20000


def _is_chinese_text_char(char: str) -> bool:
    code = ord(char)
    return char in _LATIN1_IN_CHINESE or any(low <= code <= high for low, high in _CHINESE_TEXT_RANGES)


def _chinese_score(text: str) -> int | None:
    """How many common Chinese characters ``text`` has; None if it does not look like Chinese."""
    non_ascii = ideographs = chinese = common = 0
    for match in itertools.islice(_NON_ASCII.finditer(text), _PLAUSIBILITY_SAMPLE):
        char = match.group()
        non_ascii += 1
        if _is_chinese_text_char(char):
            chinese += 1
            if _is_ideograph(ord(char)):
                ideographs += 1
                common += char in _COMMON_HANZI
    if non_ascii == 0 or chinese < _MIN_CJK_SHARE * non_ascii:
        return None
    if ideographs >= _MIN_IDEOGRAPHS_FOR_COMMON and common < _MIN_COMMON_SHARE * ideographs:
        return None
    return common


# Python codec names that GB18030 or Big5 already cover (GB18030 is a superset of GBK/GB2312).
_COVERED = frozenset({"gb18030", "gbk", "gb2312", "big5"})


def _decode_legacy(data: bytes, name: str) -> tuple[str, str]:
    """Not UTF-8: try GB18030 and Big5 (and charset-normalizer's guess if neither fits)."""
    best: tuple[int, str, str] | None = None  # (score, text, encoding)
    for encoding in ("gb18030", "big5"):
        best = _better(best, data, encoding)
    if best is None:
        # Only now: charset-normalizer is slow to import and its guess for Chinese text is
        # one of the two above anyway.
        best = _better(best, data, _charset_normalizer_guess(data))
    if best is None:
        raise InputError(name, _UNDECODABLE)
    return best[1], best[2]


def _better(best: tuple[int, str, str] | None, data: bytes, encoding: str | None) -> tuple[int, str, str] | None:
    """Decode strictly with ``encoding``; keep it if plausible and more Chinese than ``best``."""
    if encoding is None:
        return best
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return best
    score = _chinese_score(text)
    if score is None or (best is not None and score <= best[0]):
        return best
    return score, text, encoding


def _charset_normalizer_guess(data: bytes) -> str | None:
    try:
        import charset_normalizer
    except ImportError:  # pragma: no cover - it is a declared dependency
        return None
    match = charset_normalizer.from_bytes(data).best()
    if match is None:
        return None
    try:
        encoding = codecs.lookup(match.encoding).name
    except LookupError:
        return None
    return None if encoding in _COVERED else encoding


# ---------------------------------------------------------------------------------------------
# YAML front matter

_FRONT_MATTER_MAX_LINES = 200
_FRONT_MATTER_MAX_CHARS = 64 * 1024
_HINT_KEYS = {
    "标题": "title",
    "title": "title",
    "发布日期": "date",
    "发文日期": "date",
    "成文日期": "date",
    "date": "date",
    "发文单位": "issuers",
    "发布单位": "issuers",
    "发文机关": "issuers",
    "issuer": "issuers",
    "issuers": "issuers",
    "文号": "doc_number",
    "发文字号": "doc_number",
    "doc_number": "doc_number",
}


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int] | None:
    """Hints from a ``---`` ... ``---`` YAML block at the top, and how many lines it spans.

    None (the block stays text) unless it parses as a mapping with at least one known key:
    a plan may well start with a ``---`` rule, and its text must not be lost.
    """
    if not lines or lines[0].rstrip() != "---":
        return None
    for end in range(1, min(len(lines), _FRONT_MATTER_MAX_LINES)):
        if lines[end].rstrip() == "---":
            break
    else:
        return None
    block = "\n".join(lines[1:end])
    if len(block) > _FRONT_MATTER_MAX_CHARS:
        return None
    try:
        data = yaml.safe_load(block)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError):
        return None
    if not isinstance(data, dict):
        return None
    keys = [(str(key).strip().lower(), value) for key, value in data.items()]
    known = [(_HINT_KEYS[key], value) for key, value in keys if key in _HINT_KEYS]
    if not known:
        return None
    hints: dict[str, str] = {}
    for hint, value in known:
        text = _hint_text(value)
        if text and hint not in hints:
            hints[hint] = text
    return hints, end + 1


def _hint_text(value: Any) -> str | None:
    """A scalar as a string, a list of scalars joined with 、; anything else (nested) None.

    Never str() of a container: YAML aliases can make a small block a huge nested structure.
    """
    if value is None or isinstance(value, (dict, set)):
        return None
    if isinstance(value, (list, tuple)):
        parts = [str(v).strip() for v in value if v is not None and not isinstance(v, (list, tuple, dict, set))]
        return "、".join(p for p in parts if p) or None
    return str(value).strip() or None


# ---------------------------------------------------------------------------------------------
# Format sniffing (unknown suffix, stdin)

_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|p)\b", re.IGNORECASE)
_SNIFF_BYTES = 1024


def _sniff_format(data: bytes) -> str:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if _zip_kind(data) == _DOCX_KIND:
        return "docx"
    if _looks_like_html(data):
        return "html"
    return "txt"


def _looks_like_html(data: bytes) -> bool:
    head = data[:_SNIFF_BYTES]
    start = ""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            # incremental decoder, final=False: a character cut at the end is held back, not lost
            start = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            break
    else:
        start = head.decode("latin-1")  # only to look for ASCII tags; never used as text
    start = start.lstrip("\ufeff \t\r\n")
    return start.startswith("<") and _HTML_START.search(start) is not None


# ---------------------------------------------------------------------------------------------
# .docx

_DOCX_MAX_MEMBERS = 10_000
_DOCX_MAX_TOTAL = 300 * _MB
_DOCX_MAX_RATIO = 200
_DOCX_RATIO_MIN_SIZE = _MB  # the ratio of tiny members says nothing and harms nobody


def _read_docx(data: bytes, name: str) -> tuple[list[str], list[int]]:
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


# ---------------------------------------------------------------------------------------------
# HTML

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


def _read_html(data: bytes, name: str) -> tuple[list[str], list[int], str, dict[str, str]]:
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
