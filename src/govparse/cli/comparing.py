"""diff and compare: what one plan changed of another, and many plans side by side."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import _aliases, _default_view, _emit, _err, _load_plans, _usage, app

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
    from ..compare import DEFAULT_THRESHOLD, diff_plans

    result = diff_plans(plans[0], plans[1], threshold=threshold or DEFAULT_THRESHOLD, aliases=alias_map)
    if view in ("json", "yaml"):
        from ..writers.structured import to_json, to_yaml

        data = to_json(result) if view == "json" else to_yaml(result)
    elif view == "html":
        from ..writers.html import diff_page

        data = diff_page(result, [m.id for m in plans[0].measures], [m.id for m in plans[1].measures])
    else:
        from ..render import print_diff

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

    from ..compare import DEFAULT_THRESHOLD, collect_paths, compare_files

    if sys.stderr.isatty():
        from ..render import count_progress

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
        from ..writers.structured import to_json

        data: str | bytes = to_json(result)
    elif view == "csv":
        from ..compare import all_pairs
        from ..writers.table import write_csv

        plans = result["plans"]
        headers = ["plan_a", "plan_b", "similarity", "found_a_in_b", "found_b_in_a",
                   "verbatim_a_in_b", "verbatim_b_in_a", "title_a", "title_b"]
        rows = [[plans[r["a"]]["path"], plans[r["b"]]["path"], r["similarity"], r["found_a_in_b"],
                 r["found_b_in_a"], r["verbatim_a_in_b"], r["verbatim_b_in_a"],
                 plans[r["a"]]["title"], plans[r["b"]]["title"]] for r in all_pairs(result)]
        data = write_csv(headers, rows)
    elif view == "html":
        from ..writers.html import compare_page

        data = compare_page(result)
    else:
        from ..render import print_compare

        if output is None:
            print_compare(result)
        else:
            _emit(_table_text(print_compare, result), output, collect_paths(paths)[0])
        data = None
    if data is not None:
        _emit(data, output, collect_paths(paths)[0])
    if errors:
        raise typer.Exit(1)
