"""export, query and units: the responsibility list and who owes what."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import GovparseError
from .common import _aliases, _choice, _default_view, _emit, _load_plans, _print_measure_rows, _usage, app
from .corpus import STORE_LEVELS, _by_place, _query_store

EXPORT_FORMATS = ("csv", "xlsx", "json", "md", "ics")
QUERY_FORMATS = ("table", "json", "yaml", "csv")
UNITS_FORMATS = ("table", "json", "csv")
_SUFFIX_FORMATS = {".xlsx": "xlsx", ".json": "json", ".md": "md", ".markdown": "md", ".csv": "csv", ".ics": "ics"}


@app.command()
def export(
    paths: Annotated[list[str], typer.Argument(
        metavar="PLAN...", help="Plan documents (.txt .docx .html) or YAML/JSON files written by extract.")],
    by: Annotated[str, typer.Option("--by", help="One row per measure (任务分工表) or per unit and measure: "
                                                 "measure | unit.")] = "measure",
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="csv | xlsx | json | md | ics "
                                               "(default: from the -o suffix, else csv).")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file "
                                                   "(atomically; never over an input) instead of stdout.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Column headers: zh | en.")] = "zh",
    no_bom: Annotated[bool, typer.Option("--no-bom", help="CSV without the UTF-8 byte order mark.")] = False,
    encoding: Annotated[str, typer.Option("--encoding", help="CSV encoding: utf-8 | gb18030 "
                                                             "(gb18030 has no BOM).")] = "utf-8",
    unit: Annotated[Optional[str], typer.Option("--unit", help="ics: only deadlines of measures this unit "
                                                "leads or supports (公安局 matches 市公安局).")] = None,
) -> None:
    """Export the responsibility list (牵头/配合 units, deadlines, targets) as CSV, XLSX, JSON or Markdown."""
    from ..output import safe_stem
    from ..responsibility import measure_rows, rows_as_dicts, unit_rows
    from ..writers import table

    _choice("--by", by, ("measure", "unit"))
    _choice("--lang", lang, ("zh", "en"))
    enc = _choice("--encoding", encoding.lower().replace("_", "-"), ("utf-8", "utf8", "gb18030"))
    if fmt is None:
        fmt = _SUFFIX_FORMATS.get(output.suffix.lower(), "csv") if output is not None else "csv"
    _choice("--format", fmt, EXPORT_FORMATS)
    if fmt == "xlsx" and output is None:
        raise _usage("--format xlsx needs -o FILE")
    if unit is not None and fmt != "ics":
        raise _usage("--unit applies to --format ics only")
    plans = _load_plans(paths)
    if fmt == "ics":
        from ..writers.ics import write_ics

        _emit(write_ics(plans, unit=unit, lang=lang).encode("utf-8"), output, paths)
        return

    def rows(selected):
        if by == "unit":
            return unit_rows(selected, lang, plan_column=len(plans) > 1 and selected is plans)
        return measure_rows(selected, lang, plan_column=len(plans) > 1 and selected is plans)

    headers, body = rows(plans)
    if fmt == "csv":
        data: str | bytes = table.write_csv(headers, body, bom=not no_bom, encoding=enc)
    elif fmt == "md":
        data = table.write_markdown(headers, body)
    elif fmt == "json":
        from ..writers.structured import to_json

        data = to_json({"rows": rows_as_dicts(headers, body)})
    else:
        view = {("measure", "zh"): "任务分工", ("unit", "zh"): "单位清单",
                ("measure", "en"): "Tasks", ("unit", "en"): "Units"}[by, lang]
        sheets = [("全部" if lang == "zh" else "All", headers, body)] if len(plans) > 1 else [(view, headers, body)]
        if len(plans) > 1:
            sheets += [(safe_stem(p.source.path), *rows([p])) for p in plans]
        data = table.write_xlsx(sheets)
    _emit(data, output, paths)


@app.command()
def query(
    paths: Annotated[Optional[list[str]], typer.Argument(
        metavar="PLAN...", help="Plan documents (.txt .docx .html) or YAML/JSON files written by extract "
                                "(with --db: only plans stored at or under these paths).")] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", help="Measures naming this unit "
                                                "(公安局 matches 市公安局 and 县公安局).")] = None,
    role: Annotated[Optional[str], typer.Option("--role", help="lead | support: the role the unit has "
                                                "(without --unit: measures with any unit of that role).")] = None,
    due_before: Annotated[Optional[str], typer.Option("--due-before", metavar="DATE",
                                                      help="Due (完成时限) on or before YYYY-MM-DD.")] = None,
    due_after: Annotated[Optional[str], typer.Option("--due-after", metavar="DATE",
                                                     help="Due (完成时限) on or after YYYY-MM-DD.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="A resolved deadline has passed and the text "
                                          "does not say it is done (已完成).")] = False,
    text: Annotated[Optional[str], typer.Option("--text", metavar="WORD",
                                                help="WORD in the measure's heading or text.")] = None,
    has_target: Annotated[bool, typer.Option("--has-target", help="Measures with a quantitative target.")] = False,
    section: Annotated[Optional[str], typer.Option("--section", metavar="KIND", help="Measures of this "
                                                   "section kind: tasks, safeguards, attachment, standards ...")] = None,
    no_lead: Annotated[bool, typer.Option("--no-lead", help="Measures with no lead unit.")] = False,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="table | json | yaml | csv "
                                               "(default: table on a terminal, else json).")] = None,
    aliases: Annotated[Optional[Path], typer.Option("--aliases", metavar="FILE",
                                                    help="YAML file of unit aliases (canonical: [names]).")] = None,
    db: Annotated[Optional[Path], typer.Option("--db", metavar="STORE", help="Answer from this store "
                                               "(govparse index); PLAN arguments are then optional.")] = None,
    region: Annotated[Optional[str], typer.Option("--region", metavar="TEXT",
                                                  help="Plans whose region contains TEXT (保定 matches 保定市).")] = None,
    level: Annotated[Optional[str], typer.Option("--level", help="Plans of this level: 省 | 市 | 县 | 镇.")] = None,
) -> None:
    """Find measures by unit, role, deadline, text, target or section (filters combine with AND)."""
    from ..responsibility import filter_measures, measure_dict, measure_rows, parse_day

    view = _default_view(fmt, QUERY_FORMATS)
    if role is not None:
        _choice("--role", role, ("lead", "support"))
    try:
        before, after = parse_day(due_before, "--due-before"), parse_day(due_after, "--due-after")
    except GovparseError as e:
        raise _usage(str(e))
    alias_map = _aliases(aliases)
    if level is not None:
        _choice("--level", level, STORE_LEVELS)
    if db is not None:
        return _query_store(db, paths or [], view, alias_map, region, level, dict(
            unit=unit, role=role, due_before=before, due_after=after, overdue=overdue, text=text,
            has_target=has_target, section=section, no_lead=no_lead))
    if not paths:
        raise _usage("missing PLAN... (or --db STORE)")
    plans = _by_place(_load_plans(paths), region, level)
    matches = filter_measures(plans, unit=unit, role=role, due_before=before, due_after=after,
                              overdue=overdue, text=text, has_target=has_target, section=section,
                              no_lead=no_lead, aliases=alias_map)
    if view in ("json", "yaml"):
        from ..writers.structured import to_json, to_yaml

        data = {"measures": [measure_dict(p, m) for p, m in matches]}
        _emit(to_json(data) if view == "json" else to_yaml(data), None, paths)
        return
    headers, rows = measure_rows(plans, matches=matches)
    _print_measure_rows(headers, rows, view, paths, f"{len(rows)} measures")


@app.command()
def units(
    paths: Annotated[list[str], typer.Argument(
        metavar="PLAN...", help="Plan documents (.txt .docx .html) or YAML/JSON files written by extract.")],
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="table | json | csv "
                                               "(default: table on a terminal, else json).")] = None,
    aliases: Annotated[Optional[Path], typer.Option("--aliases", metavar="FILE",
                                                    help="YAML file of unit aliases (canonical: [names]).")] = None,
) -> None:
    """List every unit with how many measures it leads and supports, busiest first."""
    from ..responsibility import unit_count_rows, unit_counts

    view = _default_view(fmt, UNITS_FORMATS)
    alias_map = _aliases(aliases)
    counts = unit_counts(_load_plans(paths), alias_map)
    if view == "json":
        from ..writers.structured import to_json

        _emit(to_json({"units": counts}), None, paths)
        return
    headers, rows = unit_count_rows(counts)
    if view == "csv":
        from ..writers.table import write_csv

        _emit(write_csv(headers, rows), None, paths)
        return
    from ..render import print_table

    print_table(headers, rows, title=f"{len(rows)} units")
