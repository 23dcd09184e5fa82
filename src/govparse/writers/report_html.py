"""A readable HTML report of a plan (``govparse report``): outline, responsibility
matrix, timeline, targets and the findings of ``govparse check``.

The page is one self-contained file (``writers.html.page``: no network resource,
no script, a restrictive Content-Security-Policy) that prints well.  Every piece
of document text goes through ``esc``; this module writes markup only around it.
The timeline is a month grid made of table cells and CSS classes, so no inline
style is needed.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Sequence

from ..model import LEAD, Measure, Plan, Section
from .html import esc as _esc
from .html import page

LABELS = {
    "zh": {
        "report": "方案报告", "outline": "目录", "matrix": "责任矩阵", "timeline": "时间表",
        "targets": "目标", "findings": "检查结果", "lead": "牵头", "support": "配合",
        "no": "序号", "task": "任务", "units": "责任单位", "date": "日期", "item": "事项",
        "kind": "类型", "phase": "阶段", "deadline": "时限", "issued_row": "印发", "metric": "指标",
        "value": "目标值",
        "text": "原文", "line": "行", "severity": "级别", "code": "代码", "message": "说明",
        "measure": "任务", "issuers": "发文单位", "issued": "印发日期", "region": "地区",
        "base_year": "基准年", "source": "来源文件", "none": "无", "unresolved": "未定",
        "no_lead": "未明确牵头单位", "summary": "{m} 项任务, {u} 个单位, {d} 个时限, {t} 个目标",
        "legend": "● 牵头  ○ 配合", "clean": "未发现问题。",
        "counts": "{e} 个错误, {w} 个警告, {i} 条提示",
        "severity_names": {"error": "错误", "warning": "警告", "info": "提示"},
        "kinds": {"tasks": "任务", "safeguards": "保障", "attachment": "附件", "standards": "标准",
                  "steps": "步骤", "goals": "目标", "principles": "原则", "guiding_ideology": "指导思想",
                  "scope": "范围"},
        "no_units": "没有单位", "no_dates": "没有时限", "no_targets": "没有量化目标",
    },
    "en": {
        "report": "Plan report", "outline": "Outline", "matrix": "Responsibility matrix",
        "timeline": "Timeline", "targets": "Targets", "findings": "Check findings", "lead": "lead",
        "support": "support", "no": "No", "task": "Task", "units": "Units", "date": "Date", "item": "Item",
        "kind": "Kind", "phase": "phase", "deadline": "deadline", "issued_row": "issued", "metric": "Metric",
        "value": "Target",
        "text": "Text", "line": "Line", "severity": "Severity", "code": "Code", "message": "Message",
        "measure": "Task", "issuers": "Issued by", "issued": "Issue date", "region": "Region",
        "base_year": "Base year", "source": "Source file", "none": "none", "unresolved": "open",
        "no_lead": "no lead unit", "summary": "{m} tasks, {u} units, {d} deadlines, {t} targets",
        "legend": "● lead  ○ support", "clean": "No findings.",
        "counts": "{e} errors, {w} warnings, {i} notes",
        "severity_names": {"error": "error", "warning": "warning", "info": "info"},
        "kinds": {},
        "no_units": "no units", "no_dates": "no deadlines", "no_targets": "no quantitative targets",
    },
}

STYLE = """
.gp-report{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
  color:#1d2329;line-height:1.5;max-width:1180px;margin:0 auto;padding:0 12px}
.gp-report h1{font-size:1.45em;margin:.6em 0 .2em}
.gp-report h2{font-size:1.15em;border-bottom:2px solid #9aa5b1;padding-bottom:2px;margin-top:1.6em}
.gp-report .meta{color:#52606d;margin:0 0 .4em}
.gp-report .meta span{margin-right:1.4em}
.gp-report table{border-collapse:collapse;width:100%;font-size:.88em;margin:.4em 0}
.gp-report th,.gp-report td{border:1px solid #cbd2d9;padding:3px 5px;vertical-align:top;text-align:left}
.gp-report thead th{background:#eef1f4}
.gp-report .n{white-space:nowrap;color:#52606d}
.gp-report ul.outline{padding-left:1.2em;margin:.2em 0}
.gp-report ul.outline li{margin:.1em 0}
@media (min-width:900px){.gp-report>ul.outline{columns:2;column-gap:2.5em}
  .gp-report>ul.outline>li{break-inside:avoid}}
.gp-report .kind{font-size:.78em;color:#52606d;border:1px solid #cbd2d9;border-radius:3px;padding:0 3px;margin-left:.4em}
.gp-report .m{color:#1f4e79}
.gp-report table.rmatrix th.unit{writing-mode:vertical-rl;text-orientation:upright;white-space:nowrap;
  font-weight:normal;font-size:.85em;padding:4px 1px;vertical-align:bottom;text-align:left;letter-spacing:-1px}
.gp-report table.rmatrix td.c{text-align:center;padding:3px 1px;width:1.3em}
.gp-report table.rmatrix td.L{color:#0b6e4f;font-weight:bold}
.gp-report table.rmatrix td.S{color:#52606d}
.gp-report tr.nolead td.task{background:#fdecea}
.gp-report table.gantt td.g{padding:0;width:1.3em;min-width:.9em}
.gp-report table.gantt .k,.gp-report table.gantt .n{white-space:nowrap}
.gp-report table.gantt .item{min-width:7em}
.gp-report table.gantt .task{min-width:11em}
.gp-report table.gantt .lead{min-width:6em}
.gp-report table.gantt td.on{background:#7fb3d5}
.gp-report table.gantt td.due{background:#d64545}
.gp-report table.gantt td.due.ph{background:#2e86c1}
.gp-report table.gantt td.due.iss{background:#3e4c59}
.gp-report tr.issued td{color:#3e4c59;font-weight:bold}
.gp-report table.gantt th.mon{font-weight:normal;font-size:.75em;padding:2px 1px;text-align:center}
.gp-report tr.phase td.item{font-weight:bold}
.gp-report .sev-error{color:#b42318;font-weight:bold}
.gp-report .sev-warning{color:#a15c07}
.gp-report .sev-info{color:#1f4e79}
.gp-report .muted{color:#7b8794}
@page{size:A4 landscape;margin:12mm}
@media print{
  .gp-report{max-width:none;padding:0;font-size:9.5pt}
  .gp-report a{color:inherit;text-decoration:none}
  .gp-report h2{break-after:avoid}
  .gp-report thead{display:table-header-group}
  .gp-report tr{break-inside:avoid}
  .gp-report table.gantt td.on,.gp-report table.gantt td.due,.gp-report tr.nolead td.task{
    -webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""




def _measure_id_base(mid: str) -> str:
    return re.sub(r"#\d+$", "", mid)


def _anchor(plan_index: int, mid: str) -> str:
    """A safe fragment id for a measure: only ASCII letters and digits."""
    return f"p{plan_index}m" + "".join(f"{ord(c):x}" for c in mid)[:120]


def _kind_label(kind: str | None, L: dict) -> str:
    if not kind:
        return ""
    return f'<span class="kind">{_esc(L["kinds"].get(kind, kind))}</span>'


# ---------------------------------------------------------------------------------------------
# sections


def _header(plan: Plan, findings, L: dict) -> str:
    from ..check import counts
    from ..responsibility import source_name

    doc = plan.document
    units = {u.name for m in plan.measures for u in m.units}
    parts = [f"<h1>{_esc(doc.title or source_name(plan))}</h1>", '<p class="meta">']
    for key, value in (("issuers", "、".join(doc.issuers)), ("issued", doc.date), ("region", doc.region),
                       ("base_year", doc.base_year), ("source", source_name(plan))):
        if value:
            parts.append(f"<span>{_esc(L[key])}: {_esc(value)}</span>")
    parts.append("</p>")
    c = counts(findings)
    parts.append('<p class="meta">' + _esc(L["summary"].format(
        m=len(plan.measures), u=len(units), d=sum(1 for d in plan.deadlines if d.date), t=len(plan.targets)))
        + " · " + _esc(L["counts"].format(e=c["error"], w=c["warning"], i=c["info"])) + "</p>")
    return "\n".join(parts)


def _outline(plan: Plan, pi: int, L: dict) -> str:
    section_ids = set()

    def collect(secs: Sequence[Section]):
        for s in secs:
            section_ids.add(s.id)
            collect(s.children)

    collect(plan.sections)
    own: dict[str, list[Measure]] = {}  # measures that are a section themselves
    under: dict[str, list[Measure]] = {}  # measures inside a section (points, table rows)
    loose: list[Measure] = []
    for m in plan.measures:
        base = _measure_id_base(m.id)
        if base in section_ids:
            own.setdefault(base, []).append(m)
            continue
        parent = base
        while "." in parent:
            parent = parent.rsplit(".", 1)[0]
            if parent in section_ids:
                under.setdefault(parent, []).append(m)
                break
        else:
            loose.append(m)

    def mlink(m: Measure) -> str:
        return f'<a class="m" href="#{_anchor(pi, m.id)}">{_esc(m.heading)}</a>'

    def render(secs: Sequence[Section]) -> str:
        items = []
        for s in secs:
            text = f'<span class="n">{_esc(s.number)}</span>{_esc(s.title)}{_kind_label(s.kind, L)}'
            ms = own.get(s.id, [])
            if ms:
                text = (f'<span class="n">{_esc(s.number)}</span>'
                        + "；".join(mlink(m) for m in ms) + _kind_label(s.kind, L))
            inner = "".join(f"<li>{_esc(m.number)} {mlink(m)}</li>" for m in under.get(s.id, []))
            kids = render(s.children) if s.children else ""
            if inner:
                kids = f'<ul class="outline">{inner}</ul>' + kids
            items.append(f"<li>{text}{kids}</li>")
        return f'<ul class="outline">{"".join(items)}</ul>' if items else ""

    out = render(plan.sections)
    if loose:
        out += '<ul class="outline">' + "".join(f"<li>{mlink(m)}</li>" for m in loose) + "</ul>"
    return out


def _units_in_order(plan: Plan) -> list[str]:
    lead_count: dict[str, int] = {}
    total: dict[str, int] = {}
    first: dict[str, int] = {}
    for i, m in enumerate(plan.measures):
        for u in m.units:
            first.setdefault(u.name, i)
            total[u.name] = total.get(u.name, 0) + 1
            if u.role == LEAD:
                lead_count[u.name] = lead_count.get(u.name, 0) + 1
    return sorted(total, key=lambda n: (-lead_count.get(n, 0), -total[n], first[n]))


def _matrix(plan: Plan, pi: int, L: dict) -> str:
    from ..lexicon import load

    units = _units_in_order(plan)
    need_lead = set(load("section_kinds")["need_lead"])
    if not plan.measures:
        return f'<p class="muted">{_esc(L["none"])}</p>'
    head = (f'<thead><tr><th>{_esc(L["no"])}</th><th>{_esc(L["task"])}</th>'
            + "".join(f'<th class="unit" title="{_esc(u)}">{_esc(u)}</th>' for u in units) + "</tr></thead>")
    rows = []
    for m in plan.measures:
        roles = {}
        for u in m.units:
            if u.role == LEAD or u.name not in roles:
                roles[u.name] = u.role
        no_lead = m.kind in need_lead and LEAD not in roles.values()
        cells = []
        for u in units:
            r = roles.get(u)
            if r == LEAD:
                cells.append(f'<td class="c L" title="{_esc(L["lead"])}">●</td>')
            elif r:
                cells.append(f'<td class="c S" title="{_esc(L["support"])}">○</td>')
            else:
                cells.append('<td class="c"></td>')
        note = f' <span class="sev-error">({_esc(L["no_lead"])})</span>' if no_lead else ""
        cls = ' class="nolead"' if no_lead else ""
        rows.append(f'<tr id="{_anchor(pi, m.id)}"{cls}>'
                    f'<td class="n">{_esc(m.id)}</td><td class="task">{_esc(m.heading)}{note}</td>'
                    + "".join(cells) + "</tr>")
    legend = f'<p class="muted">{_esc(L["legend"])}</p>'
    if not units:
        legend = f'<p class="muted">{_esc(L["no_units"])}</p>'
    return legend + f'<table class="rmatrix">{head}<tbody>{"".join(rows)}</tbody></table>'


# a timeline longer than this many months is drawn in quarters
MAX_MONTH_COLUMNS = 24
MAX_COLUMNS = 40


def _buckets(first: _dt.date, last: _dt.date) -> tuple[list[tuple[int, int]], int]:
    """The columns of the grid: (year, first month) and the months per column (1 or 3)."""
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    step = 1 if span <= MAX_MONTH_COLUMNS else 3
    y, m = first.year, (first.month - 1) // step * step + 1
    out = []
    while (y, m) <= (last.year, last.month) and len(out) < MAX_COLUMNS:
        out.append((y, m))
        m += step
        if m > 12:
            y, m = y + 1, m - 12
    return out, step


def _bucket_label(year: int, month: int, step: int, first: bool) -> str:
    part = str(month) if step == 1 else f"Q{(month - 1) // 3 + 1}"
    return f"{year}<br>{part}" if first or month == 1 else part


def _day(s: str | None) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(s) if s else None
    except ValueError:
        return None


def _timeline(plan: Plan, L: dict) -> str:
    from ..responsibility import leads

    by_id = {m.id: m for m in plan.measures}
    rows = []  # (sort date, start, end, kind, item, measure heading, leads, line)
    for p in plan.phases:
        rows.append((_day(p.start) or _day(p.end), _day(p.start), _day(p.end), "phase", p.name, "", "", p.line))
    phase_lines = {p.line for p in plan.phases}
    issued = _day(plan.document.date)
    if issued:
        rows.append((issued, None, issued, "issued", L["issued"], "", "", plan.document.title_line))
    seen = set()
    for d in plan.deadlines:
        key = (d.measure, d.text, d.date)
        if key in seen or (d.kind == "duration" and not d.date):
            continue
        if d.measure is None and d.line in phase_lines:
            continue  # the span of a phase, drawn as the phase
        seen.add(key)
        m = by_id.get(d.measure) if d.measure else None
        day = _day(d.date) if d.resolved else None
        start = _day(d.start)
        if start is None and day and issued and issued <= day:
            start = issued  # a "by" limit runs from the issue date
        rows.append((day, start, day, "deadline", d.text, m.heading if m else "",
                     "、".join(leads(m)) if m else "", d.line))
    if not rows:
        return f'<p class="muted">{_esc(L["no_dates"])}</p>'
    rows.sort(key=lambda r: (r[0] is None, r[0] or _dt.date.max, r[7] or 0))
    dated = [d for r in rows for d in (r[1], r[2]) if d]
    cols, step = _buckets(min(dated), max(dated)) if dated else ([], 1)

    def col(day: _dt.date) -> tuple[int, int]:
        return day.year, (day.month - 1) // step * step + 1

    head = (f'<thead><tr><th class="when">{_esc(L["date"])}</th><th class="k">{_esc(L["kind"])}</th>'
            f'<th class="item">{_esc(L["item"])}</th><th class="task">{_esc(L["task"])}</th>'
            f'<th class="lead">{_esc(L["lead"])}</th>'
            + "".join(f'<th class="mon">{_bucket_label(y, m, step, i == 0)}</th>'
                      for i, (y, m) in enumerate(cols)) + "</tr></thead>")
    body = []
    for _, start, end, kind, item, heading, lead, line in rows:
        if end:
            when = f"{start.isoformat()} – {end.isoformat()}" if start and start != end and kind != "deadline" \
                else end.isoformat()
        else:
            when = L["unresolved"]
        cells = []
        for c in cols:
            cls = "g"
            if end and start and col(start) <= c <= col(end):
                cls += " on"
            if end and c == col(end):
                cls += " due" + {"phase": " ph", "issued": " iss"}.get(kind, "")
            cells.append(f'<td class="{cls}"></td>')
        kind_name = L["issued_row"] if kind == "issued" else L[kind]
        body.append(f'<tr class="{kind}"><td class="n">{_esc(when)}</td><td class="k">{_esc(kind_name)}</td>'
                    f'<td class="item">{_esc(item)}</td><td class="task">{_esc(heading)}</td>'
                    f'<td class="lead">{_esc(lead)}</td>' + "".join(cells) + "</tr>")
    return f'<table class="gantt">{head}<tbody>{"".join(body)}</tbody></table>'


def _targets(plan: Plan, L: dict) -> str:
    from ..responsibility import target_text

    if not plan.targets:
        return f'<p class="muted">{_esc(L["no_targets"])}</p>'
    by_id = {m.id: m for m in plan.measures}
    rows = []
    for t in plan.targets:
        m = by_id.get(t.measure) if t.measure else None
        due = "、".join(dict.fromkeys(d.date for d in (m.deadlines if m else []) if d.date)) or ""
        rows.append(f'<tr><td class="n">{_esc(t.line or "")}</td><td>{_esc(target_text(t))}</td>'
                    f'<td>{_esc(t.text)}</td><td>{_esc(m.heading if m else "")}</td>'
                    f'<td class="n">{_esc(due)}</td></tr>')
    head = (f'<thead><tr><th>{_esc(L["line"])}</th><th>{_esc(L["value"])}</th><th>{_esc(L["text"])}</th>'
            f'<th>{_esc(L["task"])}</th><th>{_esc(L["deadline"])}</th></tr></thead>')
    return f'<table class="targets">{head}<tbody>{"".join(rows)}</tbody></table>'


def _findings(findings, L: dict) -> str:
    if not findings:
        return f'<p>{_esc(L["clean"])}</p>'
    rows = []
    for f in findings:
        rows.append(f'<tr><td class="n">{_esc(f.line or "")}</td>'
                    f'<td class="sev-{_esc(f.severity)}">{_esc(L["severity_names"].get(f.severity, f.severity))}</td>'
                    f'<td class="n">{_esc(f.code)}</td><td>{_esc(f.message)}</td></tr>')
    head = (f'<thead><tr><th>{_esc(L["line"])}</th><th>{_esc(L["severity"])}</th><th>{_esc(L["code"])}</th>'
            f'<th>{_esc(L["message"])}</th></tr></thead>')
    return f'<table class="findings">{head}<tbody>{"".join(rows)}</tbody></table>'


def plan_body(plan: Plan, findings, lang: str = "zh", index: int = 0) -> str:
    """The report of one plan as an <article> (no page around it)."""
    L = LABELS[lang]
    parts = [
        f'<article class="gp-report" lang="{"zh-CN" if lang == "zh" else "en"}">',
        _header(plan, findings, L),
        f'<h2>{_esc(L["outline"])}</h2>', _outline(plan, index, L),
        f'<h2>{_esc(L["matrix"])}</h2>', _matrix(plan, index, L),
        f'<h2>{_esc(L["timeline"])}</h2>', _timeline(plan, L),
        f'<h2>{_esc(L["targets"])}</h2>', _targets(plan, L),
        f'<h2>{_esc(L["findings"])}</h2>', _findings(findings, L),
        "</article>",
    ]
    return "\n".join(parts)


def report_page(results: Sequence[tuple[Plan, list]], lang: str = "zh") -> str:
    """The whole page for (plan, findings) pairs, as from ``check.check_path``."""
    if lang not in LABELS:
        raise ValueError(f"unknown language {lang!r}")
    titles = [p.document.title for p, _ in results if p.document.title]
    title = titles[0] if len(results) == 1 and titles else LABELS[lang]["report"]
    body = "\n".join(plan_body(plan, findings, lang, i) for i, (plan, findings) in enumerate(results))
    return page(title, body, css=STYLE, lang="zh-CN" if lang == "zh" else "en")
