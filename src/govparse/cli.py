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


def _extract_one(path: str, fmt: str) -> tuple[str, str | None, str | None]:
    """Worker: (path, serialized plan or None, error message or None)."""
    from .build import parse_file
    from .writers.structured import to_json, to_yaml

    try:
        plan = parse_file(path, stdin=sys.stdin.buffer if path == "-" else None)
        data = plan.to_dict()
        return path, (to_json(data) if fmt == "json" else to_yaml(data)), None
    except GovparseError as e:
        return path, None, str(e)
    except RecursionError:
        return path, None, f"{path}: document too deeply nested to read"
    except MemoryError:
        return path, None, f"{path}: document too large to hold in memory"


def _run_many(paths: list[str], fmt: str, jobs: int):
    if jobs <= 1 or len(paths) <= 1 or "-" in paths:
        for p in paths:
            yield _extract_one(p, fmt)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_extract_one, paths, [fmt] * len(paths), chunksize=4)


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Plan files (.txt .docx .html), or - for standard input.")],
    fmt: Annotated[StructuredFormat, typer.Option("--format", "-f", help="Output format.")] = StructuredFormat.yaml,
    out_dir: Annotated[Optional[Path], typer.Option("--out-dir", "-o",
                                                    help="Write one NAME.yaml (or .json) per input here.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes for many inputs (default: cores).")] = 0,
) -> None:
    """Extract each plan into structured YAML (or JSON): measures, units, deadlines, targets."""
    jobs = jobs or (os.cpu_count() or 1)
    failed = 0
    if out_dir is not None:
        if out_dir.exists() and not out_dir.is_dir():
            _err(f"{out_dir}: not a folder")
            raise typer.Exit(2)
        out_dir.mkdir(parents=True, exist_ok=True)
    from .output import safe_stem, write_atomic

    used: set[str] = set()
    results = []
    for path, text, error in _run_many(paths, fmt.value, jobs):
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


def main() -> None:
    try:
        app()
    except GovparseError as e:  # library errors that escaped a command
        _err(str(e))
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("govparse: interrupted\n")
        sys.exit(130)
