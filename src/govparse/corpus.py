"""Index a corpus of plan files into a store: walk folders, extract in parallel, write.

``index_paths`` is what ``govparse index`` runs:

1. Walk the PATH arguments.  In folders: ``*.txt *.docx *.html *.htm *.shtml *.xhtml``
   and ``*.pdf`` when read.py reads PDF (not hidden files or folders, not Word's ``~$`` lock files; symlinked folders are
   not followed).  A file named on the command line is tried whatever its suffix
   (a ``.pdf`` is reported as failed with read.py's reason).  Paths are stored
   absolute (``os.path.abspath``: symlinks are not resolved).
2. Hash each file (sha256 of its bytes) and compare with the store: the same hash
   stored for the path, extracted by the same govparse code (``plans.extractor``, a
   fingerprint of the package's code and data) -> unchanged, nothing is parsed; after
   an upgrade every file is extracted again once.  A path not in the store
   whose hash is stored for a path that no longer exists, with the same suffix ->
   the file was moved or renamed: the stored plan takes the new path (no parsing).
   Everything else is extracted.
3. Extract in a process pool (``--jobs``, default: the cores this process may run
   on); workers return ``Plan.to_dict()`` and the canonical unit names, or an error
   string.  No database connection is open while the pool starts its workers
   (they are forked), and only this process writes.
4. Write each plan in its own transaction (``Store.put_plan``), replacing the old
   rows of a changed file; a file that fails is recorded in ``failures`` (and its
   old rows, if any, removed) without stopping the run.

``prune=True`` also forgets stored plans at or under the PATH arguments whose files
are gone.  A killed run leaves every plan either fully stored or absent; running
the same command again finishes the job.
"""
from __future__ import annotations

import hashlib
import os
import signal
import stat
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .errors import GovparseError
from .limits import FILE_TIME_BUDGET, OverBudget, time_budget
from .store import Store, extractor_fingerprint, open_store


def _suffixes() -> frozenset[str]:
    """The suffixes walked in folders: .pdf too once read.py reads PDF."""
    out = {".txt", ".docx", ".html", ".htm", ".shtml", ".xhtml"}
    try:
        from .read import _format_from_name

        if _format_from_name("plan.pdf") == "pdf":
            out.add(".pdf")
    except Exception:  # PDF refused (InputError) or read.py without the helper
        pass
    return frozenset(out)


SUFFIXES = _suffixes()
_HASH_BLOCK = 1 << 20


@dataclass
class IndexReport:
    indexed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)  # (old, new)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    removed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        parts = [f"indexed {len(self.indexed)}", f"unchanged {len(self.unchanged)}"]
        if self.moved:
            parts.append(f"moved {len(self.moved)}")
        if self.removed:
            parts.append(f"removed {len(self.removed)}")
        parts.append(f"failed {len(self.failed)}")
        return ", ".join(parts)


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# ---------------------------------------------------------------------------------------------
# finding files


def _wanted(name: str) -> bool:
    return (not name.startswith((".", "~$"))) and os.path.splitext(name)[1].lower() in SUFFIXES


def discover(paths: Iterable[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """(absolute paths of the plan files at or under ``paths``, [(path, problem)])."""
    files: dict[str, None] = {}
    problems: list[tuple[str, str]] = []
    for arg in paths:
        p = os.path.abspath(os.fsdecode(arg))
        try:
            st = os.stat(p)
        except FileNotFoundError:
            problems.append((arg, f"{arg}: no such file or folder"))
            continue
        except OSError as e:
            problems.append((arg, f"{arg}: cannot read: {e.strerror or e}"))
            continue
        if stat.S_ISDIR(st.st_mode):
            for top, dirs, names in os.walk(p, onerror=lambda e: problems.append(
                    (e.filename, f"{e.filename}: cannot read folder: {e.strerror or e}"))):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for n in sorted(names):
                    if _wanted(n):
                        files[os.path.join(top, n)] = None
        else:
            files[p] = None
    return list(files), problems


def file_sha256(path: str) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while block := fh.read(_HASH_BLOCK):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


# ---------------------------------------------------------------------------------------------
# the worker


def extract_for_store(path: str, timeout: float = FILE_TIME_BUDGET) -> tuple[str, dict | None, dict | None, str | None]:
    """Worker: (path, Plan.to_dict() or None, {unit name: canonical} or None, error or None);
    a file over its time budget is recorded as failed, so one hostile file cannot stall a corpus."""
    try:
        from .build import parse_file
        from .store import unit_canon_map

        with time_budget(timeout):
            data = parse_file(path).to_dict()
            return path, data, unit_canon_map(data), None
    except GovparseError as e:
        return path, None, None, str(e)
    except OverBudget as e:
        return path, None, None, f"{path}: {e}"
    except RecursionError:
        return path, None, None, f"{path}: document too deeply nested to read"
    except MemoryError:
        return path, None, None, f"{path}: document too large to hold in memory"
    except Exception as e:  # a bug on one odd file must not stop a corpus run
        return path, None, None, f"{path}: internal error: {type(e).__name__}: {e}"


# ---------------------------------------------------------------------------------------------
# indexing

Progress = Callable[[str], None]  # called once per file with its path, when it is done


def index_paths(paths: Iterable[str], db: str | os.PathLike, *, jobs: int = 0, prune: bool = False,
                force: bool = False, on_total: Callable[[int], None] | None = None,
                on_done: Progress | None = None) -> IndexReport:
    """Index the plan files at or under ``paths`` into the store ``db`` (see the module doc).

    ``force``: extract every file again, even unchanged ones."""
    jobs = jobs if jobs and jobs > 0 else default_jobs()
    paths = list(paths)
    extractor = extractor_fingerprint()
    report = IndexReport()
    done = on_done or (lambda path: None)
    files, problems = discover(paths)
    report.failed.extend(problems)
    if on_total:
        on_total(len(files))

    todo: list[tuple[str, str, int]] = []  # (path, sha256, size)
    store = open_store(db)
    try:
        store.refresh_canonical()
        stored = store.stored_refs()
        by_sha: dict[str, list[str]] = {}
        for p, ref in stored.items():
            if ref.extractor == extractor and not force:
                by_sha.setdefault(ref.sha256, []).append(p)
        seen = set(files)
        for path in files:
            try:
                sha, size = file_sha256(path)
            except OSError as e:
                reason = f"{path}: cannot read: {e.strerror or e}"
                report.failed.append((path, reason))
                store.record_failure(path, None, reason)
                done(path)
                continue
            ref = stored.get(path)
            if ref is not None and ref.sha256 == sha and ref.extractor == extractor and not force:
                report.unchanged.append(path)
                done(path)
                continue
            if path not in stored and _move(store, path, sha, by_sha, seen, report):
                done(path)
                continue
            todo.append((path, sha, size))
    finally:
        store.close()

    if todo:
        _extract_and_write(todo, db, jobs, report, done, extractor, force)

    if prune:
        with open_store(db) as store:
            _prune(store, paths, report)
    if report.indexed or report.removed:
        with open_store(db) as store:
            store.optimize()
    return report


def _move(store: Store, path: str, sha: str, by_sha: dict[str, list[str]], seen: set[str],
          report: IndexReport) -> bool:
    """The file at ``path`` is one whose stored path is gone: move its plan there."""
    suffix = os.path.splitext(path)[1].lower()
    for old in sorted(by_sha.get(sha, [])):
        if old in seen or os.path.splitext(old)[1].lower() != suffix or os.path.lexists(old):
            continue
        if store.move(old, path, sha):
            by_sha[sha].remove(old)
            report.moved.append((old, path))
            return True
    return False


def _extract_and_write(todo: list[tuple[str, str, int]], db, jobs: int, report: IndexReport,
                       done: Progress, extractor: str, force: bool) -> None:
    info = {path: (sha, size) for path, sha, size in todo}

    def write(store: Store, result) -> None:
        path, data, canon, error = result
        sha, size = info[path]
        if error is not None:
            report.failed.append((path, error))
            store.record_failure(path, sha, error)
        else:
            outcome = store.put_plan(data, path=path, size=size, canon=canon, extractor=extractor, replace=force)
            (report.indexed if outcome == "indexed" else report.unchanged).append(path)
        done(path)

    if jobs <= 1 or len(todo) == 1:
        with open_store(db) as store:
            for path, _, _ in todo:
                write(store, extract_for_store(path))
        return

    paths = [p for p, _, _ in todo]
    window = max(4, jobs * 4)  # results in flight: memory stays bounded
    pending: dict[Future, str] = {}
    refused: list[str] = []  # not taken by a broken pool

    def submit(pool: ProcessPoolExecutor, path: str) -> None:
        try:
            pending[pool.submit(extract_for_store, path)] = path
        except BrokenProcessPool:
            refused.append(path)

    with ProcessPoolExecutor(max_workers=min(jobs, len(paths)), initializer=_ignore_sigint) as pool:
        try:
            it = iter(paths)
            # start every worker (the pool forks them) before this process opens the store
            for path in it:
                submit(pool, path)
                if len(pending) >= window:
                    break
            with open_store(db) as store:
                while pending:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in finished:
                        path = pending.pop(fut)
                        try:
                            result = fut.result()
                        except Exception as e:  # the worker died (killed, out of memory ...)
                            result = (path, None, None, f"{path}: extraction process failed: "
                                                        f"{type(e).__name__}: {e}")
                        write(store, result)
                        nxt = next(it, None)
                        if nxt is not None:
                            submit(pool, nxt)
                for path in [*refused, *it]:
                    write(store, (path, None, None, f"{path}: not extracted: the worker processes failed"))
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which cancels what is queued and stops them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _prune(store: Store, paths: Iterable[str], report: IndexReport) -> None:
    roots = [os.path.abspath(os.fsdecode(p)) for p in paths]
    prefixes = [r.rstrip(os.sep) + os.sep for r in roots]
    candidates = list(store.stored_paths()) + [f["path"] for f in store.failures()]
    for path in sorted(set(candidates)):
        if not (path in roots or path.startswith(tuple(prefixes))):
            continue
        if not os.path.lexists(path) and store.remove(path):
            report.removed.append(path)
