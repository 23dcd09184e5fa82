"""Lint a plan for its drafter: ``govparse check``.

Each check reads the extracted ``Plan`` (measures, units, deadlines, targets,
phases, the section tree) and, where it has it, the plan's working text (the
normalized lines, web-page debris removed) and returns ``Finding`` items, each
with the line it is about.  What a finding says and how severe it is lives in
``data/check_messages.yaml``; this module only decides when a finding applies.

Checks:

* responsibility: a task measure with no lead unit; one unit written two ways
  (市发改委 / 市发展改革委: same canonical key, different names); a member of a
  leading group (成员单位) that leads no task; a person (post + name) in a unit
  list;
* time: a target with no deadline; a deadline before the issue date; a relative
  deadline with no year to resolve it; phases that overlap or leave a gap;
* template leftovers: placeholders (xx, XX, xxx%, X镇, ××, 某某) and 【】 marks;
* numbering of headings: skipped, repeated or out-of-order numbers, a number
  with no 、 or . after it ("3坚持…"), siblings that mix 1、 and 1.
"""
from __future__ import annotations

import datetime as _dt
import os
import re
from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import BinaryIO, Iterable, Sequence

from . import lexicon
from .model import LEAD, Measure, Plan, Section
from .normalize import Line

SEVERITIES = ("error", "warning", "info")
LANGS = ("zh", "en")
# consecutive phases may leave this many days between them before it is a gap
MAX_PHASE_GAP_DAYS = 7
# document text quoted in a message is cut to this many characters
_QUOTE_MAX = 30


@dataclass
class Finding:
    plan: str  # the plan's source path as given
    line: int | None
    severity: str  # error | warning | info
    code: str
    message: str
    measure: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------------------------------------
# messages


@lru_cache(maxsize=1)
def messages() -> dict[str, dict[str, str]]:
    """The finding codes of ``data/check_messages.yaml``: code -> {severity, zh, en}."""
    return lexicon.load("check_messages")


def severity_of(code: str) -> str:
    return messages()[code]["severity"]


def _quote(s: str, limit: int = _QUOTE_MAX) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= limit else s[:limit] + "…"


class _Out:
    """Collects findings of one plan in one language."""

    def __init__(self, plan: Plan, lang: str):
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}")
        self.plan, self.lang = plan, lang
        self.findings: list[Finding] = []

    def add(self, code: str, line: int | None, measure: str | None = None, **fields) -> None:
        spec = messages()[code]
        text = spec[self.lang].format(**fields)
        self.findings.append(Finding(self.plan.source.path, line, spec["severity"], code, text, measure))


# ---------------------------------------------------------------------------------------------
# responsibility


def _need_lead() -> set[str]:
    return set(lexicon.load("section_kinds")["need_lead"])


def _measure_at(plan: Plan, line: int | None) -> Measure | None:
    if line is None:
        return None
    best = None
    for m in plan.measures:
        if m.lines and m.lines[0] <= line <= m.lines[-1]:
            if best is None or (m.lines[-1] - m.lines[0]) <= (best.lines[-1] - best.lines[0]):
                best = m
    return best


def _check_leads(plan: Plan, out: _Out) -> None:
    need = _need_lead()
    for m in plan.measures:
        if m.kind in need and not any(u.role == LEAD for u in m.units):
            out.add("no-lead-unit", m.lines[0] if m.lines else None, m.id, heading=_quote(m.heading))


def _strip_party(name: str) -> str:
    return name[2:] if name.startswith("中共") and len(name) > 2 else name


def _check_spellings(plan: Plan, out: _Out) -> None:
    """One unit written two ways in one plan: equal canonical keys, different names.

    Names must also start alike (same first character, 中共 aside), so 市公安局 and
    县公安局 - two units of two levels with one key - are not taken for spellings.
    """
    from .canon import canonical

    first_seen: dict[str, tuple[int | None, str | None]] = {}
    for m in plan.measures:
        for u in m.units:
            if u.inherited or u.name in first_seen:
                continue
            first_seen[u.name] = (u.line, m.id)
    groups: dict[tuple[str, str], list[str]] = {}
    for name in first_seen:
        key = canonical(name)
        groups.setdefault((key, _strip_party(name)[:1]), []).append(name)
    for names in groups.values():
        if len(names) < 2:
            continue
        names.sort(key=lambda n: (first_seen[n][0] or 0))
        first = names[0]
        for other in names[1:]:
            line, mid = first_seen[other]
            out.add("unit-spelling", line, mid, name=_quote(other), other=_quote(first),
                    other_line=first_seen[first][0] or "?")


_MEMBER_LISTS = (
    # 成员单位:A、B / 成员单位为A、B / 成员单位包括A、B
    re.compile(r"成员单位\s*(?::|为|是|包括|有)\s*([^。;:]{2,300})"),
    # A、B为成员单位 / A、B等为领导小组成员单位
    re.compile(r"([^。;:,]{2,300}?)(?:等单位|等部门|等)?(?:为|是)(?:领导小组|工作领导小组)?成员单位"),
    # 领导小组成员单位:A、B
    re.compile(r"领导小组成员(?:单位)?\s*(?::|为|包括)\s*([^。;:]{2,300})"),
)


def group_members(lines: Sequence[Line]) -> list[tuple[str, int]]:
    """Units named as members of a leading group (成员单位), with their lines.

    Only explicit lists are read: "成员单位:A、B", "A、B为成员单位"; an item must look
    like a unit (ends with 局/委/办/所 …), so persons (镇党委其他班子成员) are left out.
    """
    from .extract.units import is_unit, split_units

    found: list[tuple[str, int]] = []
    for ln in lines:
        if "成员" not in ln.text:
            continue
        for rx in _MEMBER_LISTS:
            for m in rx.finditer(ln.text):
                for name in split_units(m.group(1)):
                    if is_unit(name) and not name.startswith(("各", "有关", "相关")):
                        found.append((name, ln.origin))
    seen, out = set(), []
    for name, line in found:
        if name not in seen:
            seen.add(name)
            out.append((name, line))
    return out


def _leads_something(member: str, leads: Iterable[str]) -> bool:
    from .canon import canonical, unit_matches

    mk = canonical(member)
    for lead in leads:
        if unit_matches(member, lead) or unit_matches(lead, member):
            return True
        lk = canonical(lead)
        # an abbreviation by the first characters: 宣传办 = 宣传科教文卫办
        if len(mk) >= 3 and lk.startswith(mk[:-1]) and lk.endswith(mk[-1]):
            return True
    return False


def _check_group_members(plan: Plan, lines: Sequence[Line], out: _Out) -> None:
    leads = {u.name for m in plan.measures for u in m.units if u.role == LEAD}
    if not leads:
        return  # a plan that names no lead at all says nothing about its members
    for name, line in group_members(lines):
        if not _leads_something(name, leads):
            out.add("group-member-leads-nothing", line, None, name=_quote(name))


# ---------------------------------------------------------------------------------------------
# unit lists written by hand: persons


@lru_cache(maxsize=1)
def _label_re() -> re.Pattern:
    roles = lexicon.load("roles")
    labels = list(roles["labels"])
    return re.compile(r"(?:(?<=^)|(?<=[(\[【\s;,。、]))(" + lexicon.alternation(labels) + r")\s*:")


@lru_cache(maxsize=1)
def _person_re() -> re.Pattern:
    posts = lexicon.load("units")["person_posts"]
    return re.compile("(?:" + lexicon.alternation(posts) + r")([\u4e00-\u9fff]{2,3})$")


_LIST_END = re.compile(r"[)\]】。;]")
# words after a post that are no personal name (县长助理, 主任委员)
_NOT_NAMES = ("助理", "委员", "成员", "单位", "部门", "同志", "负责")


def persons_in_unit_lists(lines: Sequence[Line]) -> list[tuple[str, int]]:
    """Items of labelled unit lists (牵头单位:…) that are a post and a name
    ("镇党委书记华学会"): the extractor drops these, so they are read from the text."""
    from .extract.units import LIST_SEPARATORS

    person = _person_re()
    out = []
    for ln in lines:
        found = list(_label_re().finditer(ln.text))
        for i, m in enumerate(found):
            end = found[i + 1].start() if i + 1 < len(found) else len(ln.text)
            value = ln.text[m.end():end]
            stop = _LIST_END.search(value)
            if stop:
                value = value[: stop.start()]
            for item in re.split("[" + re.escape(LIST_SEPARATORS) + "]", value):
                item = item.strip(" .:\"“”")
                pm = person.search(item)
                if pm and not pm.group(1).endswith(_NOT_NAMES) and not pm.group(1).startswith(_NOT_NAMES):
                    out.append((item, ln.origin))
    return out


def _check_persons(lines: Sequence[Line], plan: Plan, out: _Out) -> None:
    for item, line in persons_in_unit_lists(lines):
        m = _measure_at(plan, line)
        out.add("person-in-unit-list", line, m.id if m else None, item=_quote(item))


# ---------------------------------------------------------------------------------------------
# time


# words that give a target its period or make it a standing requirement: "全年…不少于4次",
# "每年打造1-2个", "持续…严格落实“三个100%”"; looked for in the target's sentence
_PERIODIC = ("每年", "全年", "年度", "每季度", "每半年", "每月", "每周", "常态", "持续", "长期", "始终")
_SENTENCE = re.compile(r"[。;!?]")


def _sentence_of(text: str, part: str) -> str:
    """The sentence of ``text`` that holds ``part`` (``part`` itself when not found)."""
    i = text.find(part)
    if i < 0:
        return part
    starts = [m.end() for m in _SENTENCE.finditer(text, 0, i)]
    start = starts[-1] if starts else 0
    m = _SENTENCE.search(text, i + len(part))
    return text[start: m.start() if m else len(text)]


def _day(s: str | None) -> _dt.date | None:
    if not s:
        return None
    try:
        return _dt.date.fromisoformat(s)
    except ValueError:
        return None


def _check_targets(plan: Plan, lines: Sequence[Line], out: _Out) -> None:
    """Targets of task measures (kinds that need a lead) with no deadline in their measure
    or on their line; a standard (创建标准) or a recurring or standing target is left alone."""
    need = _need_lead()
    text_at = {ln.origin: ln.text for ln in lines}
    lines_with_deadline = {d.line for d in plan.deadlines}
    for m in plan.measures:
        if m.kind not in need or m.deadlines:
            continue
        for t in m.targets:
            if t.line in lines_with_deadline:
                continue
            sentence = _sentence_of(text_at.get(t.line, m.text), t.text)
            if any(w in sentence for w in _PERIODIC):
                continue
            out.add("target-no-deadline", t.line, m.id, target=_quote(t.text))


def _check_deadlines(plan: Plan, out: _Out) -> None:
    issued = _day(plan.document.date)
    for d in plan.deadlines:
        if not d.resolved:
            out.add("unresolved-deadline", d.line, d.measure, deadline=_quote(d.text))
            continue
        day = _day(d.date)
        if issued and day and day < issued:
            out.add("deadline-before-issue", d.line, d.measure, deadline=_quote(d.text), date=d.date,
                    issued=plan.document.date)


def _check_phases(plan: Plan, out: _Out) -> None:
    dated = [p for p in plan.phases if _day(p.start) and _day(p.end)]
    dated.sort(key=lambda p: (_day(p.start), p.line or 0))
    for prev, cur in zip(dated, dated[1:]):
        prev_end, start = _day(prev.end), _day(cur.start)
        if start <= prev_end:
            out.add("phase-overlap", cur.line, None, name=_quote(cur.name), start=cur.start,
                    prev=_quote(prev.name), prev_end=prev.end)
        else:
            days = (start - prev_end).days - 1
            if days > MAX_PHASE_GAP_DAYS:
                out.add("phase-gap", cur.line, None, name=_quote(cur.name), start=cur.start,
                        prev=_quote(prev.name), prev_end=prev.end, days=days)


# ---------------------------------------------------------------------------------------------
# template leftovers

# xx, XX, xxx%, xxxx个, X镇, x市, a lone X between Chinese characters, ××, 某某
_PLACEHOLDER = re.compile(
    r"(?<![A-Za-z0-9])(?:[xX]{2,}|[xX](?=[省市县区镇乡村])|X(?![光射]))(?![A-Za-z0-9])[省市县区镇乡村%]?"
    r"|[×]{2,}[省市县区镇乡村%]?"
    r"|某某[省市县区镇乡村]?"
)
_BRACKET = re.compile(r"【[^【】]{0,40}】|[【】]")


def placeholders(text: str) -> list[str]:
    """The placeholders in one line of text, in order, without repeats."""
    return list(dict.fromkeys(m.group(0) for m in _PLACEHOLDER.finditer(text)))


def _role_labels() -> tuple[str, ...]:
    roles = lexicon.load("roles")
    return tuple(roles["labels"]) + tuple(roles["not_units"])


def _check_template(lines: Sequence[Line], plan: Plan, out: _Out) -> None:
    labels = _role_labels()
    for ln in lines:
        found = placeholders(ln.text)
        if found:
            m = _measure_at(plan, ln.origin)
            out.add("placeholder", ln.origin, m.id if m else None,
                    found="、".join(f"“{f}”" for f in found))
        marks = []
        for bm in _BRACKET.finditer(ln.text):
            inner = bm.group(0).strip("【】")
            if inner.startswith(labels):
                continue  # 【牵头单位:…】 is how some lists are written
            marks.append(bm.group(0))
        if marks:
            m = _measure_at(plan, ln.origin)
            out.add("bracket-mark", ln.origin, m.id if m else None,
                    found="、".join(_quote(x, 20) for x in dict.fromkeys(marks)))


# ---------------------------------------------------------------------------------------------
# numbering


_SEPARATORS = "、.:"


def _numbering(s: Section) -> tuple[str, int, bool, str] | None:
    """(style, value, has separator, separator) of a section's heading number."""
    from .structure import match_heading

    if not s.number:
        return None
    h = match_heading(s.number + (s.title or "X"))
    if not h or h[2] is None:
        return None
    style, written, value, _title, has_sep = h
    sep = next((c for c in reversed(written) if c in _SEPARATORS), "")
    return style, value, has_sep, sep


def _number_label(number: str, style: str, value: int) -> str:
    """How a missing number would be written: 二, (三), 3."""
    from .structure import CIRCLED

    cn = "零一二三四五六七八九十"

    def cn_num(v: int) -> str:
        if v <= 10:
            return cn[v]
        if v < 20:
            return "十" + (cn[v - 10] if v > 10 else "")
        return cn[v // 10] + "十" + (cn[v % 10] if v % 10 else "")

    if style in ("arabic", "paren_arabic"):
        return f"({value})" if style == "paren_arabic" else str(value)
    if style == "circled":
        return CIRCLED[value - 1] if 0 < value <= len(CIRCLED) else str(value)
    if style == "paren_cn":
        return f"({cn_num(value)})"
    if style == "phase":
        return f"第{cn_num(value)}阶段"
    return cn_num(value)


def _check_siblings(children: list[Section], out: _Out, plan: Plan,
                    carried: dict[str, int] | None = None) -> dict[str, int]:
    """Numbering findings among sibling headings; returns the last value of each style,
    so that the next group may continue the count (1, 2 under (一), then 3, 4 under (二))."""
    carried = carried or {}
    by_style: dict[str, list[tuple[Section, int, bool, str]]] = {}
    for s in children:
        n = _numbering(s)
        if n:
            by_style.setdefault(n[0], []).append((s, n[1], n[2], n[3]))
    for style, items in by_style.items():
        prev = None
        for s, value, has_sep, sep in items:
            line = s.lines[0] if s.lines else None
            m = _measure_at(plan, line)
            mid = m.id if m else None
            if prev is None:
                if value > 1 and carried.get(style) != value - 1:
                    missing = "、".join(_number_label(s.number, style, v) for v in range(1, min(value, 6)))
                    out.add("numbering-skip", line, mid, number=s.number, missing=missing)
            else:
                p, pv = prev
                if value == pv:
                    out.add("numbering-repeat", line, mid, number=s.number,
                            other_line=p.lines[0] if p.lines else "?")
                elif value < pv:
                    out.add("numbering-order", line, mid, number=s.number, prev=p.number)
                elif value > pv + 1:
                    missing = "、".join(_number_label(s.number, style, v) for v in range(pv + 1, min(value, pv + 6)))
                    out.add("numbering-skip", line, mid, number=s.number, missing=missing)
            prev = (s, value)
        seps = Counter(sep for _, _, has_sep, sep in items if has_sep and sep)
        common = seps.most_common(1)[0][0] if seps else ("." if style == "arabic" else "、")
        for s, value, has_sep, sep in items:
            line = s.lines[0] if s.lines else None
            m = _measure_at(plan, line)
            if not has_sep:
                out.add("numbering-no-separator", line, m.id if m else None, number=s.number, expected=common)
            elif len(seps) > 1 and sep != common:
                out.add("numbering-mixed-separator", line, m.id if m else None, number=s.number, expected=common)
    last = {style: items[-1][1] for style, items in by_style.items()}
    cousins: dict[str, int] = {}
    for s in children:
        cousins.update(_check_siblings(s.children, out, plan, cousins))
    return last


# ---------------------------------------------------------------------------------------------
# entry points


def check_plan(plan: Plan, lines: Sequence[Line] | None = None, lang: str = "zh") -> list[Finding]:
    """Every finding of one plan, in line order.

    ``lines`` are the plan's working lines (``normalize_lines`` of its source);
    without them the text checks read the measures' own texts and say so.
    """
    out = _Out(plan, lang)
    if lines is None:
        lines = [Line(m.heading + "。" + m.text, m.lines[0]) for m in plan.measures if m.lines]
        out.add("source-text-unavailable", None, None, path=plan.source.path)
    else:
        _check_group_members(plan, lines, out)
        _check_persons(lines, plan, out)
    _check_leads(plan, out)
    _check_spellings(plan, out)
    _check_targets(plan, lines, out)
    _check_deadlines(plan, out)
    _check_phases(plan, out)
    _check_template(lines, plan, out)
    _check_siblings(plan.sections, out, plan)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(out.findings, key=lambda f: (f.line or 0, order[f.severity], f.code))


def _working_lines(src) -> list[Line]:
    from .normalize import normalize_lines

    return normalize_lines(src.lines, src.origins).lines


def check_source(src, lang: str = "zh") -> tuple[Plan, list[Finding]]:
    """Extract and check a plan read by ``govparse.read`` (a ``SourceText``)."""
    from .build import build_plan

    plan = build_plan(src)
    return plan, check_plan(plan, _working_lines(src), lang)


def _source_lines_for(plan: Plan) -> list[Line] | None:
    """The working lines of the document a YAML/JSON plan was extracted from, when that
    file is still there unchanged (same sha256)."""
    from .errors import GovparseError
    from .read import read_source

    path = plan.source.path
    if not path or path == "-" or not os.path.isfile(path):
        return None
    try:
        src = read_source(path)
    except GovparseError:
        return None
    if plan.source.sha256 and src.sha256 != plan.source.sha256:
        return None
    return _working_lines(src)


def check_path(path: str | os.PathLike, *, lang: str = "zh",
               stdin: BinaryIO | None = None) -> list[tuple[Plan, list[Finding]]]:
    """Check every plan of ``path``: a document (txt, docx, html, - for stdin) or a
    YAML/JSON file of ``govparse extract`` (its source is re-read when still there).
    Raises ``GovparseError`` for a file that cannot be read."""
    from .planio import is_structured, load_plans
    from .read import read_source

    name = os.fsdecode(path)
    if is_structured(name):
        return [(p, check_plan(p, _source_lines_for(p), lang)) for p in load_plans(name)]
    src = read_source(name, stdin=stdin) if name == "-" else read_source(name)
    return [check_source(src, lang)]


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    c = Counter(f.severity for f in findings)
    return {s: c.get(s, 0) for s in SEVERITIES}


def failed(findings: Iterable[Finding], strict: bool = False) -> bool:
    """Does a check fail: any error, or with ``strict`` any warning too."""
    bad = ("error", "warning") if strict else ("error",)
    return any(f.severity in bad for f in findings)
