"""The responsibility list of plans: one row per measure (a 任务分工表), one row per
(unit, measure) (each unit's own list), unit counts, and the filters of ``query``.

Pure functions over ``Plan`` objects.  A row is a list of cells: ``str``, ``int``
(序号) or ``datetime.date`` (完成时限, ``None`` when the measure has no resolved
date); the writers in ``writers.table`` turn them into CSV, XLSX or Markdown.
"""
from __future__ import annotations

import datetime as _dt
import os
from typing import Iterable, Sequence

from .errors import UsageError
from .model import LEAD, SUPPORT, Measure, Plan, Target

LANGS = ("zh", "en")
MEASURE_HEADERS = {
    "zh": ["序号", "章节", "任务", "牵头单位", "配合单位", "完成时限", "时限原文", "目标", "出处"],
    "en": ["No", "Section", "Task", "Lead", "Support", "Deadline", "Deadline text", "Targets", "Source"],
}
UNIT_HEADERS = {
    "zh": ["单位", "角色", "任务", "完成时限", "目标", "出处"],
    "en": ["Unit", "Role", "Task", "Deadline", "Targets", "Source"],
}
# the extra first column of a multi-plan table ("Source" is taken by 出处 in English)
PLAN_HEADER = {"zh": "来源", "en": "Plan"}
ROLE_NAMES = {"zh": {LEAD: "牵头", SUPPORT: "配合"}, "en": {LEAD: "lead", SUPPORT: "support"}}
UNIT_COUNT_HEADERS = {"zh": ["单位", "规范名称", "牵头", "配合"], "en": ["Unit", "Canonical", "Lead", "Support"]}
JOIN = "、"
TARGET_JOIN = "；"
SECTION_JOIN = " / "
# words by which a measure says it is already done (then it is never overdue)
COMPLETED = ("已完成", "已经完成", "全面完成了")

Match = tuple[Plan, Measure]


# ---------------------------------------------------------------------------------------------
# cells


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def source_name(plan: Plan) -> str:
    """The plan's file name without folders (``baoding.txt``; ``stdin`` for -)."""
    if plan.source.path == "-":
        return "stdin"
    return os.path.basename(plan.source.path.replace("\\", "/")) or plan.source.path


def where(plan: Plan, m: Measure) -> str:
    """出处: ``baoding.txt:32-33`` (or ``:32`` for one line; ``plan.pdf:p3:17`` for a PDF)."""
    lines = [n for n in m.lines if n is not None]
    if not lines:
        return source_name(plan)
    a, b = min(lines), max(lines)
    pages = getattr(plan.source, "pages", None)
    if pages:  # a PDF: page and line, "plan.pdf:p3:17-p3:19"
        from .pdf import cite

        first, last = cite(a, pages), cite(b, pages)
    else:
        first, last = str(a), str(b)
    return f"{source_name(plan)}:{first}" if a == b else f"{source_name(plan)}:{first}-{last}"


def due_date(m: Measure) -> _dt.date | None:
    """完成时限: the latest resolved date among the measure's deadlines."""
    days = resolved_dates(m)
    return max(days) if days else None


def resolved_dates(m: Measure) -> list[_dt.date]:
    out = []
    for d in m.deadlines:
        if d.date and d.resolved:
            try:
                out.append(_dt.date.fromisoformat(d.date))
            except ValueError:
                continue
    return out


def deadline_texts(m: Measure) -> str:
    return JOIN.join(_unique(d.text for d in m.deadlines))


def _number(v) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)


def target_text(t: Target) -> str:
    """``调解成功率 >= 90%``: metric, op, value and unit (xx for a placeholder)."""
    if t.value is None:
        value = "xx"
    elif isinstance(t.value, (list, tuple)):
        value = "-".join(_number(v) for v in t.value)
    else:
        value = _number(t.value)
    return f"{t.metric} {t.op} {value}{t.unit or ''}".strip()


def targets_text(m: Measure) -> str:
    return TARGET_JOIN.join(_unique(target_text(t) for t in m.targets))


def leads(m: Measure) -> list[str]:
    return _unique(u.name for u in m.units if u.role == LEAD)


def supports(m: Measure) -> list[str]:
    return _unique(u.name for u in m.units if u.role != LEAD)


def _lang(lang: str) -> str:
    if lang not in LANGS:
        raise UsageError(f"unknown language {lang!r} (choose from {', '.join(LANGS)})")
    return lang


# ---------------------------------------------------------------------------------------------
# rows


def all_measures(plans: Sequence[Plan]) -> list[Match]:
    return [(p, m) for p in plans for m in p.measures]


def measure_rows(plans: Sequence[Plan], lang: str = "zh", *, matches: Sequence[Match] | None = None,
                 plan_column: bool | None = None) -> tuple[list[str], list[list]]:
    """One row per measure, the shape of a 任务分工表: 序号 (the measure's place in its
    plan), 章节, 任务, 牵头单位, 配合单位, 完成时限, 时限原文, 目标, 出处.

    ``matches`` limits the rows to those (plan, measure) pairs; ``plan_column`` (default:
    more than one plan) puts the plan's file name first, under 来源.
    """
    headers = list(MEASURE_HEADERS[_lang(lang)])
    multi = len(plans) > 1 if plan_column is None else plan_column
    if multi:
        headers.insert(0, PLAN_HEADER[lang])
    index = {id(m): i for p in plans for i, m in enumerate(p.measures, start=1)}
    rows = []
    for plan, m in (all_measures(plans) if matches is None else matches):
        row = [index.get(id(m), 0), SECTION_JOIN.join(m.section), m.heading, JOIN.join(leads(m)),
               JOIN.join(supports(m)), due_date(m), deadline_texts(m), targets_text(m), where(plan, m)]
        rows.append(([source_name(plan)] if multi else []) + row)
    return headers, rows


def unit_rows(plans: Sequence[Plan], lang: str = "zh", aliases: dict | None = None, *,
              plan_column: bool | None = None) -> tuple[list[str], list[list]]:
    """One row per (unit, measure): 单位, 角色, 任务, 完成时限, 目标, 出处 — each unit's own
    list, sorted by unit (canonical name, then as written), then deadline (none last)."""
    from .canon import canonical

    headers = list(UNIT_HEADERS[_lang(lang)])
    multi = len(plans) > 1 if plan_column is None else plan_column
    if multi:
        headers.insert(0, PLAN_HEADER[lang])
    keyed = []
    order = 0
    for plan in plans:
        for m in plan.measures:
            due = due_date(m)
            for role, names in ((LEAD, leads(m)), (SUPPORT, supports(m))):
                for name in names:
                    row = [name, ROLE_NAMES[lang][role], m.heading, due, targets_text(m), where(plan, m)]
                    key = (canonical(name, aliases), name, due is None, due or _dt.date.max, order)
                    keyed.append((key, ([source_name(plan)] if multi else []) + row))
                    order += 1
    keyed.sort(key=lambda kr: kr[0])
    return headers, [r for _, r in keyed]


def unit_counts(plans: Sequence[Plan], aliases: dict | None = None) -> list[dict]:
    """Every unit as written, its canonical name and how many measures it leads and
    supports; busiest first (lead count, then support count, then name)."""
    from .canon import canonical

    counts: dict[str, dict] = {}
    for plan in plans:
        for m in plan.measures:
            for role, names in ((LEAD, leads(m)), (SUPPORT, supports(m))):
                for name in names:
                    c = counts.setdefault(name, {"unit": name, "canonical": canonical(name, aliases),
                                                 LEAD: 0, SUPPORT: 0})
                    c[role] += 1
    return sorted(counts.values(), key=lambda c: (-c[LEAD], -c[SUPPORT], c["unit"]))


def unit_count_rows(counts: Sequence[dict], lang: str = "zh") -> tuple[list[str], list[list]]:
    return (list(UNIT_COUNT_HEADERS[_lang(lang)]),
            [[c["unit"], c["canonical"], c[LEAD], c[SUPPORT]] for c in counts])


def rows_as_dicts(headers: Sequence[str], rows: Sequence[Sequence]) -> list[dict]:
    """Rows keyed by header, dates as ISO text, no date as null (for JSON/YAML)."""
    return [{h: (v.isoformat() if isinstance(v, _dt.date) else v) for h, v in zip(headers, row)}
            for row in rows]


def measure_dict(plan: Plan, m: Measure) -> dict:
    """A measure as in ``Plan.to_dict()["measures"]``, with ``plan``: its source path."""
    from dataclasses import asdict

    return {**asdict(m), "plan": plan.source.path}


# ---------------------------------------------------------------------------------------------
# filters


def parse_day(value: str | _dt.date | None, option: str = "date") -> _dt.date | None:
    """A YYYY-MM-DD date; anything else is a usage error naming ``option``."""
    if value is None or isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    try:
        if len(text) != 10:
            raise ValueError
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option}: {value!r} is not a date (use YYYY-MM-DD)") from None


def _normalize_query(text: str) -> str:
    from .normalize import detect_and_convert, fold_width

    lines, _ = detect_and_convert([fold_width(text)])
    return lines[0]


def says_completed(m: Measure) -> bool:
    body = m.heading + "\n" + m.text
    return any(w in body for w in COMPLETED)


def filter_measures(plans: Sequence[Plan], *, unit: str | None = None, role: str | None = None,
                    due_before=None, due_after=None, overdue: bool = False, text: str | None = None,
                    has_target: bool = False, section: str | None = None, no_lead: bool = False,
                    aliases: dict | None = None, today: _dt.date | None = None) -> list[Match]:
    """The (plan, measure) pairs that meet every given criterion (AND).

    unit: some unit of the measure matches (``canon.unit_matches``), with ``role`` if given;
    role alone: the measure has some unit of that role; due_before / due_after: the
    measure's 完成时限 (latest resolved date) is on or before / on or after the day;
    overdue: some resolved deadline is before ``today`` and the text does not say it is
    done (已完成 ...); text: in the heading or text (query folded to half-width and
    simplified script); has_target: at least one target; section: ``measure.kind``;
    no_lead: no lead unit.
    """
    if role is not None and role not in (LEAD, SUPPORT):
        raise UsageError(f"unknown role {role!r} (choose from {LEAD}, {SUPPORT})")
    before, after = parse_day(due_before, "--due-before"), parse_day(due_after, "--due-after")
    today = today or _dt.date.today()
    words = [text] if text else []
    if text:
        norm = _normalize_query(text)
        if norm != text:
            words.append(norm)
    if unit is not None:
        from .canon import unit_matches
    kind = section.lower() if section else None

    def keep(m: Measure) -> bool:
        if unit is not None and not any(unit_matches(unit, u.name, aliases) for u in m.units
                                        if role is None or u.role == role):
            return False
        if unit is None and role is not None and not any(u.role == role for u in m.units):
            return False
        if before or after:
            due = due_date(m)
            if due is None or (before and due > before) or (after and due < after):
                return False
        if overdue and (not any(d < today for d in resolved_dates(m)) or says_completed(m)):
            return False
        if words and not any(w in m.heading or w in m.text for w in words):
            return False
        if has_target and not m.targets:
            return False
        if kind is not None and (m.kind or "").lower() != kind:
            return False
        if no_lead and leads(m):
            return False
        return True

    return [(p, m) for p, m in all_measures(plans) if keep(m)]
