"""The command line: parse arguments, call the library, print; nothing else.

Exit codes: 0 all inputs done, 1 some input failed (bad data), 2 usage error.
stdout carries data (YAML/JSON); messages for people go to stderr.
"""
from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .errors import GovparseError, OutputError

app = typer.Typer(
    name="govparse",
    help="Structure Chinese local-government policy plans into checkable responsibility lists.",
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class StructuredFormat(str, Enum):
    yaml = "yaml"
    json = "json"


def _err(msg: str) -> None:
    sys.stderr.write(f"govparse: error: {msg}\n")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"govparse {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True,
                                                    help="Show the version and exit.")] = None,
) -> None:
    """govparse reads 实施方案, 工作方案, 实施意见, 行动计划 and 责任清单 (txt, docx, html)."""


class _OverBudget(Exception):
    """Raised by the alarm when one file takes longer than its time budget."""


def _on_alarm(signum, frame):  # pragma: no cover - signal handler
    raise _OverBudget()


def _extract_one(path: str, fmt: str, timeout: float = 0,
                 max_bytes: int | None = None) -> tuple[str, str | None, str | None]:
    """Worker: (path, serialized plan or None, error message or None).

    ``timeout`` seconds is the file's time budget (0: none), so that one hostile
    file cannot stall a batch; it is enforced with SIGALRM where the OS has it.
    """
    import signal

    from .build import parse_file
    from .read import MAX_INPUT_BYTES
    from .writers.structured import to_json, to_yaml

    alarm = bool(timeout) and hasattr(signal, "setitimer")
    if alarm:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        plan = parse_file(path, stdin=sys.stdin.buffer if path == "-" else None,
                          max_bytes=max_bytes or MAX_INPUT_BYTES)
        data = plan.to_dict()
        return path, (to_json(data) if fmt == "json" else to_yaml(data)), None
    except GovparseError as e:
        return path, None, str(e)
    except _OverBudget:
        return path, None, f"{path}: took longer than {timeout:g} s; skipped (raise --timeout to allow more)"
    except RecursionError:
        return path, None, f"{path}: document too deeply nested to read"
    except MemoryError:
        return path, None, f"{path}: document too large to hold in memory"
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _run_many(paths: list[str], fmt: str, jobs: int, timeout: float = 0, max_bytes: int | None = None):
    n = len(paths)
    if jobs <= 1 or n <= 1 or "-" in paths:
        for p in paths:
            yield _extract_one(p, fmt, timeout, max_bytes)
        return
    from concurrent.futures import ProcessPoolExecutor

    from . import build, writers  # noqa: F401  imported once here, inherited by forked workers

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_extract_one, paths, [fmt] * n, [timeout] * n, [max_bytes] * n, chunksize=4)


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Plan files (.txt .docx .html .pdf), or - for standard input.")],
    fmt: Annotated[StructuredFormat, typer.Option("--format", "-f", help="Output format.")] = StructuredFormat.yaml,
    out_dir: Annotated[Optional[Path], typer.Option("--out-dir", "-o",
                                                    help="Write one NAME.yaml (or .json) per input here.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes for many inputs (default: cores).")] = 0,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds one file may take before it is skipped "
                                                             "(0: no limit).")] = 120,
    max_size: Annotated[int, typer.Option("--max-size", help="Largest input accepted, in MB.")] = 200,
) -> None:
    """Extract each plan into structured YAML (or JSON): measures, units, deadlines, targets."""
    jobs = jobs or (os.cpu_count() or 1)
    if timeout < 0 or max_size <= 0:
        _err("--timeout must be >= 0 and --max-size > 0")
        raise typer.Exit(2)
    failed = 0
    if out_dir is not None:
        if out_dir.exists() and not out_dir.is_dir():
            _err(f"{out_dir}: not a folder")
            raise typer.Exit(2)
        out_dir.mkdir(parents=True, exist_ok=True)
    from .output import safe_stem, write_atomic

    used: set[str] = set()
    results = []
    for path, text, error in _run_many(paths, fmt.value, jobs, timeout, max_size * 1024 * 1024):
        if error:
            _err(error)
            failed += 1
            continue
        if out_dir is None:
            results.append(text)
            continue
        stem = safe_stem("stdin" if path == "-" else path)
        name, n = stem, 2
        while name in used:
            name, n = f"{stem}-{n}", n + 1
        used.add(name)
        try:
            write_atomic(out_dir / f"{name}.{fmt.value}", text, inputs=paths, within=out_dir)
        except OutputError as e:
            _err(str(e))
            failed += 1
    if results:
        if fmt is StructuredFormat.json and len(results) > 1:
            sys.stdout.write("[\n" + ",\n".join(r.rstrip() for r in results) + "\n]\n")
        else:
            sys.stdout.write("---\n".join(results) if fmt is StructuredFormat.yaml else "".join(results))
    if failed:
        raise typer.Exit(1)


@app.command()
def show(
    path: Annotated[str, typer.Argument(help="A plan file, or - for standard input.")],
) -> None:
    """Print a plan as a tree of sections and measures with their units, deadlines and targets."""
    from .build import parse_file
    from .render import plan_tree

    try:
        plan = parse_file(path, stdin=sys.stdin.buffer if path == "-" else None)
    except GovparseError as e:
        _err(str(e))
        raise typer.Exit(1)
    plan_tree(plan)


# ---------------------------------------------------------------------------------------------
# responsibility lists: export, query, units

EXPORT_FORMATS = ("csv", "xlsx", "json", "md", "ics")
QUERY_FORMATS = ("table", "json", "yaml", "csv")
UNITS_FORMATS = ("table", "json", "csv")
_SUFFIX_FORMATS = {".xlsx": "xlsx", ".json": "json", ".md": "md", ".markdown": "md", ".csv": "csv", ".ics": "ics"}


def _usage(msg: str) -> typer.Exit:
    _err(msg)
    return typer.Exit(2)


def _choice(option: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise _usage(f"{option}: unknown value {value!r} (choose from {', '.join(choices)})")
    return value


def _load_plans(paths: list[str]) -> list:
    """Every plan of every PLAN argument; the first unreadable one ends the command (exit 1)."""
    from .planio import load_plans

    plans = []
    for path in paths:
        try:
            plans.extend(load_plans(path, stdin=sys.stdin.buffer if path == "-" else None))
        except GovparseError as e:
            _err(str(e))
            raise typer.Exit(e.exit_code)
        except RecursionError:
            _err(f"{path}: document too deeply nested to read")
            raise typer.Exit(1)
        except MemoryError:
            _err(f"{path}: document too large to hold in memory")
            raise typer.Exit(1)
    return plans


def _aliases(path: Optional[Path]) -> Optional[dict]:
    if path is None:
        return None
    from .canon import load_aliases

    try:
        return load_aliases(path)
    except GovparseError as e:
        _err(str(e))
        raise typer.Exit(e.exit_code)


def _emit(data: str | bytes, output: Optional[Path], inputs: list[str]) -> None:
    """Write to ``output`` atomically (never over an input), or to stdout."""
    if output is None:
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
        return
    from .output import write_atomic

    try:
        write_atomic(output, data, inputs=inputs)
    except GovparseError as e:
        _err(str(e))
        raise typer.Exit(1)


def _default_view(fmt: Optional[str], choices: tuple[str, ...]) -> str:
    if fmt is None:
        return "table" if sys.stdout.isatty() else "json"
    return _choice("--format", fmt, choices)


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
    from .output import safe_stem
    from .responsibility import measure_rows, rows_as_dicts, unit_rows
    from .writers import table

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
        from .writers.ics import write_ics

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
        from .writers.structured import to_json

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
    from .responsibility import filter_measures, measure_dict, measure_rows, parse_day

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
        from .writers.structured import to_json, to_yaml

        data = {"measures": [measure_dict(p, m) for p, m in matches]}
        _emit(to_json(data) if view == "json" else to_yaml(data), None, paths)
        return
    headers, rows = measure_rows(plans, matches=matches)
    if view == "csv":
        from .writers.table import write_csv

        _emit(write_csv(headers, rows), None, paths)
        return
    from .render import print_table

    keep = [i for i, h in enumerate(headers) if h not in ("来源", "章节", "时限原文")]
    print_table([headers[i] for i in keep], [[r[i] for i in keep] for r in rows],
                title=f"{len(rows)} measures")


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
    from .responsibility import unit_count_rows, unit_counts

    view = _default_view(fmt, UNITS_FORMATS)
    alias_map = _aliases(aliases)
    counts = unit_counts(_load_plans(paths), alias_map)
    if view == "json":
        from .writers.structured import to_json

        _emit(to_json({"units": counts}), None, paths)
        return
    headers, rows = unit_count_rows(counts)
    if view == "csv":
        from .writers.table import write_csv

        _emit(write_csv(headers, rows), None, paths)
        return
    from .render import print_table

    print_table(headers, rows, title=f"{len(rows)} units")

# ---------------------------------------------------------------------------------------------
# check and report: a linter for drafters, a readable HTML page

CHECK_FORMATS = ("table", "json")


def _check_plans(paths: list[str], lang: str) -> list:
    """(plan, findings) of every plan of every PLAN argument; an unreadable one ends the command."""
    from .check import check_path

    results = []
    for path in paths:
        try:
            results.extend(check_path(path, lang=lang, stdin=sys.stdin.buffer if path == "-" else None))
        except GovparseError as e:
            _err(str(e))
            raise typer.Exit(e.exit_code)
        except RecursionError:
            _err(f"{path}: document too deeply nested to read")
            raise typer.Exit(1)
        except MemoryError:
            _err(f"{path}: document too large to hold in memory")
            raise typer.Exit(1)
    return results


@app.command()
def check(
    paths: Annotated[list[str], typer.Argument(
        metavar="PLAN...", help="Plan documents (.txt .docx .html) or YAML/JSON files written by extract.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | json.")] = "table",
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")] = False,
    lang: Annotated[str, typer.Option("--lang", help="Messages: zh | en.")] = "zh",
) -> None:
    """Lint plans for their drafters: missing lead units, deadlines, placeholders, numbering.

    Exit 0 when no finding is an error (with --strict: no error and no warning), 1 otherwise.
    """
    from .check import failed

    _choice("--format", fmt, CHECK_FORMATS)
    _choice("--lang", lang, ("zh", "en"))
    results = _check_plans(paths, lang)
    findings = [f for _, fs in results for f in fs]
    if fmt == "json":
        from .writers.structured import to_json

        _emit(to_json({"findings": [f.to_dict() for f in findings]}), None, paths)
    else:
        from .render import print_findings

        print_findings(findings, lang, multi=len(results) > 1)
    if failed(findings, strict):
        raise typer.Exit(1)


@app.command()
def report(
    path: Annotated[str, typer.Argument(metavar="PLAN", help="A plan document or a YAML/JSON file of extract.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the page to this file "
                                                   "(atomically; never over an input) instead of stdout.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Page labels and findings: zh | en.")] = "zh",
) -> None:
    """A self-contained HTML page of a plan: outline, responsibility matrix, timeline, targets, findings."""
    from .writers.report_html import report_page

    _choice("--lang", lang, ("zh", "en"))
    results = _check_plans([path], lang)
    _emit(report_page(results, lang=lang), output, [path])


# ---------------------------------------------------------------------------------------------
# the corpus store: index, stats, query --db

STORE_LEVELS = ("省", "市", "县", "镇")
STATS_FORMATS = ("table", "csv", "json")


def _open_store(db: Path, create: bool = False):
    from .store import open_store

    try:
        return open_store(db, create=create)
    except GovparseError as e:
        _err(str(e))
        raise typer.Exit(e.exit_code)


def _by_place(plans: list, region: Optional[str], level: Optional[str]) -> list:
    """The plans whose region contains ``region`` and whose level is ``level``."""
    return [p for p in plans if (not region or region in (p.document.region or ""))
            and (not level or p.document.level == level)]


def _query_store(db: Path, paths: list[str], view: str, alias_map, region, level, criteria: dict) -> None:
    """``query --db``: the same filters and formats, answered from the store."""
    import sqlite3

    store = _open_store(db)
    try:
        result = store.query_measures(**criteria, region=region, level=level, paths=paths or None,
                                      aliases=alias_map)
    except GovparseError as e:
        _err(str(e))
        raise typer.Exit(e.exit_code)
    except sqlite3.Error as e:
        _err(f"{db}: {e}")
        raise typer.Exit(1)
    finally:
        store.close()
    if view in ("json", "yaml"):
        from .writers.structured import to_json, to_yaml

        data = {"measures": result.dicts()}
        _emit(to_json(data) if view == "json" else to_yaml(data), None, [])
        return
    headers, rows = result.rows()
    if view == "csv":
        from .writers.table import write_csv

        _emit(write_csv(headers, rows), None, [])
        return
    from .render import print_table

    keep = [i for i, h in enumerate(headers) if h not in ("来源", "章节", "时限原文")]
    print_table([headers[i] for i in keep], [[r[i] for i in keep] for r in rows],
                title=f"{len(rows)} measures from {len({r[0] for r in rows})} of {result.plans_stored} plans")


@app.command()
def index(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH...", help="Plan files and folders (.txt .docx .html .htm in folders, walked recursively).")],
    db: Annotated[Path, typer.Option("--db", metavar="STORE", help="The SQLite store (made when missing).")],
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (default: all cores).")] = 0,
    prune: Annotated[bool, typer.Option("--prune", help="Also forget stored plans at or under PATH "
                                        "whose files are gone.")] = False,
) -> None:
    """Index plans into a store: extract in parallel, skip unchanged files, replace changed ones.

    Exit 0 when every file is indexed (or unchanged), 1 when some file failed (listed).
    """
    import contextlib
    import sqlite3

    from .corpus import SUFFIXES, index_paths

    if jobs < 0:
        raise _usage("--jobs: must be 0 (all cores) or a positive number")
    if db.suffix.lower() in SUFFIXES or db.suffix.lower() == ".pdf":
        raise _usage(f"--db {db}: that looks like a plan file, not a store")
    with contextlib.ExitStack() as stack:
        progress = None
        if sys.stderr.isatty():
            from .render import index_progress

            progress = stack.enter_context(index_progress())
        try:
            report = index_paths(paths, db, jobs=jobs, prune=prune,
                                 on_total=progress.total if progress else None,
                                 on_done=progress.advance if progress else None)
        except GovparseError as e:
            stack.close()
            _err(str(e))
            raise typer.Exit(e.exit_code)
        except sqlite3.Error as e:
            stack.close()
            _err(f"{db}: {e}")
            raise typer.Exit(1)
    for _, reason in report.failed:
        _err(reason)
    sys.stderr.write(f"govparse: {report.summary()}\n")
    if report.failed:
        raise typer.Exit(1)


@app.command()
def stats(
    db: Annotated[Path, typer.Option("--db", metavar="STORE", help="A store made by govparse index.")],
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="table | csv | json "
                                               "(default: table on a terminal, else json).")] = None,
    top: Annotated[int, typer.Option("--top", help="How many lead units to list (0: all).")] = 20,
) -> None:
    """Plans per region and level, units leading most measures, targets by metric, deadlines by year."""
    import sqlite3

    view = _default_view(fmt, STATS_FORMATS)
    if top < 0:
        raise _usage("--top: must be 0 (all) or a positive number")
    store = _open_store(db)
    try:
        data = store.stats(top=top or None)
    except sqlite3.Error as e:
        _err(f"{db}: {e}")
        raise typer.Exit(1)
    finally:
        store.close()
    if view == "json":
        from .writers.structured import to_json

        _emit(to_json(data), None, [])
    elif view == "csv":
        from .store import stats_rows
        from .writers.table import write_csv

        _emit(write_csv(*stats_rows(data)), None, [])
    else:
        from .render import print_stats

        print_stats(data)


# ---------------------------------------------------------------------------------------------
# comparing plans: diff (two plans, measure by measure) and compare (many plans)

DIFF_FORMATS = ("table", "json", "yaml", "html")
COMPARE_FORMATS = ("table", "csv", "json", "html")
_DIFF_SUFFIXES = {".json": "json", ".yaml": "yaml", ".yml": "yaml", ".html": "html", ".htm": "html",
                  ".txt": "table"}
_COMPARE_SUFFIXES = {".json": "json", ".csv": "csv", ".html": "html", ".htm": "html", ".txt": "table"}


def _output_view(fmt: Optional[str], output: Optional[Path], choices: tuple[str, ...],
                 suffixes: dict[str, str]) -> str:
    """--format, else the -o suffix, else table on a terminal and JSON when piped."""
    if fmt is None and output is not None:
        return suffixes.get(output.suffix.lower(), "json")
    return _default_view(fmt, choices)


def _check_threshold(value: Optional[float]) -> None:
    if value is not None and not 0 < value <= 1:
        raise _usage(f"--threshold: {value} is not more than 0 and at most 1")


def _table_text(printer, result) -> str:
    import io

    buf = io.StringIO()
    printer(result, file=buf)
    return buf.getvalue()


@app.command()
def diff(
    a: Annotated[str, typer.Argument(metavar="A", help="The first plan: a document or a YAML/JSON file of "
                                                      "extract (- for standard input).")],
    b: Annotated[str, typer.Argument(metavar="B", help="The plan to compare it with.")],
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="table | json | yaml | html (default: "
                                               "from the -o suffix, else table on a terminal, else json).")] = None,
    threshold: Annotated[Optional[float], typer.Option("--threshold", metavar="X", help="Least similarity "
                                                       "(0-1) for two measures to be the same one "
                                                       "(default 0.5).")] = None,
    aliases: Annotated[Optional[Path], typer.Option("--aliases", metavar="FILE",
                                                    help="YAML file of unit aliases (canonical: [names]).")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file "
                                                   "(atomically; never over an input) instead of stdout.")] = None,
) -> None:
    """What B changed of A: measures matched by content (not number), with their changed targets,
    deadlines, lead and support units and wording; measures dropped and added."""
    view = _output_view(fmt, output, DIFF_FORMATS, _DIFF_SUFFIXES)
    _check_threshold(threshold)
    if a == "-" and b == "-":
        raise _usage("only one of A and B can be standard input")
    alias_map = _aliases(aliases)
    plans = []
    for path in (a, b):
        found = _load_plans([path])
        if len(found) != 1:
            _err(f"{path}: holds {len(found)} plans; diff compares one plan with one plan")
            raise typer.Exit(1)
        plans.extend(found)
    from .compare import DEFAULT_THRESHOLD, diff_plans

    result = diff_plans(plans[0], plans[1], threshold=threshold or DEFAULT_THRESHOLD, aliases=alias_map)
    if view in ("json", "yaml"):
        from .writers.structured import to_json, to_yaml

        data = to_json(result) if view == "json" else to_yaml(result)
    elif view == "html":
        from .writers.html import diff_page

        data = diff_page(result, [m.id for m in plans[0].measures], [m.id for m in plans[1].measures])
    else:
        from .render import print_diff

        if output is None:
            print_diff(result)
            return
        data = _table_text(print_diff, result)
    _emit(data, output, [a, b])


@app.command()
def compare(
    paths: Annotated[list[str], typer.Argument(
        metavar="PLAN...", help="Plan files, or folders to search for .txt .docx .html .yaml plans.")],
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="table | csv | json | html (default: "
                                               "from the -o suffix, else table on a terminal, else json).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes reading plans "
                                                           "(default: cores).")] = 0,
    threshold: Annotated[Optional[float], typer.Option("--threshold", metavar="X", help="Least similarity "
                                                       "(0-1) for two measures to be the same one "
                                                       "(default 0.5).")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file "
                                                   "(atomically; never over an input) instead of stdout.")] = None,
) -> None:
    """Compare many plans: similarity matrix, each plan's nearest neighbour and the share of its
    measures and text found there, measures most plans share and those only one plan has.

    csv: one row per pair of plans.  Unreadable files are reported and skipped (exit 1).
    """
    view = _output_view(fmt, output, COMPARE_FORMATS, _COMPARE_SUFFIXES)
    _check_threshold(threshold)
    if jobs < 0:
        raise _usage("--jobs: must be 0 (cores) or more")
    if "-" in paths:
        raise _usage("compare reads files and folders, not standard input")
    from contextlib import nullcontext

    from .compare import DEFAULT_THRESHOLD, collect_paths, compare_files

    if sys.stderr.isatty():
        from .render import count_progress

        bar = count_progress("reading plans")
    else:
        bar = nullcontext(None)
    with bar as progress:
        result, errors = compare_files(paths, jobs=jobs or (os.cpu_count() or 1),
                                       threshold=threshold or DEFAULT_THRESHOLD, progress=progress)
    for e in errors:
        _err(e)
    if result is None:
        if not errors:
            raise _usage("compare needs at least two plans")
        _err("fewer than two plans could be read")
        raise typer.Exit(1)
    if view == "json":
        from .writers.structured import to_json

        data: str | bytes = to_json(result)
    elif view == "csv":
        from .compare import all_pairs
        from .writers.table import write_csv

        plans = result["plans"]
        headers = ["plan_a", "plan_b", "similarity", "found_a_in_b", "found_b_in_a",
                   "verbatim_a_in_b", "verbatim_b_in_a", "title_a", "title_b"]
        rows = [[plans[r["a"]]["path"], plans[r["b"]]["path"], r["similarity"], r["found_a_in_b"],
                 r["found_b_in_a"], r["verbatim_a_in_b"], r["verbatim_b_in_a"],
                 plans[r["a"]]["title"], plans[r["b"]]["title"]] for r in all_pairs(result)]
        data = write_csv(headers, rows)
    elif view == "html":
        from .writers.html import compare_page

        data = compare_page(result)
    else:
        from .render import print_compare

        if output is None:
            print_compare(result)
        else:
            _emit(_table_text(print_compare, result), output, collect_paths(paths)[0])
        data = None
    if data is not None:
        _emit(data, output, collect_paths(paths)[0])
    if errors:
        raise typer.Exit(1)


def main() -> None:
    try:
        app()
    except GovparseError as e:  # library errors that escaped a command
        _err(str(e))
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("govparse: interrupted\n")
        sys.exit(130)
