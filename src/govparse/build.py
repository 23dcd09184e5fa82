"""Assemble a ``Plan``: read -> normalize -> structure -> extract -> model.

This module only wires the pipeline together: metadata and the base year, then
measures (``measures.py``), then each segment's deadlines and targets, then the
warnings a reader should check.  Every piece of recognition lives in its own module.
"""
from __future__ import annotations

import os
import re
from dataclasses import replace

from . import lexicon
from .errors import InputError
from .extract.deadlines import find_deadlines, find_ongoing, resolve, uses_roc_years
from .extract.meta import extract_meta, is_date_line, is_title_like, signature_lines
from .extract.targets import find_targets
from .measures import find_measures, heading_of, node_key
from .model import LEAD, Phase, Plan, Section, SourceInfo, Warning_
from .normalize import normalize_lines
from .read import SourceText, read_bytes, read_source
from .structure import Node, parse_structure
from .tables import join_cell_lines
from .unwrap import repair as repair_wrapped


def _sections(node: Node, path: list[str]) -> list[Section]:
    out = []
    for c in node.children:
        p = path + [node_key(c)]
        out.append(Section(id=".".join(p), number=c.number, title=heading_of(c.title)[:80], kind=c.effective_kind,
                           lines=[c.first_line, c.last_line()], level=c.level, children=_sections(c, p)))
    return out


def _phases(root: Node, roc: bool = False) -> list[tuple[Node, list]]:
    found = []
    for n in root.walk():
        if n.style == "root" or not n.line:
            continue
        if n.style == "phase" or (n.effective_kind == "steps" and n.parent and n.parent.style != "root"):
            raws = [r for r in find_deadlines(n.line.text, roc) if r.kind == "range" or r.year]
            found.append((n, raws))
    return found


def build_plan(src: SourceText) -> Plan:
    norm = normalize_lines(src.lines, src.origins)
    # a PDF, or text that came out of one: join wrapped lines, drop page numbers and headers
    norm = repair_wrapped(norm, src.pages, always=src.format == "pdf")
    norm = replace(norm, lines=join_cell_lines(norm.lines))  # tables flattened one cell per line
    roc = uses_roc_years("\n".join(ln.text for ln in norm.lines))  # Taiwan: 111年 = 2022
    if not norm.lines:
        raise InputError(src.path, "no text left after removing web-page debris")
    signature = signature_lines(norm.lines)
    root = parse_structure([ln for i, ln in enumerate(norm.lines) if i not in signature])
    first = root.children[0].line.origin if root.children and root.children[0].line else None
    head_count = sum(1 for ln in norm.lines if first is None or ln.origin < first)
    meta = extract_meta(norm.lines, head_count, src.hints)
    skip_origins = {meta.title_line} if meta.title_line else set()
    # the 落款 date and the names of documents (titles) hold years that are no limits
    skip_origins |= {ln.origin for ln in norm.lines if is_date_line(ln.text) or is_title_like(ln.text)}

    phase_nodes = _phases(root, roc)
    base_year = int(meta.date[:4]) if meta.date else None
    if base_year is None:
        years = [r.start[0] or r.year for _, raws in phase_nodes for r in raws if r.kind == "range"]
        years += [r.year for _, raws in phase_nodes for r in raws if r.kind != "range" and r.year]
        years = [y for y in years if y]
        base_year = min(years) if years else None
    if base_year is None and meta.title:
        # "关于2021年基层治理工作要点": a plan named for one year is that year's plan
        title_years = set(re.findall(r"(?<!\d)(20\d\d|19\d\d)年(?!\d|以来|至|—|-|~)", meta.title))
        if len(title_years) == 1 and not re.search(r"\d{4}\s*[—\-~至到]\s*\d{4}", meta.title):
            base_year = int(title_years.pop())
    meta.base_year = base_year

    measures, segments = find_measures(root)

    plan = Plan(
        source=SourceInfo(path=src.path, sha256=src.sha256, format=src.format, encoding=src.encoding,
                          script=norm.script, dropped_lines=norm.dropped, pages=list(src.pages)),
        document=meta, sections=_sections(root, []), measures=measures)

    for seg in segments:
        if seg.origin in skip_origins and seg.measure is None:
            continue
        raws = find_deadlines(seg.text, roc) + find_ongoing(seg.text)
        for r in raws:
            d = resolve(r, base_year, seg.origin)
            d.measure = seg.measure.id if seg.measure else None
            plan.deadlines.append(d)
            if seg.measure:
                seg.measure.deadlines.append(d)
            if not d.resolved:
                plan.warnings.append(Warning_("unresolved-deadline",
                                              f"'{d.text}' is relative and the plan states no year", seg.origin,
                                              d.measure))
        if seg.kind == "scope":
            continue  # 基本情况 / 工作背景: numbers there describe the present, they are no targets
        for t in find_targets(seg.text, seg.origin):
            t.measure = seg.measure.id if seg.measure else None
            plan.targets.append(t)
            if seg.measure:
                seg.measure.targets.append(t)
            if t.placeholder:
                plan.warnings.append(Warning_("placeholder-target",
                                              f"'{t.text}' has a placeholder instead of a number", seg.origin,
                                              t.measure))

    for node, raws in phase_nodes:
        name = re.split(r"[(:。,]", node.title, maxsplit=1)[0].strip() or node.number
        rng = next((r for r in raws if r.kind == "range"), None)
        by = next((r for r in raws if r.kind == "by"), None)
        if rng:
            d = resolve(rng, base_year)
            plan.phases.append(Phase(name, d.start, d.date, node.title, node.line.origin))
        elif by is not None and (d := resolve(by, base_year)).date:
            # "第三阶段(2020年12月)": a phase of one month runs through it; "(2020年12月底前)"
            # says only when it ends
            whole_month = by.month is not None and by.day in (None, "底") and not any(c in by.text for c in "前底末")
            start = d.date[:8] + "01" if whole_month else None
            plan.phases.append(Phase(name, start, d.date, node.title, node.line.origin))
        elif node.style == "phase":
            plan.phases.append(Phase(name, None, None, node.title, node.line.origin))

    need_lead = set(lexicon.load("section_kinds")["need_lead"])
    for m in plan.measures:
        if m.kind in need_lead and not any(u.role == LEAD for u in m.units):
            plan.warnings.append(Warning_("no-lead-unit", f"measure {m.id} '{m.heading[:30]}' names no lead unit",
                                          m.lines[0] if m.lines else None, m.id))
    plan.warnings.sort(key=lambda w: (w.line or 0))
    return plan


def parse_file(path: str | os.PathLike, **kwargs) -> Plan:
    """Read and extract one plan file (txt, docx, html, pdf)."""
    return build_plan(read_source(path, **kwargs))


def parse_text(text: str, path: str = "<text>") -> Plan:
    """Extract a plan from text already in memory."""
    return build_plan(read_bytes(text.encode("utf-8"), path if path.endswith(".txt") else path + ".txt"))
