"""Repair text that was printed on pages: join wrapped lines, drop page furniture.

A PDF (and text copied out of one) breaks every paragraph into lines of one width and
adds page numbers and running headers to each page.  The rest of govparse reads one
paragraph per line, so this module undoes the printing on the normalized lines:

* ``find_furniture`` picks out page numbers ("— 3 —", "第3页 共20页", a lone "3" at a
  page's edge) and running headers/footers (a short line recurring at the top or bottom
  of many pages).  The patterns are data: ``data/page_furniture.yaml``.
* ``unwrap`` drops them and joins a line to the next when the break falls inside a
  sentence: the line is full (as long as the document's wrapped lines), does not end a
  sentence or a unit list, is no title, no blank line followed it in the source, and the
  next line starts no heading, point, bullet, role label, attachment or date.  A line
  that ends with an opening bracket, 、 or a comma, or a next line that starts with
  punctuation, goes on whatever else is true.  Headings are recognised by
  ``structure.match_heading`` and the lexicons, so this module knows no heading pattern
  of its own; a numbered start that does not continue its style's count ("第" + "二、三批")
  is running text.
* ``looks_wrapped`` tells whether text that is not a PDF was wrapped like this; ``repair``
  applies the whole repair to a PDF always and to other text only when it looks wrapped.

A joined line keeps ``origin`` (its first original line) and ``last`` (its last one),
so every character still points into the lines it came from.  Everything here is one
pass or a few over the lines, with bounded look-backs: linear in the size of the text.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

from . import lexicon
from .extract.meta import is_date_line, is_title_like
from .normalize import Line, NormalizedText
from .structure import _attachment_heading, _plain_heading, match_heading

__all__ = ["find_furniture", "looks_wrapped", "repair", "split_furniture", "unwrap"]

# looks_wrapped: of the lines of at least MIN_CHARS characters, WRAPPED_SHARE lie within
# TOLERANCE characters of the commonest length (or SHORT_ITEMS_SHARE when hardly any line
# is longer, as in a list of short items wrapped once each: LONGER_SHARE at most; or
# FEW_SHARE when, besides, a line starts with punctuation, which no paragraph does), and
# most of those end inside a sentence
MIN_CHARS = 15
TOLERANCE = 3
WRAPPED_SHARE = 0.6
SHORT_ITEMS_SHARE = 0.3
FEW_SHARE = 0.2
LONGER_SHARE = 0.05
OPEN_END_SHARE = 0.5
MIN_WRAPPED_LINES = 5
MIN_WIDTH = 20  # no page is wrapped narrower
MAX_WIDTH = 400  # longer lines are paragraphs, not printed lines

SENTENCE_END = "。!?！？"  # a line ending with one of these ends its paragraph
SOFT_END = ";:；："  # ends a paragraph too, except inside a unit list
CLOSING_QUOTES = "”’」』\"'"
GOES_ON = "(（[【《“‘、,，"  # a line ending with one of these goes on, whatever the next line looks like
CONTINUES = "的,，。、;；:：!?！？)）】》”’"  # no paragraph starts with one of these
PROSE_MARKS = ",，。;；、:：!?"
LOOK_BACK = 600  # characters looked back for an open unit-list bracket (units.MAX_LIST_CHARS)
_STRUCTURAL_STYLES = ("chapter", "article", "phase")  # 第X章/条/阶段: always a heading


@lru_cache(maxsize=1)
def _furniture_rules():
    data = lexicon.load("page_furniture")
    # one alternation per list: one fullmatch per line
    strong = re.compile("|".join(f"(?:{r['pattern']})" for r in data["page_numbers"]))
    weak = re.compile("|".join(f"(?:{r['pattern']})" for r in data["weak_page_numbers"]))
    return data, strong, weak


@lru_cache(maxsize=1)
def _lex():
    roles = lexicon.load("roles")
    headings = lexicon.load("headings")
    deadlines = lexicon.load("deadlines")
    labels = list(roles["labels"]) + list(roles["not_units"]) + list(deadlines["time_labels"])
    alternation = lexicon.alternation(labels)
    label_start = re.compile(r"[(\[【]?(?:" + alternation + r")\s*:")
    label_end = re.compile("(?:" + alternation + r")\s*:$")
    label_any = re.compile("(?:" + alternation + r")\s*:")
    point = re.compile(headings["point_pattern"])
    return label_start, label_end, point, headings["bullet_chars"], label_any


@lru_cache(maxsize=1)
def _section_words() -> tuple[str, ...]:
    kinds = lexicon.load("section_kinds")["kinds"]
    return tuple(kw for spec in kinds.values() for kw in spec["keywords"])


_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=1)
def _wide():
    """Characters two cells wide: Hangul Jamo, CJK, Hangul syllables, compatibility,
    full-width forms.  Compiled on first use: re visits every code point of a class's
    ranges (~60,000 here, ~5 ms), and most texts are never unwrapped."""
    return re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                      "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]")


def _squeeze(text: str) -> str:
    return _SPACE.sub("", text)


# ---------------------------------------------------------------------------------------------
# Page furniture


def _page_of(lines: list[Line], pages: list[int] | None, numbers: set[int]) -> list[int]:
    """The page index of every line: from ``pages`` (PDF) or, for text, counted at the
    page numbers found in it (a page number ends or starts a page)."""
    if pages:
        return [max(0, bisect_right(pages, ln.origin) - 1) for ln in lines]
    out, page = [], 0
    for i in range(len(lines)):
        out.append(page)
        if i in numbers:
            page += 1
    return out


def _edges(page_of: list[int], depth: int, numbers: set[int], inferred: bool) -> list[bool]:
    """Whether each line is within ``depth`` lines of the top or bottom of its page.
    For text, where pages were inferred at page numbers, a line near a page number."""
    n = len(page_of)
    edge = [False] * n
    if inferred:
        for i in numbers:
            for j in range(max(0, i - depth), min(n, i + depth + 1)):
                edge[j] = True
        for j in list(range(min(depth, n))) + list(range(max(0, n - depth), n)):
            edge[j] = True
        return edge
    start = 0
    for i in range(1, n + 1):
        if i == n or page_of[i] != page_of[start]:
            for j in range(start, i):
                if j - start < depth or i - 1 - j < depth:
                    edge[j] = True
            start = i
    return edge


def _is_heading_like(text: str) -> bool:
    return match_heading(text) is not None or _attachment_heading(text)


def find_furniture(lines: list[Line], pages: list[int] | None = None) -> set[int]:
    """Indices of the lines that are page furniture: page numbers and running headers.

    ``pages`` are the first origins of the pages of a PDF (``SourceText.pages``); without
    them pages are inferred from the page numbers found in the text.
    """
    data, strong, weak = _furniture_rules()
    max_chars = data["max_line_chars"]
    numbers: set[int] = set()
    weak_hits: dict[int, str] = {}
    for i, ln in enumerate(lines):
        if len(ln.text) <= max_chars and _DIGIT.search(ln.text):
            s = _squeeze(ln.text)
            if strong.fullmatch(s):
                numbers.add(i)
            elif weak.fullmatch(s):
                weak_hits[i] = s

    running = data["running"]
    depth = running["edge_lines"]
    # weak page numbers of text: three or more that count up (3, 4, 5 …), a page apart
    if weak_hits and not pages:
        chains: dict[int, list[int]] = {}  # expected next value -> the chain's members
        found: list[list[int]] = []
        for i in sorted(weak_hits):
            v = int(_DIGITS.search(weak_hits[i]).group())
            chain = chains.pop(v, None)
            # a page apart -- but the last page of a document may be short
            if chain is None or (i - chain[-1] < data["weak_min_gap"] and i < len(lines) - depth):
                chain = []
                found.append(chain)
            chain.append(i)
            chains[v + 1] = chain
        for chain in found:
            if len(chain) >= data["weak_sequence_min"]:
                numbers.update(chain)

    page_of = _page_of(lines, pages, numbers)
    edge = _edges(page_of, depth, numbers, inferred=not pages)
    if pages:
        numbers.update(i for i in weak_hits if edge[i])

    # running headers and footers: the same short line at the edge of many pages
    n_pages = len(pages) if pages else (page_of[-1] + 1 if page_of else 0)
    if n_pages >= 2:
        seen: dict[str, set[int]] = defaultdict(set)
        where: dict[str, list[int]] = defaultdict(list)
        for i, ln in enumerate(lines):
            if (not edge[i] or i in numbers or len(ln.text) > running["max_chars"]
                    or any(c in ln.text for c in PROSE_MARKS) or _is_heading_like(ln.text)):
                continue
            key = _DIGITS.sub("#", _squeeze(ln.text))
            seen[key].add(page_of[i])
            where[key].append(i)
        need = min(running["min_pages"], max(2, running["min_share"] * n_pages))
        for key, on_pages in seen.items():
            if len(on_pages) >= need:
                numbers.update(where[key])
    return numbers


# ---------------------------------------------------------------------------------------------
# Widths


def _display_width(text: str) -> int:
    """Width in half-width cells: a Chinese character or full-width form is two."""
    return len(text) + len(_wide().findall(text))


def _densest(values: list[int], tolerance: int) -> tuple[int, int]:
    """(v, count): the v with the most values in [v - tolerance, v]; (0, 0) for none."""
    if not values:
        return 0, 0
    counts = Counter(values)
    top = max(counts)
    best, best_count, window = 0, 0, 0
    for v in range(0, top + 1):
        window += counts.get(v, 0) - counts.get(v - tolerance - 1, 0)
        if window > best_count:
            best, best_count = v, window
    return best, best_count


@dataclass(frozen=True)
class _Width:
    """The width the lines were wrapped at, in characters and in display cells."""

    chars: int
    cells: int

    @classmethod
    def of(cls, lines: list[Line]) -> "_Width":
        long = [ln.text for ln in lines if MIN_CHARS <= len(ln.text) <= MAX_WIDTH]
        chars, _ = _densest([len(t) for t in long], TOLERANCE)
        cells, _ = _densest([_display_width(t) for t in long], 2 * TOLERANCE)
        return cls(chars, cells)

    def full(self, text: str) -> bool:
        """Does the line reach the wrap width (so that its paragraph may go on)?"""
        if not self.chars or len(text) < MIN_CHARS:
            return False
        if len(text) >= self.chars - TOLERANCE:
            return True
        return _display_width(text) >= self.cells - 2 * TOLERANCE


def looks_wrapped(lines: list[Line]) -> bool:
    """Were these lines wrapped at a fixed width (text copied out of a PDF)?

    Yes when, of the lines of at least 15 characters, 60 % or more lie within 3
    characters of the commonest length (30 % when at most 5 % are longer; 20 % when,
    besides, some line starts with punctuation) and most of those end inside a sentence.
    """
    long = [ln.text for ln in lines if len(ln.text) >= MIN_CHARS]
    if len(long) < MIN_WRAPPED_LINES:
        return False
    mode = Counter(len(t) for t in long).most_common(1)[0][0]
    if not MIN_WIDTH <= mode <= MAX_WIDTH:
        return False
    near = [t for t in long if abs(len(t) - mode) <= TOLERANCE]
    longer = sum(1 for t in long if len(t) > mode + TOLERANCE)
    if len(near) < MIN_WRAPPED_LINES or len(near) < FEW_SHARE * len(long):
        return False
    if len(near) < WRAPPED_SHARE * len(long):
        if longer > LONGER_SHARE * len(long):
            return False
        if len(near) < SHORT_ITEMS_SHARE * len(long) and not any(ln.text[0] in CONTINUES[1:] for ln in lines):
            return False
    open_end = sum(1 for t in near if t.rstrip(CLOSING_QUOTES)[-1:] not in SENTENCE_END + SOFT_END)
    return open_end >= OPEN_END_SHARE * len(near)


# ---------------------------------------------------------------------------------------------
# Joining


class _Headings:
    """The numbers of the headings seen so far, per style: a heading-like start of a line
    that does not continue its style's count ("二、三级" after 四、) is running text."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}
        self._text: str | None = None
        self._match: tuple | None = None

    def _heading(self, text: str):
        if text is not self._text:  # each line is asked about twice: match it once
            self._text, self._match = text, match_heading(text)
        return self._match

    def is_heading(self, text: str) -> bool:
        h = self._heading(text)
        if not h:
            return False
        style, _, value, _, has_sep = h
        if style in _STRUCTURAL_STYLES or value is None:
            return True
        last = self.last.get(style)
        if has_sep:
            return value == 1 or last is None or value == last + 1
        return (last is None and value == 1) or (last is not None and value == last + 1)

    def note(self, text: str) -> None:
        """Count the heading that starts this line, if it is one."""
        if self.is_heading(text):
            style, _, value, _, _ = self._heading(text)
            if value is not None:
                self.last[style] = value


def _last_char(text: str) -> str:
    stripped = text.rstrip(CLOSING_QUOTES + " ")
    return stripped[-1:] if stripped else ""


def _unmatched_open(tail: str, end: int) -> int | None:
    """Index of the nearest opening bracket before ``end`` that is not closed before it."""
    depth = 0
    for i in range(end - 1, -1, -1):
        c = tail[i]
        if c in ")）】]":
            depth += 1
        elif c in "(（【[":
            if depth == 0:
                return i
            depth -= 1
    return None


def _open_unit_list(text: str) -> bool:
    """Does the text end inside a bracket that holds a role label ("(牵头单位:甲;")?"""
    tail = text[-LOOK_BACK:]
    i = _unmatched_open(tail, len(tail))
    return i is not None and _lex()[0].match(tail, i) is not None


def _closes_unit_list(text: str) -> bool:
    """Does the text end with a bracket that closes a unit list or a time field
    ("…(牵头单位:市委政法委)")?"""
    if not text.endswith((")", "）", "】", "]")):
        return False
    tail = text[-LOOK_BACK:]
    i = _unmatched_open(tail, len(tail) - 1)  # the bracket the last one closes
    return i is not None and _lex()[4].search(tail, i) is not None


def _ends_paragraph(segment: str, text: str) -> bool:
    """Does the line (``segment``, the last piece of the joined ``text``) end its paragraph
    by its punctuation?"""
    end = _last_char(segment)
    if end in SENTENCE_END:
        return True
    if end in ":：":
        label_end = _lex()[1]
        return label_end.search(segment.rstrip()) is None  # "牵头单位:" goes on with its list
    if end in ";；":
        return not _open_unit_list(text)
    return _closes_unit_list(segment)


def _starts_block(text: str, headings: _Headings) -> bool:
    """Does the line start something of its own: a heading, point, bullet, role label,
    attachment, date line?"""
    label_start, _, point, bullets, _ = _lex()
    if _attachment_heading(text) or headings.is_heading(text):
        return True
    if point.match(text) or label_start.match(text) or is_date_line(text):
        return True
    if text[0] in bullets and len(text) > 2 and not text.lstrip(bullets)[:1].isdigit():
        return True
    # "指导思想", "基本原则:…": a section's name starts the line ("…水平的责任清单" is a tail)
    plain = _plain_heading(text, lexicon.load("headings")["plain_heading_max_chars"])
    return plain is not None and text.startswith(_section_words())


def _title_after_prose(segment: str, nxt: str, width: _Width) -> bool:
    """A much shorter line that names a document, after a line of prose: a title."""
    return (len(nxt) < 0.6 * width.chars and is_title_like(nxt)
            and any(c in segment for c in ",，。;；、"))


@lru_cache(maxsize=1)
def _spaced_phrases():
    """Two phrases set apart by spaces (compiled on first use, like ``_wide``)."""
    return re.compile(r"[\u4e00-\u9fff”\"] +[“\"\u4e00-\u9fff]")


def _is_title(text: str) -> bool:
    """A line with no punctuation that names a document ("…的实施意见") or is made of
    phrases set apart by a space ("…工程 全面启动…"): a title that happens to be as long
    as the wrapped lines, not the start of a paragraph."""
    if any(c in text for c in PROSE_MARKS):
        return False
    return is_title_like(text) or _spaced_phrases().search(text) is not None


def _blank_between(lines: list[Line], dropped: set[int]) -> list[bool]:
    """Whether a blank line stood in the source between each line and the next (their
    origins leave a gap not made by dropped debris or furniture).  Meaningless, and all
    False, when most lines are followed by a blank one (double-spaced text)."""
    gaps = []
    for a, b in zip(lines, lines[1:]):
        gap = False
        for k in range(a.end + 1, b.origin):
            if k not in dropped:
                gap = True
                break
        gaps.append(gap)
    gaps.append(False)
    if sum(gaps) * 2 > len(lines):
        return [False] * len(lines)
    return gaps


def _joiner(left: str, right: str) -> str:
    """Nothing between Chinese characters or digits; a space between two Latin words."""
    if left[-1:].isascii() and left[-1:].isalpha() and right[:1].isascii() and right[:1].isalpha():
        return " "
    return ""


class _Paragraph:
    """The original lines joined so far into one line; the text is built once, at the end,
    so that joining n lines costs O(n), and only a bounded tail is kept for look-backs."""

    def __init__(self, line: Line):
        self.first = line
        self.parts = [line.text]
        self.end = line.end
        self.tail = line.text[-LOOK_BACK:]

    def add(self, line: Line) -> None:
        piece = _joiner(self.tail, line.text) + line.text
        self.parts.append(piece)
        self.end = line.end
        self.tail = (self.tail + piece)[-LOOK_BACK:]

    def line(self) -> Line:
        if len(self.parts) == 1:
            return replace(self.first)
        return Line("".join(self.parts), self.first.origin, self.end)


def _joins(segment: str, para: _Paragraph, text: str, width: _Width, headings: _Headings) -> bool:
    """Does the paragraph ``para``, whose last original line is ``segment``, go on with
    the next line ``text``?"""
    if not width.full(segment):
        return False
    if segment[-1] in GOES_ON or text[0] in CONTINUES:
        return True
    if segment[-1] in ";；" and _open_unit_list(para.tail):
        return True  # "(牵头单位:甲;" + "责任单位:乙)": one bracket of units
    if len(para.parts) == 1 and _is_title(segment):
        return False
    return not (_ends_paragraph(segment, para.tail) or _starts_block(text, headings)
                or _title_after_prose(segment, text, width))


def _join(lines: list[Line], dropped: set[int] | None = None) -> list[Line]:
    width = _Width.of(lines)
    headings = _Headings()
    blank_after = _blank_between(lines, dropped or set())
    paragraphs: list[_Paragraph] = []
    segment = ""  # the last original line of paragraphs[-1]
    for i, ln in enumerate(lines):
        text = ln.text
        if paragraphs and not blank_after[i - 1] and _joins(segment, paragraphs[-1], text, width, headings):
            paragraphs[-1].add(ln)
        else:
            headings.note(text)
            paragraphs.append(_Paragraph(ln))
        segment = text
    return [p.line() for p in paragraphs]


def split_furniture(lines: list[Line], pages: list[int] | None = None) -> tuple[list[Line], list[Line]]:
    """(kept lines, furniture lines)."""
    drop = find_furniture(lines, pages)
    kept = [ln for i, ln in enumerate(lines) if i not in drop]
    dropped = [ln for i, ln in enumerate(lines) if i in drop]
    return kept, dropped


def unwrap(lines: list[Line], pages: list[int] | None = None) -> list[Line]:
    """The lines with page furniture dropped and wrapped paragraphs joined."""
    kept, furniture = split_furniture(lines, pages)
    return _join(kept, {ln.origin for ln in furniture})


def repair(norm: NormalizedText, pages: list[int] | None = None, always: bool = False) -> NormalizedText:
    """``norm`` unwrapped when it comes from a PDF (``always``) or looks wrapped; else as is.
    The origins of dropped furniture join ``norm.dropped``."""
    if not (always or looks_wrapped(norm.lines)):
        return norm
    kept, furniture = split_furniture(norm.lines, pages)
    dropped = set(norm.dropped) | {ln.origin for ln in furniture}
    return NormalizedText(_join(kept, dropped), norm.script, sorted(dropped))
