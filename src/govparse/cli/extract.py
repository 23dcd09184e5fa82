"""extract and show: a plan as structured data, or as a tree for people."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import GovparseError, OutputError
from .common import StructuredFormat, _err, app


def _extract_one(path: str, fmt: str, timeout: float = 0,
                 max_bytes: int | None = None) -> tuple[str, str | None, str | None]:
    """Worker: (path, serialized plan or None, error message or None); ``timeout``
    seconds is the file's time budget (0: none)."""
    from ..build import parse_file
    from ..limits import OverBudget, time_budget
    from ..read import MAX_INPUT_BYTES
    from ..writers.structured import to_json, to_yaml

    try:
        with time_budget(timeout):
            plan = parse_file(path, stdin=sys.stdin.buffer if path == "-" else None,
                              max_bytes=max_bytes or MAX_INPUT_BYTES)
            data = plan.to_dict()
            return path, (to_json(data) if fmt == "json" else to_yaml(data)), None
    except GovparseError as e:
        return path, None, str(e)
    except OverBudget as e:
        return path, None, f"{path}: {e}"
    except RecursionError:
        return path, None, f"{path}: document too deeply nested to read"
    except MemoryError:
        return path, None, f"{path}: document too large to hold in memory"


def _run_many(paths: list[str], fmt: str, jobs: int, timeout: float = 0, max_bytes: int | None = None):
    n = len(paths)
    if jobs <= 1 or n <= 1 or "-" in paths:
        for p in paths:
            yield _extract_one(p, fmt, timeout, max_bytes)
        return
    from concurrent.futures import ProcessPoolExecutor

    from .. import build, writers  # noqa: F401  imported once here, inherited by forked workers

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
    from ..output import InputFiles, safe_stem, write_atomic

    inputs = InputFiles(paths)  # looked up once, not once per output
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
            write_atomic(out_dir / f"{name}.{fmt.value}", text, inputs=inputs, within=out_dir)
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
    from ..build import parse_file
    from ..render import plan_tree

    try:
        plan = parse_file(path, stdin=sys.stdin.buffer if path == "-" else None)
    except GovparseError as e:
        _err(str(e))
        raise typer.Exit(1)
    plan_tree(plan)
