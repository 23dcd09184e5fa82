"""Normalize text: simplified script, half-width punctuation, no web debris.

Works line by line so that every working line keeps the line number it had in the
original file (``Line.origin``).  Blank lines and debris lines are left out of the
working text; debris lines are recorded in ``dropped``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import lexicon

# Full-width ASCII variants (！ to ～) fold to ASCII; the ideographic space to a
# space.  Chinese quotes “”, 、 and 。 are not in this block and stay as they are.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x200B: None,
               0xFEFF: None, 0x2027: 0xB7, 0xFE50: 0x3001, 0xFE52: 0x2E})
# anything str.splitlines() would break on must not survive inside one line
_WIDTH.update({cp: 0x20 for cp in (0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029)})
_SPACES = re.compile(r"[ \u2009\u202f]{2,}")
# a gap of two or more spaces or tabs between cells of a flattened table
_CELL_GAP = re.compile(r"[ \t]{2,}|\t")

# Share of Han characters that t2s changes from which a text counts as traditional
# (a traditional text changes about a quarter of them) or as mixed.
TRADITIONAL_SHARE = 0.05
MIXED_SHARE = 0.002


@dataclass
class Line:
    text: str
    origin: int  # 1-based line in the original file
    last: int | None = None  # last original line when lines were joined

    @property
    def end(self) -> int:
        return self.last if self.last is not None else self.origin


@dataclass
class NormalizedText:
    lines: list[Line]
    script: str  # simplified | traditional | mixed
    dropped: list[int] = field(default_factory=list)  # origins of debris lines

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)


def fold_width(s: str) -> str:
    """Full-width digits, letters and ASCII punctuation to half-width."""
    return s.translate(_WIDTH)


@lru_cache(maxsize=1)
def _converter():
    from .t2s import convert  # OpenCC's t2s, exactly; its tables are built at first use

    return convert


def detect_and_convert(lines: list[str]) -> tuple[list[str], str]:
    """Convert traditional script to simplified; say which script the text was in."""
    trad = lexicon.traditional_chars()
    if all(trad.isdisjoint(ln) for ln in lines):
        return lines, "simplified"
    conv = _converter()
    # a line with no traditional-only character is left alone (cheaper, and what the
    # golden outputs were reviewed with: t2s would also change 後, 於, 藉口 ...)
    out = [ln if trad.isdisjoint(ln) else conv(ln) for ln in lines]
    han = changed = 0
    for a, b in zip(lines, out):
        if len(a) == len(b):
            changed += sum(1 for x, y in zip(a, b) if x != y)
        else:
            changed += sum(1 for x in a if x in trad)
        han += sum(1 for x in a if "\u4e00" <= x <= "\u9fff")
    share = changed / han if han else 0.0
    if share >= TRADITIONAL_SHARE:
        return out, "traditional"
    if share >= MIXED_SHARE:
        return out, "mixed"
    return out, "simplified"


@lru_cache(maxsize=1)
def _debris_rules():
    data = lexicon.load("debris")
    # one pattern per rule: most rules are anchored (^…) and fail at once; joined into one
    # alternation they would be tried at every position (measured: 40% slower)
    patterns = [re.compile(r["pattern"], re.IGNORECASE) for r in data["drop"] if "pattern" in r]
    only = "".join(r.get("only_chars", "") for r in data["drop"])
    return data["max_line_chars"], patterns, frozenset(only), data["strip_trailing_bar"]


def is_debris(line: str) -> bool:
    max_chars, patterns, only_chars, _ = _debris_rules()
    if len(line) > max_chars:
        return False
    if line and all(c in only_chars for c in line):
        return True
    for p in patterns:
        if p.search(line):
            return True
    return False


def strip_trailing_bar(line: str) -> str:
    """Remove a trailing run of '|' and spaces ("实施意见 | ||||" -> "实施意见")."""
    chars = _debris_rules()[3]
    stripped = line.rstrip(chars)
    if stripped != line and ("|" in line[len(stripped):] or "｜" in line[len(stripped):]):
        return stripped
    return line


def clean_line(s: str) -> str:
    """Width-folded, stripped; cells of a table row (tabs, or two or more gaps of
    several spaces as left by a PDF or a plain-text table) joined by one tab."""
    s = _cells(s)
    return strip_trailing_bar(s)


def _cells(s: str) -> str:
    s = fold_width(s).strip()
    if s.startswith("|") and s.endswith("|") and s.count("|") >= 3:
        # "| 1 | 推进… | 县委政法委 | 2022年6月底前 |": a table row copied from a web page
        # or written as Markdown; its cells are what the bars set apart
        cells = [c.strip() for c in s[1:-1].split("|")]
        if any("-" in c for c in cells) and all(set(c) <= set("-:= ") for c in cells):
            return ""  # a Markdown rule under the header ("|---|:--:|"): nothing to read
        if sum(1 for c in cells if c) >= 2:
            return "\t".join(c or " " for c in cells).strip("\t ")
    if "\t" in s or "  " in s:
        parts = [p for p in _CELL_GAP.split(s) if p]
        if "\t" in s or len(parts) >= 3:
            s = "\t".join(parts)
        else:
            s = _SPACES.sub(" ", s)
    return s


def normalize_lines(raw: list[str], origins: list[int]) -> NormalizedText:
    """The working lines of a document, each with its origin in the source."""
    converted, script = detect_and_convert(raw)
    lines: list[Line] = []
    dropped: list[int] = []
    for text, origin in zip(converted, origins):
        s = _cells(text)
        if not s:
            continue
        kept = strip_trailing_bar(s)
        if not kept or is_debris(s) or is_debris(kept):
            dropped.append(origin)
            continue
        s = kept
        lines.append(Line(s, origin))
    return NormalizedText(lines, script, dropped)
