"""index, stats and query --db: a corpus of plans in SQLite."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import GovparseError
from .common import _default_view, _emit, _err, _print_measure_rows, _usage, app

STORE_LEVELS = ("省", "市", "县", "镇")
STATS_FORMATS = ("table", "csv", "json")


def _open_store(db: Path, create: bool = False):
    from ..store import open_store

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
        from ..writers.structured import to_json, to_yaml

        data = {"measures": result.dicts()}
        _emit(to_json(data) if view == "json" else to_yaml(data), None, [])
        return
    headers, rows = result.rows()
    _print_measure_rows(headers, rows, view, [],
                        f"{len(rows)} measures from {len({r[0] for r in rows})} of {result.plans_stored} plans")


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

    from ..corpus import SUFFIXES, index_paths

    if jobs < 0:
        raise _usage("--jobs: must be 0 (all cores) or a positive number")
    if db.suffix.lower() in SUFFIXES or db.suffix.lower() == ".pdf":
        raise _usage(f"--db {db}: that looks like a plan file, not a store")
    with contextlib.ExitStack() as stack:
        progress = None
        if sys.stderr.isatty():
            from ..render import index_progress

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
        from ..writers.structured import to_json

        _emit(to_json(data), None, [])
    elif view == "csv":
        from ..store import stats_rows
        from ..writers.table import write_csv

        _emit(write_csv(*stats_rows(data)), None, [])
    else:
        from ..render import print_stats

        print_stats(data)
