"""Output for people on a terminal; the only module that imports rich."""
from __future__ import annotations

from .model import LEAD, Plan


def _console():
    from rich.console import Console

    return Console()


def plan_tree(plan: Plan) -> None:
    """A tree of the plan's sections and measures, with units, deadlines and targets."""
    from rich.markup import escape
    from rich.tree import Tree

    doc = plan.document
    title = escape(doc.title or plan.source.path)
    root = Tree(f"[bold]{title}[/]  [dim]{escape(doc.region or '?')} {escape(doc.level or '')} "
                f"{escape(doc.date or '')} base year {doc.base_year or '?'}[/]")
    by_section: dict[str, list] = {}
    for m in plan.measures:
        by_section.setdefault(m.id.rsplit(".", 1)[0] if "." in m.id else "", []).append(m)

    def add_measures(branch, section_id):
        for m in by_section.get(section_id, []):
            leads = "、".join(u.name for u in m.units if u.role == LEAD)
            sup = "、".join(u.name for u in m.units if u.role != LEAD)
            node = branch.add(f"[cyan]{escape(m.id)}[/] {escape(m.heading[:40])} [dim]L{m.lines[0]}[/]")
            if leads:
                node.add(f"牵头: [green]{escape(leads)}[/]" + (" [dim](inherited)[/]" if m.units[0].inherited else ""))
            if sup:
                node.add(f"配合: {escape(sup)}")
            for d in m.deadlines:
                node.add(f"时限: [yellow]{escape(d.text)}[/] → {d.date or '—'}")
            for t in m.targets:
                val = "xx" if t.value is None else t.value
                node.add(f"目标: [magenta]{escape(t.metric)}[/] {escape(t.op)} {val}{escape(t.unit or '')}")

    def add_sections(branch, sections):
        for s in sections:
            sb = branch.add(f"[bold]{escape(s.number)}{escape(s.title[:40])}[/] [dim]{escape(s.kind or '')}[/]")
            add_measures(sb, s.id)
            add_sections(sb, s.children)

    add_measures(root, "")  # measures outside any heading: a plan that is only a task table
    add_sections(root, plan.sections)
    _console().print(root)
    if plan.warnings:
        _console().print(f"[yellow]{len(plan.warnings)} warnings[/] (see `govparse extract`)")


def print_table(headers: list[str], rows: list[list], title: str | None = None) -> None:
    """A table for the terminal (rows as built by ``govparse.responsibility``)."""
    import datetime as _dt

    from rich.markup import escape
    from rich.table import Table

    table = Table(title=escape(title) if title else None, show_lines=False, header_style="bold")
    for i, h in enumerate(headers):
        # dates and numbers never wrap; text folds
        short = all(isinstance(r[i], (int, _dt.date)) or r[i] is None for r in rows)
        width = max((len(str(r[i])) for r in rows if r[i] is not None), default=0) if short else 0
        table.add_column(escape(h), overflow="fold", no_wrap=short, min_width=max(width, len(h) * 2) or None)
    for row in rows:
        table.add_row(*(escape(v.isoformat() if isinstance(v, _dt.date) else "" if v is None else str(v))
                        for v in row))
    _console().print(table)


def print_findings(findings: list, lang: str = "zh", multi: bool = False) -> None:
    """The findings of ``govparse check`` as a table, then a one-line count."""
    from rich.markup import escape
    from rich.table import Table

    from .check import counts

    zh = lang == "zh"
    styles = {"error": "bold red", "warning": "yellow", "info": "cyan"}
    names = {"error": "错误", "warning": "警告", "info": "提示"} if zh else {}
    console = _console()
    if findings:
        table = Table(show_lines=False, header_style="bold")
        where = ("位置" if zh else "Where") if multi else ("行" if zh else "Line")
        for h in (where, "级别" if zh else "Severity", "代码" if zh else "Code", "说明" if zh else "Message"):
            table.add_column(h, overflow="fold", no_wrap=h not in ("说明", "Message"))
        for f in findings:
            sev = f"[{styles[f.severity]}]{escape(names.get(f.severity, f.severity))}[/]"
            line = str(f.line or "")
            if multi:
                line = source_name_of(f.plan) + (f":{line}" if line else "")
            table.add_row(escape(line), sev, escape(f.code), escape(f.message))
        console.print(table)
    c = counts(findings)
    if zh:
        console.print(f"{c['error']} 个错误, {c['warning']} 个警告, {c['info']} 条提示")
    else:
        console.print(f"{c['error']} errors, {c['warning']} warnings, {c['info']} notes")


def source_name_of(path: str) -> str:
    import os

    return "stdin" if path == "-" else os.path.basename(path.replace("\\", "/")) or path


class _Progress:
    """A rich progress bar on stderr for ``govparse index``: ``total(n)``, then ``advance(path)``."""

    def __init__(self, label: str = "indexing"):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn(), TimeRemainingColumn(),
                                  console=Console(stderr=True), transient=True)
        self._task = self._progress.add_task(label, total=None)

    def __enter__(self) -> "_Progress":
        self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self._progress.stop()

    def total(self, n: int) -> None:
        self._progress.update(self._task, total=n)

    def advance(self, path: str) -> None:
        self._progress.advance(self._task)


def index_progress(label: str = "indexing") -> _Progress:
    """A context manager showing a progress bar on stderr (use only when stderr is a terminal)."""
    return _Progress(label)


def print_stats(stats: dict) -> None:
    """``govparse stats`` on a terminal: one table per view of the store."""
    from rich.markup import escape
    from rich.table import Table

    console = _console()
    t = stats.get("totals", {})
    console.print(" · ".join(f"{escape(k)} [bold]{v}[/]" for k, v in t.items()))

    def table(title: str, headers: list[str], rows: list[list]) -> None:
        tab = Table(title=escape(title), header_style="bold")
        for h in headers:
            tab.add_column(escape(h), overflow="fold")
        for r in rows:
            tab.add_row(*(escape("—" if v is None else str(v)) for v in r))
        console.print(tab)

    table("plans by region and level", ["region", "level", "plans"],
          [[r["region"], r["level"], r["plans"]] for r in stats.get("plans", [])])
    table("units leading most measures", ["unit (canonical)", "measures", "plans", "names"],
          [[r["unit"], r["measures"], r["plans"], r["names"]] for r in stats.get("lead_units", [])])
    table("targets by metric", ["metric", "unit", "count", "min", "max"],
          [[r["metric"], r["unit"], r["count"], r["min"], r["max"]] for r in stats.get("targets", [])])
    table("deadlines by year", ["year", "deadlines", "measures", "plans"],
          [[r["year"], r["deadlines"], r["measures"], r["plans"]] for r in stats.get("deadlines", [])])


# --------------------------------------------------------------------------- diff and compare


def _report_console(file=None):
    """The terminal, or plain text into ``file`` (for ``-o FILE`` of a table)."""
    from rich.console import Console

    if file is None:
        return _console()
    return Console(file=file, width=160, no_color=True, force_terminal=False, highlight=False, emoji=False)


def _pct(v) -> str:
    return "—" if v is None else f"{v * 100:.0f}%"


def print_diff(result: dict, file=None) -> None:
    """``govparse diff`` as a table: the two plans side by side, matched measures on one
    row with their changes, measures only in one plan on rows of their own."""
    from rich.markup import escape
    from rich.table import Table

    from .writers.html import change_text

    console = _report_console(file)
    a, b, s = result["a"], result["b"], result["summary"]
    console.print(f"[bold]A[/] {escape(a.get('title') or a.get('path') or '')}  [dim]{escape(a.get('path') or '')}[/]")
    console.print(f"[bold]B[/] {escape(b.get('title') or b.get('path') or '')}  [dim]{escape(b.get('path') or '')}[/]")
    names = {"targets": "目标", "deadlines": "时限", "lead": "牵头", "support": "配合", "text": "文字"}
    arrows = {"raised": "↑", "lowered": "↓", "earlier": "提前", "later": "推迟", "added": "新增",
              "removed": "删除"}
    table = Table(show_lines=True, header_style="bold", expand=True)
    table.add_column("A", overflow="fold", ratio=3)
    table.add_column("≈", justify="right", no_wrap=True, width=5)
    table.add_column("B", overflow="fold", ratio=3)
    table.add_column("变化", overflow="fold", ratio=3)

    def ref(m) -> str:
        return f"[dim]{escape(m['id'])}[/] {escape(m['heading'])}"

    for m in result["matched"]:
        lines = []
        for c in m["changes"]:
            d = arrows.get(c.get("direction") or "", "")
            lines.append(f"[yellow]{names.get(c['field'], c['field'])}[/] {escape(change_text(c))}"
                         + (f" [bold]{d}[/]" if d else ""))
        table.add_row(ref(m["a"]), f"{m['similarity']:.2f}", ref(m["b"]), "\n".join(lines))
    for m in result["only_a"]:
        table.add_row(f"[red]{ref(m)}[/]", "", "", "[red]仅在 A[/]")
    for m in result["only_b"]:
        table.add_row("", "", f"[green]{ref(m)}[/]", "[green]仅在 B[/]")
    console.print(table)
    console.print(
        f"A {s['measures_a']} measures, B {s['measures_b']}: {s['matched']} matched "
        f"({_pct(s.get('kept_share'))} of A kept), {s['only_a']} only in A, {s['only_b']} only in B, "
        f"{s['changed']} changed, {s.get('moved', 0)} moved.\n"
        f"targets raised {s['targets_raised']}, lowered {s['targets_lowered']}, added {s['targets_added']}, "
        f"removed {s['targets_removed']}; deadlines earlier {s['deadlines_earlier']}, later "
        f"{s['deadlines_later']}; lead changed {s['lead_changed']}, support changed {s['support_changed']}, "
        f"wording changed {s['text_changed']}; verbatim A in B {_pct(s.get('verbatim_a_in_b'))}, "
        f"B in A {_pct(s.get('verbatim_b_in_a'))}.\n[dim]{escape(s.get('targets_note', ''))}[/]")


def print_compare(result: dict, file=None, common_rows: int = 20, matrix_max: int = 12) -> None:
    """``govparse compare`` as tables: each plan with its nearest neighbour, the measures
    most plans share and, for a few plans, the similarity matrix."""
    import os

    from rich.markup import escape
    from rich.table import Table

    console = _report_console(file)
    plans = result["plans"]

    def name(p: dict) -> str:
        return p.get("title") or os.path.basename(p.get("path") or "") or f"#{p['index'] + 1}"

    table = Table(title=f"{len(plans)} plans", header_style="bold", expand=True)
    num = {"justify": "right", "no_wrap": True}
    for h, kw in (("#", num), ("plan", {"overflow": "fold", "ratio": 1}), ("measures", num),
                  ("nearest", {"overflow": "fold", "ratio": 1}), ("similarity", num), ("found", num),
                  ("verbatim", num), ("unique", num)):
        table.add_column(h, **kw)
    for p in plans:
        nb = p.get("nearest")
        table.add_row(str(p["index"] + 1), escape(name(p)), str(p["measures"]),
                      f"{nb['plan'] + 1}. {escape(name(plans[nb['plan']]))}" if nb else "—",
                      f"{nb['similarity']:.2f}" if nb else "", _pct(nb["found_share"]) if nb else "",
                      _pct(nb["verbatim_share"]) if nb else "", str(p["unique_measures"]))
    console.print(table)
    common = result.get("common", [])
    if common:
        ct = Table(title=f"measures in most plans ({len(common)} shared, {len(result.get('unique', []))} "
                         f"in one plan only)", header_style="bold")
        ct.add_column("plans", justify="right")
        ct.add_column("share", justify="right")
        ct.add_column("measure", overflow="fold")
        for c in common[:common_rows]:
            ct.add_row(str(c["plans"]), _pct(c["share"]), escape(c["heading"]))
        console.print(ct)
    if len(plans) <= matrix_max:
        mt = Table(title="similarity", header_style="bold")
        mt.add_column("")
        for p in plans:
            mt.add_column(str(p["index"] + 1), justify="right")
        for p, row in zip(plans, result["matrix"]):
            mt.add_row(str(p["index"] + 1), *(f"{v:.2f}" for v in row))
        console.print(mt)


class _CountProgress:
    """A progress bar on stderr without a refresh thread (worker processes are forked
    while it runs): call it with (done, total)."""

    def __init__(self, label: str):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn(), console=Console(stderr=True), transient=True,
                                  auto_refresh=False)
        self._task = self._progress.add_task(label, total=None)

    def __enter__(self) -> "_CountProgress":
        self._progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self._progress.stop()

    def __call__(self, done: int, total: int) -> None:
        self._progress.update(self._task, completed=done, total=total)
        self._progress.refresh()


def count_progress(label: str) -> _CountProgress:
    """A context manager giving a ``progress(done, total)`` callback that draws a bar on
    stderr (use only when stderr is a terminal)."""
    return _CountProgress(label)
