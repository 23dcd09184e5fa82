"""Self-contained HTML pages: one file, no scripts, nothing loaded from anywhere.

``page(title, body_html)`` wraps a body in a document with a restrictive
Content-Security-Policy (``CSP``: no scripts, no fetches, styles inline only,
images only as data: URLs), inline CSS with print styles, and a generator tag by
which ``govparse compare`` knows its own pages when it walks a folder.

Every piece of document text goes through ``esc`` (``html.escape`` with quotes),
so a plan that contains ``<script>`` shows it as text.  Builders of pages write
markup only from constants and ``esc``-aped values.

``diff_page`` and ``compare_page`` render the results of
``govparse.compare.diff_plans`` and ``compare_digests``.
"""
from __future__ import annotations

import difflib
import html
from typing import Any, Iterable, Sequence

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
GENERATOR = "govparse"

BASE_CSS = """
:root { --fg: #1f2328; --muted: #656d76; --line: #d0d7de; --del: #ffebe9; --del-strong: #ffc1bc;
  --ins: #dafbe1; --ins-strong: #abf2bc; --chg: #fff8c5; --head: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1400px; padding: 16px 24px; color: var(--fg); line-height: 1.55;
  font: 14px/1.55 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 24px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
p.meta, .muted { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: 6px 8px; vertical-align: top; text-align: left; }
th { background: var(--head); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.id { color: var(--muted); font-size: 12px; margin-right: 6px; }
.heading { font-weight: 600; }
.text { white-space: pre-wrap; word-break: break-all; font-size: 13px; margin-top: 4px; }
del { background: var(--del-strong); text-decoration: line-through; }
ins { background: var(--ins-strong); text-decoration: none; }
tr.removed td.side-a, td.removed { background: var(--del); }
tr.added td.side-b, td.added { background: var(--ins); }
tr.changed td.changes { background: var(--chg); }
ul.changes { margin: 0; padding-left: 16px; }
.tag { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px; background: var(--head);
  border: 1px solid var(--line); margin-right: 4px; }
.up { color: #1a7f37; font-weight: 600; } .down { color: #cf222e; font-weight: 600; }
dl.summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 4px 16px;
  margin: 8px 0; }
dl.summary div { border-left: 3px solid var(--line); padding-left: 8px; }
dl.summary dt { color: var(--muted); font-size: 12px; } dl.summary dd { margin: 0; font-size: 16px; font-weight: 600; }
table.matrix td { padding: 2px 4px; font-size: 11px; text-align: center; min-width: 34px; }
table.matrix th { font-size: 11px; padding: 2px 4px; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  tr, dl.summary div { break-inside: avoid; }
  thead { display: table-header-group; }
  del, ins, tr.removed td.side-a, tr.added td.side-b, td.removed, td.added, tr.changed td.changes, table.matrix td {
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def esc(value: Any) -> str:
    """Text as HTML: ``& < > " '`` escaped; None is empty."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


def page(title: str, body_html: str, *, css: str = "", lang: str = "zh-CN") -> str:
    """A complete, self-contained HTML document around ``body_html`` (already markup).

    ``title`` is text (escaped here); ``css`` is extra CSS from the caller's constants.
    """
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f'<meta name="generator" content="{GENERATOR}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{BASE_CSS}{css}</style>\n</head>\n"
        f"<body>\n{body_html}\n</body>\n</html>\n"
    )


def _number(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, list):
        return "–".join(_number(x) for x in v)
    return "xx" if v is None else str(v)


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.0f}%"


def _summary(items: Iterable[tuple[str, Any]]) -> str:
    cells = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in items)
    return f'<dl class="summary">{cells}</dl>'


# --------------------------------------------------------------------------- diff


MARK_MAX_WORK = 4_000_000  # characters of A times characters of B


def _marked(a: str, b: str) -> tuple[str, str]:
    """``a`` and ``b`` as HTML with the characters only in ``a`` in <del>, only in ``b`` in <ins>
    (texts too long to compare quickly are shown unmarked)."""
    if len(a) * len(b) > MARK_MAX_WORK:
        return esc(a), esc(b)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out_a, out_b = [], []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out_a.append(esc(a[i1:i2]))
            out_b.append(esc(b[j1:j2]))
            continue
        if i2 > i1:
            out_a.append(f"<del>{esc(a[i1:i2])}</del>")
        if j2 > j1:
            out_b.append(f"<ins>{esc(b[j1:j2])}</ins>")
    return "".join(out_a), "".join(out_b)


def _target_text(t: dict | None) -> str:
    if not t:
        return "—"
    return f"{t.get('metric') or ''} {t.get('op') or ''} {_number(t.get('value'))}{t.get('unit') or ''}".strip()


_DIRECTION = {"raised": ("↑ 提高", "up"), "lowered": ("↓ 降低", "down"), "earlier": ("提前", "up"),
              "later": ("推迟", "down"), "added": ("新增", ""), "removed": ("删除", ""), "changed": ("改变", "")}
_FIELD = {"targets": "目标", "deadlines": "时限", "lead": "牵头单位", "support": "配合单位", "text": "文字"}


def _direction(d: str | None) -> str:
    if not d:
        return ""
    label, cls = _DIRECTION.get(d, (d, ""))
    return f' <span class="{cls}">{esc(label)}</span>' if cls else f" <span>{esc(label)}</span>"


def change_text(c: dict) -> str:
    """One change as plain text (no markup): for tables and tests."""
    f = c["field"]
    if f == "targets":
        return f"{_target_text(c['a'])} → {_target_text(c['b'])}"
    if f == "deadlines":
        return f"{'、'.join(c['a']) or '—'} → {'、'.join(c['b']) or '—'}"
    if f in ("lead", "support"):
        parts = []
        if c.get("removed"):
            parts.append("− " + "、".join(c["removed"]))
        if c.get("added"):
            parts.append("+ " + "、".join(c["added"]))
        return "; ".join(parts)
    if f == "text":
        return f"wording similarity {c.get('similarity')}"
    return f"{c.get('a')} → {c.get('b')}"


def _change_item(c: dict) -> str:
    label = _FIELD.get(c["field"], c["field"])
    if c["field"] == "text":
        body = f"措辞相似度 {esc(c.get('similarity'))}"
    else:
        body = esc(change_text(c))
    return f'<li><span class="tag">{esc(label)}</span>{body}{_direction(c.get("direction"))}</li>'


def _measure_cell(ref: dict | None, side: str, text_html: str | None = None) -> str:
    if ref is None:
        return f'<td class="side-{side}"><span class="muted">—</span></td>'
    text = text_html if text_html is not None else esc(ref.get("text"))
    return (f'<td class="side-{side}"><span class="id">{esc(ref.get("id"))}</span>'
            f'<span class="heading">{esc(ref.get("heading"))}</span><div class="text">{text}</div></td>')


def _diff_rows(result: dict, order_a: Sequence[str] | None, order_b: Sequence[str] | None):
    """Rows (kind, a, b, matched entry): A's measures in A's order (``order_a``: the ids of
    plan A), each measure only in B after the row of the B measure before it
    (``order_b``).  Without the orders: matched, then only in A, then only in B."""
    by_a = {m["a"]["id"]: m for m in result["matched"]}
    only_a = {m["id"]: m for m in result["only_a"]}
    ids_a = [i for i in (order_a or []) if i in by_a or i in only_a] or [*by_a, *only_a]
    rows = []
    for aid in ids_a:
        if aid in by_a:
            m = by_a[aid]
            rows.append(("changed" if m["changes"] else "same", m["a"], m["b"], m))
        else:
            rows.append(("removed", only_a[aid], None, None))
    only_b = {m["id"]: m for m in result["only_b"]}
    pending: dict[str | None, list[dict]] = {}
    if order_b:
        prev: str | None = None
        for bid in order_b:
            if bid in only_b:
                pending.setdefault(prev, []).append(only_b.pop(bid))
            else:
                prev = bid
    out = [("added", None, m, None) for m in pending.get(None, [])]
    for row in rows:
        out.append(row)
        if row[2] is not None:
            out.extend(("added", None, m, None) for m in pending.get(row[2]["id"], []))
    out.extend(("added", None, m, None) for m in only_b.values())  # any not placed
    return out


def diff_page(result: dict, order_a: Sequence[str] | None = None, order_b: Sequence[str] | None = None) -> str:
    """The HTML page of a ``diff_plans`` result: the two plans side by side, matched
    measures on one row, measures only in one plan on a row of their own, changes
    listed between them and changed wording marked character by character.
    ``order_a`` / ``order_b``: the measure ids of each plan in document order."""
    a, b, s = result["a"], result["b"], result["summary"]
    ta = a.get("title") or a.get("path") or "A"
    tb = b.get("title") or b.get("path") or "B"
    parts = [f"<h1>方案对比</h1><p class=\"meta\">A: {esc(ta)} ({esc(a.get('path'))})<br>"
             f"B: {esc(tb)} ({esc(b.get('path'))})</p>"]
    parts.append(_summary([
        ("A 的措施 / B 的措施", f"{s['measures_a']} / {s['measures_b']}"),
        ("保留 (A 中见于 B)", f"{s['matched']} ({_pct(s.get('kept_share'))})"),
        ("仅在 A / 仅在 B", f"{s['only_a']} / {s['only_b']}"),
        ("有变化的措施", s["changed"]),
        ("顺序调整", s.get("moved", 0)),
        ("目标 提高 / 降低", f"{s['targets_raised']} / {s['targets_lowered']}"),
        ("目标 新增 / 删除", f"{s['targets_added']} / {s['targets_removed']}"),
        ("时限 提前 / 推迟", f"{s['deadlines_earlier']} / {s['deadlines_later']}"),
        ("牵头 / 配合单位变化", f"{s['lead_changed']} / {s['support_changed']}"),
        ("措辞明显不同", s["text_changed"]),
        ("A 文字逐字见于 B", _pct(s.get("verbatim_a_in_b"))),
        ("B 文字逐字见于 A", _pct(s.get("verbatim_b_in_a"))),
    ]))
    parts.append(f'<p class="muted">{esc(s.get("targets_note", ""))}. Similarity threshold '
                 f'{esc(s.get("threshold"))}.</p>')
    rows = []
    for kind, ra, rb, m in _diff_rows(result, order_a, order_b):
        text_a = text_b = None
        changes = ""
        sim = ""
        if m is not None:
            sim = f"{m['similarity']:.2f}"
            if m["changes"] and ra.get("text") != rb.get("text"):
                text_a, text_b = _marked(ra.get("text") or "", rb.get("text") or "")
            if m["changes"]:
                changes = '<ul class="changes">' + "".join(_change_item(c) for c in m["changes"]) + "</ul>"
        elif kind == "removed":
            changes = '<span class="tag">仅在 A</span>'
        elif kind == "added":
            changes = '<span class="tag">仅在 B</span>'
        rows.append(f'<tr class="{kind}">{_measure_cell(ra, "a", text_a)}'
                    f'<td class="num">{esc(sim)}</td><td class="changes">{changes}</td>'
                    f'{_measure_cell(rb, "b", text_b)}</tr>')
    parts.append('<h2>措施对照</h2><table><thead><tr><th style="width:38%">A: '
                 f'{esc(ta)}</th><th class="num">相似度</th><th style="width:18%">变化</th>'
                 f'<th style="width:38%">B: {esc(tb)}</th></tr></thead><tbody>' + "".join(rows)
                 + "</tbody></table>")
    return page(f"方案对比: {ta} ↔ {tb}", "\n".join(parts))


# --------------------------------------------------------------------------- compare

MATRIX_MAX = 60  # plans beyond this get no matrix on the page (the JSON and CSV have it)
COMMON_MAX = 100


def _name(p: dict) -> str:
    return p.get("title") or p.get("path") or f"#{p.get('index')}"


def _heat(v: float) -> str:
    """An inline background for a similarity cell (values from our own computation)."""
    alpha = max(0.0, min(1.0, float(v)))
    return f' style="background: rgba(31, 111, 235, {alpha * 0.8:.2f});{" color: #fff;" if alpha > 0.6 else ""}"'


def compare_page(result: dict) -> str:
    """The HTML page of a ``compare_digests`` result: plans with their nearest neighbour,
    the common core of measures, the most similar pairs and (for up to MATRIX_MAX
    plans) the similarity matrix."""
    plans: Sequence[dict] = result["plans"]
    n = len(plans)
    st = result.get("settings", {})
    parts = [f"<h1>方案比较: {n} 份方案</h1>",
             f'<p class="meta">{esc(st.get("measures"))} measures in {esc(st.get("clusters"))} clusters; '
             f'similarity threshold {esc(st.get("threshold"))}; verbatim = shared character '
             f'{esc(st.get("verbatim_ngram"))}-grams (sample {esc(st.get("verbatim_sample"))}).</p>']
    rows = []
    for p in plans:
        nb = p.get("nearest")
        near = f'{nb["plan"] + 1}. {esc(_name(plans[nb["plan"]]))}' if nb else '<span class="muted">—</span>'
        sim = f"{nb['similarity']:.2f}" if nb else ""
        rows.append(
            f"<tr><td class=\"num\">{p['index'] + 1}</td><td><span class=\"heading\">{esc(_name(p))}</span>"
            f"<div class=\"muted\">{esc(p.get('path'))}</div></td><td class=\"num\">{esc(p.get('measures'))}</td>"
            f"<td>{near}</td><td class=\"num\">{sim}</td>"
            f"<td class=\"num\">{_pct(nb['found_share']) if nb else ''}</td>"
            f"<td class=\"num\">{_pct(nb['verbatim_share']) if nb else ''}</td>"
            f"<td class=\"num\">{esc(p.get('unique_measures'))}</td></tr>")
    parts.append("<h2>各方案及其最相近的方案</h2><table><thead><tr><th class=\"num\">#</th><th>方案</th>"
                 "<th class=\"num\">措施</th><th>最相近</th><th class=\"num\">相似度</th>"
                 "<th class=\"num\">措施见于该方案</th><th class=\"num\">文字逐字见于该方案</th>"
                 "<th class=\"num\">独有措施</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")

    common = result.get("common", [])
    crow = []
    for c in common[:COMMON_MAX]:
        crow.append(f"<tr><td class=\"num\">{esc(c['cluster'])}</td><td><span class=\"heading\">"
                    f"{esc(c['heading'])}</span><div class=\"text\">{esc(c.get('text'))}</div></td>"
                    f"<td class=\"num\">{esc(c['plans'])}</td><td class=\"num\">{_pct(c['share'])}</td></tr>")
    more = f'<p class="muted">… and {len(common) - COMMON_MAX} more clusters (see the JSON).</p>' \
        if len(common) > COMMON_MAX else ""
    parts.append("<h2>共同措施 (见于多份方案)</h2><table><thead><tr><th class=\"num\">#</th><th>措施</th>"
                 "<th class=\"num\">方案数</th><th class=\"num\">占比</th></tr></thead><tbody>"
                 + "".join(crow) + f"</tbody></table>{more}")
    parts.append(f'<p class="muted">{len(result.get("unique", []))} measures appear in one plan only.</p>')

    prow = []
    for r in result.get("pairs", []):
        prow.append(f"<tr><td>{esc(_name(plans[r['a']]))}</td><td>{esc(_name(plans[r['b']]))}</td>"
                    f"<td class=\"num\">{r['similarity']:.2f}</td><td class=\"num\">{_pct(r['found_a_in_b'])} / "
                    f"{_pct(r['found_b_in_a'])}</td><td class=\"num\">{_pct(r['verbatim_a_in_b'])} / "
                    f"{_pct(r['verbatim_b_in_a'])}</td></tr>")
    parts.append("<h2>最相近的方案对</h2><table><thead><tr><th>A</th><th>B</th><th class=\"num\">相似度</th>"
                 "<th class=\"num\">措施互见 A→B / B→A</th><th class=\"num\">逐字 A→B / B→A</th></tr></thead>"
                 "<tbody>" + "".join(prow) + "</tbody></table>")

    if 0 < n <= MATRIX_MAX:
        head = "".join(f'<th class="num">{i + 1}</th>' for i in range(n))
        body = []
        for i, row in enumerate(result["matrix"]):
            cells = "".join(f"<td{_heat(v)}>{v:.2f}</td>" for v in row)
            body.append(f'<tr><th class="num">{i + 1}</th>{cells}</tr>')
        parts.append(f"<h2>相似度矩阵</h2><table class=\"matrix\"><thead><tr><th></th>{head}</tr></thead>"
                     f"<tbody>{''.join(body)}</tbody></table>")
    return page(f"方案比较: {n} 份方案", "\n".join(parts))
