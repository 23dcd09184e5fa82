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
