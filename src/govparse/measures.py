"""Which headings are measures, and who is responsible for each.

A leaf heading in a section whose kind holds tasks is a measure; a heading with
children is one only when it names units itself.  一是/二是 points become measures
of their own when they carry text or unit lists of their own; task-table rows are
measures; units come from label lists, then prose, else from the nearest heading
above that names them (``inherited``).  ``find_measures`` also cuts the text into
segments, each belonging to one measure or to none, so that deadlines and targets
can be given to the measure they stand in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .extract.units import label_units, prose_units, split_units
from .model import LEAD, Measure, Point, UnitAssignment
from .normalize import Line
from .structure import Node, cn_number, measures_allowed
from .tables import TableRow, read_tables

_POINT = re.compile(r"([一二三四五六七八九十]{1,3})是")
_POINT_BEFORE = set("。;!?:,)）")  # "…(责任单位:县民政局)二是…" starts a point too
_HEADING_END = re.compile(r"[。;!?]")
# a point whose text is at most this long is a title inside its measure, not a task
POINT_TITLE_MAX = 40


@dataclass
class _Segment:
    """A piece of text that belongs to one measure (or to none)."""

    text: str
    origin: int
    measure: Measure | None
    kind: str | None = None  # the section kind it stands in (scope: background facts)


@dataclass
class _Build:
    segments: list[_Segment] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)


def _node_key(node: Node) -> str:
    if node.style == "plain":
        return node.title[:12]
    if node.style == "attachment":
        m = re.match(r"附件\s*(\d*)", node.title)
        return "附件" + (m.group(1) if m else "")
    if node.style == "bullet":
        return f"—{node.value}"
    return node.number.rstrip("、.:． ")


def _heading(title: str) -> str:
    m = _HEADING_END.search(title)
    head = title[: m.start()] if m else title
    return head.strip()


def _section_label(node: Node) -> str:
    h = _heading(node.title)
    if node.style == "attachment" and len(h.rstrip(":、. ")) <= 4 and node.body:
        # a bare "附件:" line: its title stands on the next short lines
        title = ""
        for ln in node.body[:3]:
            if len(ln.text) > 40 or ln.text[-1] in "。;:":
                break
            title += ln.text
        h = f"{h.rstrip(':、. ')}:{title}" if title else h
    if len(h) > 40:
        h = h[:40] + "…"
    return f"{node.number}{h}"


def _unique(build: _Build, key: str) -> str:
    """The key, or key#2, key#3 … when a document repeats a numbering path."""
    n = build.ids.get(key, 0) + 1
    build.ids[key] = n
    return key if n == 1 else f"{key}#{n}"


def _find_points(lines: list[Line]) -> list[tuple[str, int, int, int, int]]:
    """Points "一是…二是…" as (number, line index, start offset) sequences; only a run
    that starts at 一是 and counts up is accepted."""
    hits = []
    expected = 1
    for li, ln in enumerate(lines):
        if "是" not in ln.text:
            continue  # (the usual line: no regex scan)
        for m in _POINT.finditer(ln.text):
            if m.start() > 0 and ln.text[m.start() - 1] not in _POINT_BEFORE:
                continue
            if cn_number(m.group(1)) == expected:
                hits.append((m.group(0), li, m.start()))
                expected += 1
    return hits if len(hits) >= 2 else []


def _split_points(lines: list[Line], hits):
    """(intro segments, [(number, segments)]) of a text with points."""
    intro: list[Line] = []
    points: list[tuple[str, list[Line]]] = []
    bounds = hits + [("", len(lines), 0)]
    first_li, first_off = hits[0][1], hits[0][2]
    for li in range(first_li + 1):
        t = lines[li].text if li < first_li else lines[li].text[:first_off]
        if t.strip():
            intro.append(Line(t, lines[li].origin))
    for k, (num, li, off) in enumerate(hits):
        _, nli, noff = bounds[k + 1]
        segs = []
        for j in range(li, min(nli, len(lines) - 1) + 1):
            if j >= len(lines):
                break
            start = off + len(num) if j == li else 0
            end = noff if j == nli else len(lines[j].text)
            t = lines[j].text[start:end]
            if t.strip():
                segs.append(Line(t.strip(), lines[j].origin))
        points.append((num, segs))
    return intro, points


def _starts_with_label(text: str) -> bool:
    """Does a line begin with a role label ("牵头单位:…")?"""
    found = label_units(text)
    return bool(found) and text.lstrip("(（").startswith(found[0].label)


def _labelled_of(lines: list[Line]) -> list[UnitAssignment]:
    return [u for ln in lines for u in label_units(ln.text, ln.origin)]


def _prose_of(lines: list[Line]) -> list[UnitAssignment]:
    return [u for ln in lines for u in prose_units(ln.text, ln.origin)]


def _units_of(lines: list[Line]) -> tuple[list[UnitAssignment], list[UnitAssignment]]:
    labelled = _labelled_of(lines)
    return labelled, (_prose_of(lines) if not labelled else [])


def _dedupe_units(units: list[UnitAssignment]) -> list[UnitAssignment]:
    seen, out = set(), []
    for u in units:
        if (u.name, u.role) not in seen:
            seen.add((u.name, u.role))
            out.append(u)
    return out


def _inherited_units(node: Node, own_labels: dict[int, list[UnitAssignment]]) -> list[UnitAssignment]:
    for a in node.ancestors():
        got = own_labels.get(id(a))
        if got:
            return [replace(u, inherited=True, source="heading") for u in got]
    return []


def _make_measure(build: _Build, node: Node, key: str, number: str, heading: str,
                  lines: list[Line], units: list[UnitAssignment]) -> Measure:
    path = [_section_label(a) for a in reversed(list(node.ancestors())) if a.style != "root"]
    m = Measure(
        id=_unique(build, key), section=path, number=number, heading=heading,
        text="\n".join(ln.text for ln in lines),
        lines=[min(ln.origin for ln in lines), max(ln.end for ln in lines)] if lines else [],
        kind=node.effective_kind, units=_dedupe_units(units))
    build.measures.append(m)
    return m


_ROLE_LABEL = {"lead": "牵头单位", "support": "配合单位", "open": "责任单位"}


def _row_measure(build: _Build, node: Node, key: str, index: int, row: TableRow) -> None:
    """A measure from a task-table row: its cells say the task, units and time limit."""
    cells = row.cells
    has_lead_column = "lead" in cells
    units = []
    for kind in ("lead", "open", "support"):
        if kind in cells:
            role = LEAD if kind == "lead" or (kind == "open" and not has_lead_column) else "support"
            units += [UnitAssignment(n, role, _ROLE_LABEL[kind], line=row.line.origin, source="table")
                      for n in split_units(cells[kind])]
    number = cells.get("number", "").rstrip("、. ") or str(index)
    task = cells["task"]
    seg_lines = [Line(task, row.line.origin, row.line.last)]  # a row joined from cell lines spans them
    m = _make_measure(build, node, f"{key}.{number}" if key else number, number, _heading(task), seg_lines, units)
    m.text = "\t".join(cells[k] for k in ("task", "target", "deadline") if k in cells)
    for k in ("task", "target"):
        if k in cells:
            build.segments.append(_Segment(cells[k], row.line.origin, m))
    if "deadline" in cells:  # a time field: "长期坚持" there is an ongoing limit
        build.segments.append(_Segment("完成时限:" + cells["deadline"], row.line.origin, m))


def _collect(node: Node, build: _Build, path: list[str], own_labels: dict[int, list[UnitAssignment]]) -> None:
    key = ".".join(path)
    lines, rows = read_tables(node.own_lines)
    labelled = _labelled_of(lines) if node.style != "root" else []
    if labelled:
        own_labels[id(node)] = labelled
    kind = node.effective_kind
    allowed = node.style not in ("root", "attachment", "phase") and measures_allowed(kind)
    if node.style == "plain" and not node.body and node.children:
        allowed = False
    if (kind == "attachment" and not node.children and not node.body and len(node.title) <= 40
            and not any(c in node.title for c in "。;")):
        allowed = False  # "1.X镇创建标准、评分细则": the name of an attached document
    is_leaf = not node.children
    body_text = "".join(ln.text for ln in lines)
    if rows and len(lines) <= 1 and not any(c in body_text for c in "。;"):
        allowed = False  # a bare heading over a task table: the rows are the measures
    # prose roles matter only to a node that may hold a measure and has no label lists
    prose = _prose_of(lines) if allowed and body_text.strip() and not labelled else []
    if prose and not is_leaf:
        # "(二)健全领导体制(县委政法委牵头,县委组织部配合)": units a heading names in
        # prose are the section's, like a label list there, and its items inherit them
        own_labels[id(node)] = prose
    measure = None
    if allowed and body_text.strip() and (is_leaf or labelled or prose):
        hits = _find_points(lines)
        long_points = False
        if hits:
            intro, points = _split_points(lines, hits)
            # a point that is only a title on its own line ("一是强化主导作用。") is part
            # of its measure; a point with text of its own is a task of its own
            labelled_points = sum(1 for _, segs in points if any(label_units(x.text) for x in segs))
            long_points = labelled_points >= 2 or any(
                segs and (len(segs[0].text) > POINT_TITLE_MAX or label_units(segs[0].text)) for _, segs in points)
        if hits and long_points:
            # label lines standing after the last point name the units of the whole
            # item; a label inside a point's own text names that point's units
            # (unless the points each have label lines of their own: then the last
            # label lines are the last point's)
            last_num, last_segs = points[-1]
            trailing = []
            while labelled_points < 2 and len(last_segs) > 1 and label_units(last_segs[-1].text) and \
                    _starts_with_label(last_segs[-1].text):
                trailing.insert(0, last_segs.pop())
            i_lab, i_prose = _units_of(intro + trailing)
            parent_units = i_lab or i_prose
            if parent_units:
                own_labels[id(node)] = i_lab or own_labels.get(id(node), [])
            inherited = [] if parent_units else _inherited_units(node, own_labels)
            parent = None
            if parent_units or (intro and not is_leaf):
                parent = _make_measure(build, node, key, node.number, _heading(node.title), intro + trailing,
                                       parent_units)
            for s in intro + trailing:
                build.segments.append(_Segment(s.text, s.origin, parent))
            carried = ([replace(u, inherited=True, source="heading") for u in parent_units] if parent_units
                       else inherited)
            for num, segs in points:
                if not segs:
                    continue
                p_lab, p_prose = _units_of(segs)
                units = p_lab or p_prose or carried
                pm = _make_measure(build, node, f"{key}.{num}", num, _heading(segs[0].text), segs, units)
                for s in segs:
                    build.segments.append(_Segment(s.text, s.origin, pm))
        else:
            units = labelled or prose or _inherited_units(node, own_labels)
            measure = _make_measure(build, node, key, node.number, _heading(node.title) or _heading(
                node.body[0].text if node.body else ""), lines, units)
            if hits:
                _, points = _split_points(lines, hits)
                last = points[-1][1]
                while len(last) > 1 and _starts_with_label(last[-1].text):
                    last.pop()  # the item's label lines are no part of its last point
                measure.points = [Point(num, "".join(s.text for s in segs), segs[0].origin if segs else None)
                                  for num, segs in points]
            for s in lines:
                build.segments.append(_Segment(s.text, s.origin, measure))
    else:
        for s in lines:
            build.segments.append(_Segment(s.text, s.origin, None, kind))
    for i, row in enumerate(rows, 1):
        _row_measure(build, node, key, i, row)
    for child in node.children:
        _collect(child, build, path + [_node_key(child)], own_labels)



def find_measures(root: Node) -> tuple[list[Measure], list[_Segment]]:
    """The measures of a heading tree, in document order, and the text segments."""
    build = _Build()
    _collect(root, build, [], {})
    return build.measures, build.segments


node_key = _node_key
heading_of = _heading
