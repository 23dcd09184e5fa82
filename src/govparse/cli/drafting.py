"""check and report: a linter for drafters, and a readable HTML page."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import _choice, _emit, _reading, _stdin_for, app

CHECK_FORMATS = ("table", "json")


def _check_plans(paths: list[str], lang: str) -> list:
    """(plan, findings) of every plan of every PLAN argument; an unreadable one ends the command."""
    from ..check import check_path

    results = []
    for path in paths:
        with _reading(path):
            results.extend(check_path(path, lang=lang, stdin=_stdin_for(path)))
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
    from ..check import failed

    _choice("--format", fmt, CHECK_FORMATS)
    _choice("--lang", lang, ("zh", "en"))
    results = _check_plans(paths, lang)
    findings = [f for _, fs in results for f in fs]
    if fmt == "json":
        from ..writers.structured import to_json

        _emit(to_json({"findings": [f.to_dict() for f in findings]}), None, paths)
    else:
        from ..render import print_findings

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
    from ..writers.report_html import report_page

    _choice("--lang", lang, ("zh", "en"))
    results = _check_plans([path], lang)
    _emit(report_page(results, lang=lang), output, [path])
