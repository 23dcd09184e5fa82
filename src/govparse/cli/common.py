"""What every command shares: the typer app, one-line errors, plan loading, output.

Exit codes: 0 all inputs done, 1 some input failed (bad data), 2 usage error.
stdout carries data (YAML/JSON/CSV); messages for people go to stderr.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import __version__
from ..errors import GovparseError

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




def _usage(msg: str) -> typer.Exit:
    _err(msg)
    return typer.Exit(2)


def _choice(option: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise _usage(f"{option}: unknown value {value!r} (choose from {', '.join(choices)})")
    return value


@contextmanager
def _reading(path: str):
    """Turn a failure to read ``path`` into one line on stderr and the exit code."""
    try:
        yield
    except GovparseError as e:
        _err(str(e))
        raise typer.Exit(e.exit_code)
    except RecursionError:
        _err(f"{path}: document too deeply nested to read")
        raise typer.Exit(1)
    except MemoryError:
        _err(f"{path}: document too large to hold in memory")
        raise typer.Exit(1)


def _stdin_for(path: str):
    return sys.stdin.buffer if path == "-" else None


def _load_plans(paths: list[str]) -> list:
    """Every plan of every PLAN argument; the first unreadable one ends the command (exit 1)."""
    from ..planio import load_plans

    plans = []
    for path in paths:
        with _reading(path):
            plans.extend(load_plans(path, stdin=_stdin_for(path)))
    return plans


def _print_measure_rows(headers: list[str], rows: list[list], view: str, inputs: list[str], title: str) -> None:
    """Matched measures as CSV, or as a table for people (without the long columns)."""
    if view == "csv":
        from ..writers.table import write_csv

        _emit(write_csv(headers, rows), None, inputs)
        return
    from ..render import print_table

    keep = [i for i, h in enumerate(headers) if h not in ("来源", "章节", "时限原文")]
    print_table([headers[i] for i in keep], [[r[i] for i in keep] for r in rows], title=title)


def _aliases(path: Optional[Path]) -> Optional[dict]:
    if path is None:
        return None
    from ..canon import load_aliases

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
    from ..output import write_atomic

    try:
        write_atomic(output, data, inputs=inputs)
    except GovparseError as e:
        _err(str(e))
        raise typer.Exit(1)


def _default_view(fmt: Optional[str], choices: tuple[str, ...]) -> str:
    if fmt is None:
        return "table" if sys.stdout.isatty() else "json"
    return _choice("--format", fmt, choices)


