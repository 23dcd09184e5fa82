"""Deadlines: "2019年底前", "6月底前", "年内", "2019年6月15日至6月底", "为期三年".

``find_deadlines`` reads one line and returns ``RawDeadline`` items with the parts
of the time they name; ``resolve`` turns those parts into ISO dates once the
plan's base year is known.  A relative time with no base year stays unresolved
(never guessed from today's date).

The patterns are written by hand: dateparser and its kin parse whole date strings
but do not find deadlines inside running Chinese text, tell a limit ("6月底前")
from a baseline ("在2018年基础上") or a frequency ("每季度"), or keep a span.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicon
from ..model import Deadline
from ..structure import cn_number

_N_CN = "一二三四五六七八九十"
_N = rf"(?:\d{{1,2}}|[{_N_CN}]{{1,3}})"  # a month or day number
_Y = r"(民[国國]\s*\d{2,3}|\d{4})"  # a year: 2019, or a ROC year with its era (民国111 = 2022)
# in a document that counts years from 1912 (Taiwan): a bare 3-digit year 100..150 as well
_Y_ROC = r"(民[国國]\s*\d{2,3}|\d{4}|(?<!\d)1[0-4]\d(?!\d)|(?<!\d)150(?!\d))"
ROC_OFFSET = 1911  # 民国1年 = 1912
_YEARS = {False: _Y, True: _Y_ROC}
_ROC_ERA = re.compile(r"民[国國]\s*\d{2,3}\s*年")
_ROC_BARE = re.compile(r"(?<!\d)(?:1[0-4]\d|150)(?=\s*年)")
_AD_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?=\s*年)")


def uses_roc_years(text: str) -> bool:
    """Does the document count years from the Republic (Taiwan: 111年 = 2022)?  Yes when it
    writes 民国/民國 before a year and has a bare 3-digit year, or when two or more years
    are written with three digits (100..150) and none with four."""
    bare = len(_ROC_BARE.findall(text))
    if not bare:
        return False
    return bool(_ROC_ERA.search(text)) or (bare >= 2 and not _AD_YEAR.search(text))


def _year(s: str | None) -> int | None:
    """The year a matched year group names: "2019" -> 2019, "民国111" or (ROC) "111" -> 2022."""
    if not s:
        return None
    y = int(s.lstrip("民国國 \t"))
    return y + ROC_OFFSET if y < 1000 else y


@dataclass
class RawDeadline:
    text: str
    start_pos: int
    end_pos: int
    kind: str  # by | range | duration | ongoing
    year: int | None = None  # absolute year, None when relative
    month: int | None = None
    day: int | str | None = None  # a day, or "上旬"/"中旬"/"下旬"
    rel_year: int = 0  # for relative times: 0 = base year, 1 = next year
    start: tuple[int | None, int, int] | None = None  # (year, month, day) of a range
    quarter: int | None = None
    half: int | None = None


def _num(s: str | None) -> int | None:
    return cn_number(s) if s else None


# Characters and words that a pattern below needs and a pre-check in _NEEDS looks for
_SPAN_SIGNS = "至到-—–~～－"  # between the two ends of a span
_DONE_WORDS = ("前", "以前", "之前", "完成", "建成", "实现", "基本完成", "全面完成", "全部完成")  # after 于 + date
_COUNT_CN = "一二三四五六七八九十两半"  # the Chinese numerals of a duration


@lru_cache(maxsize=2)
def _sources(roc: bool = False) -> dict[str, str]:
    """The text of every pattern, by name, in the order ``find_deadlines`` tries them."""
    _Y = _YEARS[roc]  # the year group of every pattern below
    d = lexicon.load("deadlines")
    before = "(?:" + lexicon.alternation(d["before"]) + ")"
    keep = "(?:" + lexicon.alternation(d["keep_prefix"]) + ")"
    dur_pre = "(?:" + lexicon.alternation(d["duration_prefix"]) + ")"
    rel = "(" + lexicon.alternation(list(d["relative_years"])) + ")"  # 今年, 明年, 次年 …
    rel_starts = "".join(sorted({w[0] for w in d["relative_years"]}))
    # between the ends of a span, maybe after 起: "6月1日起至12月底", "2019年起至2021年"
    sep = r"\s*(?:起\s*)?(?:" + "|".join(_SPAN_SIGNS) + r")\s*"
    done = "|".join(_DONE_WORDS)
    count = rf"(\d{{1,3}}|[{_COUNT_CN}]{{1,3}})"
    p = {}
    # 2019年6月15日至6月底 / 2019年7月1日-10月31日 / 6月15日至30日
    p["range_day"] = (
        rf"(?:{_Y}年)?({_N})月({_N})日{sep}(?:{_Y}年)?(?:({_N})月)?(?:({_N})日|(底|末|上旬|中旬|下旬))")
    # 2019年6月至12月(底)
    p["range_month"] = rf"{_Y}年({_N})月(?:份)?{sep}(?:{_Y}年)?({_N})月(?:份)?(底|末)?"
    # 2019年至2021年 / 2019-2021年
    p["range_year"] = rf"{_Y}\s*年?{sep}{_Y}\s*年(?!\d|[一二三四五六七八九十]{{0,2}}月)"
    # 2019年12月31日前
    p["date_by"] = rf"({keep})?{_Y}年({_N})月({_N})日\s*{before}"
    # 于2021年6月30日完成 / 在2021年6月30日建成: a full date after 于/在/到 is a limit
    p["date_at"] = rf"(?:于|在|到|至)({_Y}年({_N})月({_N})日)(?=\s*(?:{done}))"
    # 2019年6月底前 / 2020年12月前 / 2019年6月
    p["month_abs"] = rf"({keep})?{_Y}年({_N})月(底|末|上旬|中旬|下旬)?({before})?(?!{_N}日|\d)"
    # 2019年底前 / 到2022年 / 2020年上半年 / 2019年一季度
    p["year_abs"] = rf"({keep})?{_Y}\s*年(年底|年末|底|末|上半年|下半年|内|第?[一二三四1-4]季度)?({before})?"
    # 6月底前 / 11月底 / 6月30日前
    p["month_rel"] = rf"({keep})?{rel}?({_N})月(?:({_N})日\s*{before}|(底|末|上旬|中旬|下旬)({before})?|{before})"
    # 年底前 / 到年底 / 年内 / 今年 / 上半年 / 一季度 / 明年底
    # the lookahead keeps this all-optional pattern from matching empty at every position
    p["year_rel"] = (
        rf"(?=[{rel_starts}年上下第一二三四底内到至])({keep})?{rel}?(年底|年末|年内|上半年|下半年|第?[一二三四]季度|底|内)?({before})?")
    # 自即日起至2020年12月31日: the end of a span that starts now is a limit
    p["until_date"] = rf"起\s*(?:至|到)\s*({_Y}年({_N})月({_N})日)"
    # 国庆节前 / 2020年国庆节前 / 到元旦前
    hol = "(" + lexicon.alternation(list(d["holidays"])) + ")"
    p["holiday"] = rf"({keep})?(?:{_Y}\s*年)?{hol}\s*{before}"
    # 利用一年左右时间 / 为期三年 / 三年内 / 两个月内
    p["duration"] = (
        rf"{dur_pre}\s*{count}\s*个?\s*(年|月|周|天|日)(?:左右|多)?(?:的?时间)?"
        rf"|{count}\s*个?\s*(年|月)(?:内|之内)")
    return p


@lru_cache(maxsize=None)
def _pattern(name: str, roc: bool = False) -> re.Pattern:
    return re.compile(_sources(roc)[name])


def _patterns(roc: bool = False):
    """Every pattern, compiled, by name (with the lexicon), for a caller that wants them
    all (the robustness tests try each on hostile input); ``find_deadlines`` compiles
    a pattern only once a line could hold its match."""
    return {name: _pattern(name, roc) for name in _sources(roc)}, lexicon.load("deadlines")


# Compiling the patterns is most of what a one-plan run spends on deadlines (Python's
# re builds a 64K-entry table for each class of Chinese numerals, and every pattern
# repeats them), and a pattern that fails still costs a scan of the line.  So a pattern
# is compiled and run on a line only when str methods find there something it cannot
# match without: a necessary condition, never a sufficient one, so what is found stays
# the same.  The whitespace skipped is what \s matches (str.isspace), a digit what \d
# matches (str.isdecimal).


def _space_before(text: str, j: int) -> int:
    """Where the whitespace that ends at ``j`` begins."""
    while j > 0 and text[j - 1].isspace():
        j -= 1
    return j


def _followed_by(text: str, word: str, chars: str = "", digits: bool = False) -> bool:
    """Does ``word`` stand in ``text`` followed, whitespace aside, by one of ``chars`` or
    (``digits``) by a digit?"""
    i = text.find(word)
    while i >= 0:
        j = i + len(word)
        while j < len(text) and text[j].isspace():
            j += 1
        if j < len(text) and (text[j] in chars or digits and text[j].isdecimal()):
            return True
        i = text.find(word, i + 1)
    return False


def _after_digit(text: str, word: str) -> bool:
    """Does ``word`` stand in ``text`` right after a digit, whitespace aside ("2019 年")?"""
    i = text.find(word)
    while i >= 0:
        j = _space_before(text, i)
        if j > 0 and text[j - 1].isdecimal():
            return True
        i = text.find(word, i + 1)
    return False


def _year_then_span(text: str) -> bool:
    """A span sign after a year, whitespace aside: after 年, or after two digits (every
    form of year has two or more): "2019年至", "2019 -", but not "2-3个"."""
    for sign in _SPAN_SIGNS:
        i = text.find(sign)
        while i >= 0:
            j = _space_before(text, i)
            if j > 0 and text[j - 1] == "起":  # "2019年起至…"
                j = _space_before(text, j - 1)
            if j > 0 and text[j - 1] == "年" or j > 1 and text[j - 1].isdecimal() and text[j - 2].isdecimal():
                return True
            i = text.find(sign, i + 1)
    return False


def _duration_possible(text: str) -> bool:
    """利用/为期… then a number, or a number, 个, then 年内/月内/年之内/月之内."""
    for end in ("年内", "月内", "年之内", "月之内"):
        i = text.find(end)
        while i >= 0:
            j = _space_before(text, i)
            if j > 0 and text[j - 1] == "个":
                j = _space_before(text, j - 1)
            if j > 0 and (text[j - 1].isdecimal() or text[j - 1] in _COUNT_CN):
                return True
            i = text.find(end, i + 1)
    return any(_followed_by(text, w, _COUNT_CN, digits=True) for w in lexicon.load("deadlines")["duration_prefix"])


@lru_cache(maxsize=1)
def _not_after_year() -> tuple[str, ...]:
    """Words that make a year before them no limit: a baseline, a name, a holiday
    ("2021年春节前" is no limit of the whole year 2021)."""
    d = lexicon.load("deadlines")
    return (*d["not_after_year"], *d["holidays"], *d["moving_holidays"])


@lru_cache(maxsize=1)
def _holiday_names() -> tuple[str, ...]:
    return tuple(lexicon.load("deadlines")["holidays"])


def _holiday_named(text: str) -> bool:
    return any(map(text.__contains__, _holiday_names()))  # (map: no Python frame per name)


def _day_before(year: int | None, month: int, day: int) -> tuple[int | None, int, int | str, int]:
    """(year, month, day, rel_year) of the day before month/day: the limit "…节前" sets."""
    if day > 1:
        return year, month, day - 1, 0
    if month > 1:
        return year, month - 1, "底", 0
    # 元旦前: the last day of the year before "2021年元旦"; with no year, the coming 元旦,
    # so the last day of the plan's own year
    return (year - 1 if year else None), 12, 31, 0


def _before_words() -> str:
    """The first characters of the lexicon's "before" words (前, 之前, 以前)."""
    return "".join(w[0] for w in lexicon.load("deadlines")["before"])


_NEEDS = {
    "range_day": lambda t: _followed_by(t, "日", _SPAN_SIGNS + "起"),  # 15日至…, 1日起至…
    "range_month": lambda t: _followed_by(t, "月", _SPAN_SIGNS + "起") or _followed_by(t, "月份", _SPAN_SIGNS + "起"),
    "until_date": lambda t: "起" in t and "日" in t,
    "range_year": lambda t: "年" in t and _year_then_span(t),
    "date_by": lambda t: _followed_by(t, "日", _before_words()),  # 31日前, 31日之前
    "date_at": lambda t: _followed_by(t, "日", "".join(w[0] for w in _DONE_WORDS)),  # 30日完成
    "month_abs": lambda t: "月" in t and _followed_by(t, "年", _N_CN, digits=True),  # 年6月, 年六月
    "year_abs": lambda t: _after_digit(t, "年"),
    # 6月15日前, 6月底, 6月上旬, 6月前
    "month_rel": lambda t: _followed_by(t, "月", _N_CN + "底末上中下" + _before_words(), digits=True),
    # a match is kept only for 今年/明年/本年/当年, a part of the year (年底, 上半年, 内,
    # 底) or a quarter (季度)
    "year_rel": lambda t: "年" in t or "季" in t or "底" in t or "内" in t,
    "duration": _duration_possible,
    "holiday": lambda t: _holiday_named(t),
}


def _find(name: str, text: str, roc: bool):
    """The matches of one pattern in ``text``: none, without compiling it, for a line that
    cannot hold one."""
    if not _NEEDS[name](text):
        return ()
    return _pattern(name, roc).finditer(text)


def _quarter(s: str | None) -> int | None:
    if not s or "季度" not in s:
        return None
    ch = s.replace("第", "").replace("季度", "")
    return _num(ch)


def _title_mark_depths(text: str) -> list[int] | None:
    """Depth of 《…》 nesting before each position (a document's name holds years that
    are not limits); None when the text has no 《.  One pass, so lookups stay O(1)."""
    if "《" not in text:
        return None
    depths, depth = [], 0
    for c in text:
        depths.append(depth)
        if c == "《":
            depth += 1
        elif c == "》" and depth:
            depth -= 1
    depths.append(depth)
    return depths


def find_deadlines(text: str, roc: bool = False) -> list[RawDeadline]:
    """Every time limit in one line of text, left to right, not overlapping.  ``roc``: the
    document counts years from 1912 (``uses_roc_years``), so "111年4月" is April 2022."""
    if not ("年" in text or "月" in text or "季" in text or "期" in text or "内" in text
            or _holiday_named(text)):
        return []  # (the usual line; a chain of "in" is several times quicker than any() over them)
    d = lexicon.load("deadlines")
    found: list[RawDeadline] = []
    taken = [False] * (len(text) + 1)

    def free(a: int, b: int) -> bool:
        return not any(taken[a:b])

    def take(item: RawDeadline) -> None:
        for i in range(item.start_pos, item.end_pos):
            taken[i] = True
        found.append(item)

    def preceded_by(pos: int, words: list[str]) -> bool:
        return any(text[max(0, pos - len(w)):pos] == w for w in words)

    marks: list[int] | None = None  # counted on first use: most lines never ask

    def _inside_title_marks(_text: str, pos: int) -> bool:
        nonlocal marks
        if marks is None:
            marks = _title_mark_depths(text) or []
        return bool(marks and marks[pos] > 0)

    for m in _find("range_day", text, roc):
        y1, m1, d1, y2, m2, d2, part = m.groups()
        if not free(m.start(), m.end()):
            continue
        y1i = _year(y1)
        take(RawDeadline(m.group(0), m.start(), m.end(), "range", year=_year(y2) if y2 else y1i,
                         month=_num(m2) or _num(m1), day=_num(d2) if d2 else (part or "底"),
                         start=(y1i, _num(m1), _num(d1))))
    for m in _find("range_month", text, roc):
        if not free(m.start(), m.end()):
            continue
        y1, m1, y2, m2, _ = m.groups()
        take(RawDeadline(m.group(0), m.start(), m.end(), "range", year=_year(y2 or y1), month=_num(m2),
                         day="底", start=(_year(y1), _num(m1), 1)))
    for m in _find("range_year", text, roc):
        if not free(m.start(), m.end()) or _inside_title_marks(text, m.start()):
            continue
        y1, y2 = _year(m.group(1)), _year(m.group(2))
        if 1949 < y1 < y2 < 2200:
            take(RawDeadline(m.group(0), m.start(), m.end(), "range", year=y2, start=(y1, 1, 1)))
    for m in _find("date_by", text, roc):
        if not free(m.start(), m.end()):
            continue
        keep, y, mo, dd = m.groups()
        s = m.start() if keep else m.start(2)
        take(RawDeadline(text[s:m.end()], s, m.end(), "by", year=_year(y), month=_num(mo), day=_num(dd)))
    for m in _find("date_at", text, roc):
        if not free(m.start(1), m.end(1)):
            continue
        _, y, mo, dd = m.groups()
        take(RawDeadline(m.group(1), m.start(1), m.end(1), "by", year=_year(y), month=_num(mo), day=_num(dd)))
    for m in _find("until_date", text, roc):
        if not free(m.start(1), m.end(1)):
            continue
        _, y, mo, dd = m.groups()
        take(RawDeadline(m.group(1), m.start(1), m.end(1), "by", year=_year(y), month=_num(mo), day=_num(dd)))
    for m in _find("month_abs", text, roc):
        keep, y, mo, part, _ = m.groups()
        if not free(m.start(2), m.end()) or _inside_title_marks(text, m.start()):
            continue
        if preceded_by(m.start(2), d["not_before_year"]):
            continue
        s = m.start() if keep else m.start(2)
        month = _num(mo)
        if not month or month > 12:
            continue
        take(RawDeadline(text[s:m.end()], s, m.end(), "by", year=_year(y), month=month, day=part or "底"))
    for m in _find("holiday", text, roc):
        keep, y, name, = m.groups()
        s = m.start() if keep else (m.start(2) if y else m.start(3))
        if not free(s, m.end()) or (s > 0 and text[s - 1] in d["frequency_markers"]) or text[:s].endswith("每年"):
            continue  # 每年国庆节前: every year, a frequency
        year, month, day, rel = _day_before(_year(y), *d["holidays"][name])
        take(RawDeadline(text[s:m.end()], s, m.end(), "by", year=year, month=month, day=day, rel_year=rel))
    not_after_year = _not_after_year()
    for m in _find("year_abs", text, roc):
        keep, y, part, _ = m.groups()
        s = m.start() if keep else m.start(2)
        if not free(s, m.end()) or _inside_title_marks(text, s):
            continue
        rest = text[m.end():m.end() + 4]
        if not part and rest.startswith(not_after_year):
            continue
        if preceded_by(m.start(2), d["not_before_year"]) or preceded_by(m.start(2), ["第"]):
            continue
        if rest[:1].isdigit() or rest.startswith("月"):
            continue
        year = _year(y)
        if not 1949 < year < 2200:
            continue
        item = RawDeadline(text[s:m.end()], s, m.end(), "by", year=year)
        if part:
            if "半年" in part:
                item.half = 1 if part.startswith("上") else 2
            elif "季度" in part:
                item.quarter = _quarter(part) if not part[-3].isdigit() else int(part[-3])
        take(item)
    for m in _find("month_rel", text, roc):
        keep, which, mo, dd, part, _ = m.groups()
        s = m.start() if keep else (m.start(2) if which else m.start(3))
        if not free(s, m.end()):
            continue
        if s > 0 and (text[s - 1].isdigit() or text[s - 1] in "年个每"):
            continue
        month = _num(mo)
        if not month or month > 12:
            continue
        take(RawDeadline(text[s:m.end()], s, m.end(), "by", month=month,
                         day=_num(dd) if dd else (part or "底"), rel_year=d["relative_years"].get(which, 0)))
    for m in _find("year_rel", text, roc):
        keep, which, part, before = m.groups()
        if not (which or part):
            continue
        if not which and part in ("底", "内"):
            continue  # a bare 底/内 is no time
        if which and not part and not before and which not in d["relative_years_alone"]:
            continue
        s = m.start() if keep else (m.start(2) if which else m.start(3))
        if not free(s, m.end()):
            continue
        prev = text[s - 1] if s > 0 else ""
        if prev and (prev in d["frequency_markers"] or prev.isdigit() or prev in "年一二三四五六七八九十两半全"):
            continue
        item = RawDeadline(text[s:m.end()], s, m.end(), "by", rel_year=d["relative_years"].get(which, 0))
        if part and "半年" in part:
            item.half = 1 if part.startswith("上") else 2
        elif part and "季度" in part:
            item.quarter = _quarter(part)
        take(item)
    for m in _find("duration", text, roc):
        if not free(m.start(), m.end()):
            continue
        if m.start() > 0 and text[m.start() - 1] in d["frequency_markers"] + ["近", "前", "过去", "已"]:
            continue
        take(RawDeadline(m.group(0), m.start(), m.end(), "duration"))
    found.sort(key=lambda r: r.start_pos)
    return found


@lru_cache(maxsize=1)
def _ongoing_words() -> tuple[dict, list[str]]:
    d = lexicon.load("deadlines")  # the words only: no need to compile _patterns for them
    return d, sorted(d["ongoing"], key=len, reverse=True)


def find_ongoing(text: str) -> list[RawDeadline]:
    """No-date limits, read only where the text gives a time field: 完成时限:长期坚持,
    or a bracket at the end of a task "(持续推进)"."""
    d, words = _ongoing_words()
    out = []
    starts = set()
    for label in d["time_labels"] if ":" in text else ():  # (a time field is a label and ':')
        i = text.find(label + ":")
        if i >= 0:
            j = i + len(label) + 1
            for w in words:
                if text.startswith(w, j) and j not in starts:
                    starts.add(j)
                    out.append(RawDeadline(w, j, j + len(w), "ongoing"))
                    break
    stripped = text.rstrip("。.")
    if stripped.endswith(")") and "(" in stripped:
        inner = stripped[stripped.rfind("(") + 1:-1]
        if inner in words:
            k = stripped.rfind("(") + 1
            out.append(RawDeadline(inner, k, k + len(inner), "ongoing"))
    return out


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _day_of(year: int, month: int, day: int | str | None) -> int:
    if isinstance(day, int):
        return min(day, _last_day(year, month))
    return {"上旬": 10, "中旬": 20}.get(day or "底", _last_day(year, month))


def resolve(raw: RawDeadline, base_year: int | None, line: int | None = None) -> Deadline:
    """A ``Deadline`` with ISO dates, resolved against ``base_year`` where relative."""
    if raw.kind in ("duration", "ongoing"):
        return Deadline(raw.text, None, None, raw.kind, line)
    year = raw.year
    if year is None:
        if base_year is None:
            return Deadline(raw.text, None, None, raw.kind, line, resolved=False)
        year = base_year + raw.rel_year
    try:
        if raw.month:
            end = f"{year:04d}-{raw.month:02d}-{_day_of(year, raw.month, raw.day):02d}"
        elif raw.quarter:
            q = raw.quarter * 3
            end = f"{year:04d}-{q:02d}-{_last_day(year, q):02d}"
        elif raw.half:
            end = f"{year:04d}-06-30" if raw.half == 1 else f"{year:04d}-12-31"
        else:
            end = f"{year:04d}-12-31"
        start = None
        if raw.start:
            sy, sm, sd = raw.start
            sy = sy or year
            start = f"{sy:04d}-{sm:02d}-{min(sd, _last_day(sy, sm)):02d}" if sm and sd else None
    except (ValueError, TypeError):
        return Deadline(raw.text, None, None, raw.kind, line, resolved=False)
    return Deadline(raw.text, end, start, raw.kind, line)
