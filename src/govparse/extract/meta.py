"""Document metadata: title, issuing offices, issuing place and level, issue date.

The head of a plan (before its first heading) holds the title and often the
issuing offices; the 落款 at the end holds the offices and the date.  A place
hidden by a template (xx市, X镇) gives region None.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .. import lexicon
from ..model import DocumentMeta
from ..normalize import Line
from ..structure import cn_number

_SENTENCE_END = "。;;!?！？"
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_DATE = re.compile(r"([一二三四五六七八九〇零○]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@lru_cache(maxsize=1)
def _lex():
    return lexicon.load("meta")


@lru_cache(maxsize=1)
def _doc_type_re():
    # "…实施方案", "…实施方案(试行)", "…行动计划(2021-2023年)"
    return re.compile("(?:" + lexicon.alternation(_lex()["doc_types"]) + r")(?:\([^()]{1,24}\))?\)?$")


@lru_cache(maxsize=1)
def _issuer_re():
    return re.compile("(?:" + lexicon.alternation(_lex()["issuer_suffixes"]) + ")$")


_ISSUING_NOTICE = re.compile(r"关于印发(.{4,80}?)的通知$")
# 文号 such as 清政办〔2020〕12号, 保办字[2018]40号
@lru_cache(maxsize=1)
def _doc_number_re():
    # compiled only for a head line with 号 in it: the class over the CJK block alone
    # costs ~1.5 ms to compile, on every start
    return re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔\[(【]\s*\d{4}\s*[〕\])】]\s*\d{1,4}\s*号")


def find_doc_number(head: list[Line]) -> str | None:
    for ln in head[:10]:
        if "号" not in ln.text or len(ln.text) > 40:
            continue
        m = _doc_number_re().search(ln.text)
        if m:
            return m.group(0).replace(" ", "")
    return None


def is_title_like(text: str) -> bool:
    """A line that names a document ("…实施方案"), not a sentence of the plan."""
    return _looks_like_title(text) and bool(_doc_type_re().search(text))


def parse_date(s: str) -> str | None:
    """ISO date of "2019年5月28日", "二〇一九年五月二十八日" or "2019-05-28"."""
    s = s.strip()
    m = _DATE.search(s) or _ISO.search(s)
    if m:
        y, mo, d = (int(x) for x in m.groups())
    else:
        m = _CN_DATE.search(s)
        if not m:
            return None
        y = int("".join(str(_CN_DIGIT[c]) for c in m.group(1)))
        mo, d = cn_number(m.group(2)), cn_number(m.group(3))
    if not (1949 < y < 2200 and mo and 1 <= mo <= 12 and d and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _signed_parts(text: str) -> list[str] | None:
    """"清苑县人民政府办公室\t2021年3月8日印发": the offices before a 落款 date on one line."""
    parts = [p for p in re.split(r"[\t ]+", text.strip()) if p]
    if len(parts) >= 2 and len(text) <= 60 and _is_date_only(parts[-1]) and all(_is_issuer(p) for p in parts[:-1]):
        return parts[:-1]
    return None


def is_date_line(text: str) -> bool:
    """A line that is only a date (the 落款 date), possibly in brackets or followed by 印发,
    or the issuing offices followed by that date on one line."""
    if "日" not in text:  # every date form below ends its date with 日; most lines have none
        return False
    return _is_date_only(text) or _signed_parts(text) is not None


def _is_date_only(text: str) -> bool:
    t = text.strip("()（） ")
    for tail in ("印发", "发布", "签发", "制定", "起施行", "起实施"):
        if t.endswith(tail):
            t = t[: -len(tail)].rstrip()
    m = _DATE.fullmatch(t) or _CN_DATE.fullmatch(t)
    return bool(m)


def _looks_like_title(text: str) -> bool:
    if len(text) > 80 or len(text) < 4:
        return False
    if text[-1] in _SENTENCE_END + ",，:":
        return False
    return True


def _is_issuer(text: str) -> bool:
    if len(text) > 30 or any(c in text for c in _SENTENCE_END + ",，:"):
        return False
    return bool(_issuer_re().search(text))


def signature_lines(lines: list[Line]) -> set[int]:
    """Indexes of the 落款: each date line and the issuing offices just above it.
    They are metadata, not text of the last measure."""
    out: set[int] = set()
    for i, ln in enumerate(lines):
        if is_date_line(ln.text):
            out.add(i)
            j = i - 1
            while j >= 0 and i - j <= 3 and _is_issuer(lines[j].text.strip()):
                out.add(j)
                j -= 1
    return out


def find_title(head: list[Line]) -> tuple[str | None, int | None]:
    """The title among the lines before the first heading: one that names a
    document type (方案, 意见 …), preferring the formal "关于…" form; else a short
    first line that is no sentence."""
    doc_type = _doc_type_re()
    cands: list[tuple[int, str, int]] = []
    for i, ln in enumerate(head[:12]):
        t = ln.text
        if not _looks_like_title(t) or _is_issuer(t) or is_date_line(t):
            continue
        if doc_type.search(t):
            cands.append((2 if t.startswith("关于") else 1, t, ln.origin))
        elif i + 1 < len(head) and doc_type.search(head[i + 1].text) and _looks_like_title(head[i + 1].text):
            joined = t + head[i + 1].text
            cands.append((2 if t.startswith("关于") else 1, joined, ln.origin))
    if cands:
        best = max(c[0] for c in cands)
        title, origin = next((c[1], c[2]) for c in cands if c[0] == best)  # the first of the best rank
        # "关于印发《X》的通知": the plan's own title X, where the plan follows the notice
        m = _ISSUING_NOTICE.search(title)
        if m:
            inner = m.group(1).strip("《》")
            for c in cands:
                if c[1] == inner or (c[1].endswith(inner) and c[2] != origin):
                    return c[1], c[2]
        return title, origin
    if head and _looks_like_title(head[0].text) and len(head[0].text) <= 60:
        return head[0].text, head[0].origin
    return None, None


def _issuer_parts(text: str) -> list[str]:
    """The issuing offices a line names: one, or several set apart by spaces on one line
    of a joint document's header ("中共青山县委办公室  青山县人民政府办公室")."""
    parts = text.split()
    if len(parts) >= 2 and all(_is_issuer(p) for p in parts):
        return parts
    return [text] if _is_issuer(text) else []


def find_issuers(head: list[Line], tail: list[Line]) -> list[str]:
    out: list[str] = []
    for ln in head[:8] + tail:
        t = ln.text.strip()
        if _doc_type_re().search(t):
            continue
        for office in _issuer_parts(t):
            if office not in out:
                out.append(office)
    return out


def _placeholder(place: str) -> bool:
    """xx市, X镇, 某县, 我市: a place a template or the text does not name."""
    return any(c in place for c in "xX×*某") or (len(place) <= 3 and place[0] in "我本全该各")


@lru_cache(maxsize=1)
def _place_re():
    lex = _lex()
    suffix = lexicon.alternation(lex["place_suffixes"])
    return re.compile(rf"([\u4e00-\u9fffxX×]{{1,6}}?)({suffix})")


def _level_of(suffix: str) -> str | None:
    return _lex()["level_of_suffix"].get(suffix)


def find_place(text: str) -> tuple[str, str] | None:
    """(place, level) named at the start of a title or an issuing office."""
    lex = _lex()
    t = text
    for p in lex["title_prefixes"]:
        if t.startswith(p):
            t = t[len(p):]
    m = _place_re().match(t)
    if not m:
        return None
    name, suffix = m.group(1), m.group(2)
    if any(w in name for w in lex["not_place_words"]):
        return None
    # "保定市莲池区人民政府办公室": the issuer is the last place of the chain
    while True:
        n = _place_re().match(t, m.end())
        if not n or len(n.group(1)) < 2 or any(w in n.group(1) for w in lex["not_place_words"]):
            break
        if _level_rank(_level_of(n.group(2))) <= _level_rank(_level_of(suffix)):
            break  # a chain only goes down: 省 > 市 > 县 > 镇
        m, name, suffix = n, n.group(1), n.group(2)
    return name + suffix, _level_of(suffix)


def _level_rank(level: str | None) -> int:
    return {"省": 1, "市": 2, "县": 3, "镇": 4}.get(level or "", 0)


def vote_level(text: str) -> str | None:
    """The level of a plan whose place is hidden: 全市/我市/市委 … counted."""
    lex = _lex()
    counts: Counter[str] = Counter()
    for word, level in lex["level_words"].items():
        n = text.count(word)
        if n:
            counts[level] += n
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def extract_meta(lines: list[Line], head_count: int, hints: dict[str, str]) -> DocumentMeta:
    """Metadata from the working lines; ``head_count`` lines precede the first heading."""
    head = lines[:head_count]
    meta = DocumentMeta()
    title, tline = find_title(head)
    if hints.get("title") and not title:
        # a hint (front matter, a page's <title>) only stands in for a title the text
        # lacks: a page's <title> often names the web site, not the plan
        title, tline = hints["title"], None
    meta.title, meta.title_line = title, tline
    # the 落款: offices and a date line near the end of the main text
    date_idx = None
    for i, ln in enumerate(lines):
        if is_date_line(ln.text):
            date_idx = i
            break
    tail = lines[max(0, date_idx - 3):date_idx] if date_idx is not None else []
    meta.issuers = find_issuers([h for h in head if h.text != title], tail)
    if date_idx is not None:
        for office in _signed_parts(lines[date_idx].text) or []:
            if office not in meta.issuers:
                meta.issuers.append(office)
    if hints.get("issuers"):
        meta.issuers = [s for s in re.split(r"[、,，;；\s]+", hints["issuers"]) if s]
    if hints.get("date"):
        meta.date = parse_date(hints["date"])
    elif date_idx is not None:
        meta.date = parse_date(lines[date_idx].text)
    meta.doc_number = hints.get("doc_number") or find_doc_number(head)
    # place and level: the issuing offices, then the title
    place = None
    for s in meta.issuers + ([title] if title else []):
        place = find_place(s)
        if place:
            break
    text = "\n".join(ln.text for ln in lines)
    if place and not _placeholder(place[0]):
        meta.region, meta.level = place
    else:
        meta.level = place[1] if place else vote_level(text)
        meta.region = None
    return meta
