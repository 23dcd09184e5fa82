"""Read one plan file: raw bytes in, text lines out, each line mapped to its place in the original.

This module's one job is to turn a plan file -- plain text in any encoding Chinese government
offices produce (UTF-8, UTF-16, GB18030/GBK, Big5), a Word ``.docx``, a saved web page or a PDF
with a text layer (read by :mod:`govparse.pdf`) -- into
a list of text lines plus, for every line, where it sits in the original file, so that whatever
is extracted later can point back at its source.  It refuses bad input with :class:`InputError`
and a one-line reason, never a traceback.

It deliberately does not normalise the text (no simplified/traditional conversion, no width
folding, no whitespace changes for .txt): that is the normaliser's job.

The work is split by format: :mod:`govparse.decode` turns bytes into text,
:mod:`govparse.docx_text`, :mod:`govparse.html_text` and :mod:`govparse.pdf` read their formats.
This module keeps the entry points, the size limits, format detection, .txt lines and YAML
front matter, and imports a format's module only when a file of that format is read, so that
start-up stays light (no html.parser, python-docx or pdfminer for a .txt plan).
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from govparse.decode import _BOMS, _DOCX_KIND, _LINE_BREAK, _zip_kind, decode_text
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
        from govparse.docx_text import read_docx

        lines, origins = read_docx(data, name)
        encoding = None
    elif fmt == "html":
        from govparse.html_text import read_html

        lines, origins, encoding, hints = read_html(data, name)
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


# What counts as a line break (and why not str.splitlines) is defined with _LINE_BREAK in
# decode.py: the .docx and .html readers split on the same breaks.
def _split_lines(text: str) -> list[str]:
    """Split on line breaks; a break at the very end does not start a phantom empty line."""
    lines = _LINE_BREAK.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


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
    import yaml  # only for a file that opens with a front-matter block

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
