"""The corpus store: many extracted plans in one SQLite file (``govparse index``).

One row per plan, section, measure, unit, deadline, target, phase and warning (the
schema and its migrations are in ``store_schema``).  The rules that keep the store
consistent whatever happens to the process writing it:

* WAL journal, ``busy_timeout`` 30 s, foreign keys on; every plan is written in its
  own ``BEGIN IMMEDIATE … COMMIT`` (its old rows deleted in the same transaction), so
  a store killed at any moment holds each plan entirely or not at all.
* The writer re-reads what is stored for the path under the write lock, so two
  processes indexing the same files at once never store a plan twice.
* Canonical unit names are computed when a unit is stored; ``meta.canon`` records a
  fingerprint of the naming rules, and a store whose fingerprint is out of date is
  brought up to date by the next ``index`` (queries meanwhile match unit names in
  Python with the current rules, so they are right either way).

Queries: ``query_measures`` narrows the measures in SQL (units on the stored canonical
name and the raw name, deadlines, targets, section kind, region, level, FTS5 trigram
for ``--text``) and then applies ``responsibility.filter_measures`` to the candidates,
so ``query --db`` answers exactly what ``query PLAN...`` answers for the same files.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Iterator, Sequence

from . import __version__
from .model import (
    LEAD,
    Deadline,
    DocumentMeta,
    Measure,
    Phase,
    Plan,
    Point,
    Section,
    SourceInfo,
    Target,
    UnitAssignment,
    Warning_,
)
from .store_schema import StoreError, migrate

__all__ = ["Store", "StoreError", "open_store", "canon_fingerprint", "extractor_fingerprint", "LEVELS"]

BUSY_TIMEOUT_MS = 30_000
LEVELS = ("省", "市", "县", "镇")
FTS_MIN_CHARS = 3  # the trigram tokenizer cannot find anything shorter
_CHUNK = 500  # ids per IN (...) list
# files whose content decides what ``canon.canonical`` returns
_CANON_FILES = ("canon.py", "normalize.py", "data/unit_aliases.yaml", "data/units.yaml",
                "data/traditional_chars.txt")


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def canon_fingerprint() -> str:
    """A hash of the rules and tables behind ``canon.canonical``."""
    h = hashlib.sha256()
    root = resources.files("govparse")
    for name in _CANON_FILES:
        try:
            h.update(root.joinpath(name).read_bytes())
        except (FileNotFoundError, OSError):
            h.update(b"-")
        h.update(b"\0")
    return h.hexdigest()[:16]


# modules that only use an extracted plan (any other file of the package may change one)
_NOT_EXTRACTION = frozenset({
    "__main__.py", "cli.py", "render.py", "store.py", "store_schema.py", "corpus.py", "responsibility.py",
    "output.py", "planio.py", "check.py", "compare.py", "similarity.py", "writers/",
})


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """A hash of the govparse code and data that extract a plan: a file stored with
    another fingerprint is extracted again by the next ``index`` (e.g. after an upgrade)."""
    h = hashlib.sha256()
    root = os.path.dirname(os.path.abspath(__file__))
    names = []
    for top, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
        for f in files:
            rel = os.path.relpath(os.path.join(top, f), root).replace(os.sep, "/")
            if f.endswith((".py", ".yaml", ".json", ".txt")) and not (
                    rel in _NOT_EXTRACTION or rel.split("/", 1)[0] + "/" in _NOT_EXTRACTION):
                names.append(os.path.join(top, f))
    for name in sorted(names):
        h.update(os.path.relpath(name, root).encode("utf-8") + b"\0")
        try:
            with open(name, "rb") as fh:
                h.update(fh.read())
        except OSError:
            h.update(b"-")
        h.update(b"\0")
    return h.hexdigest()[:16]


def _canonical(name: str, aliases=None) -> str:
    from .canon import canonical

    try:
        return canonical(name, aliases) or name
    except Exception:  # a rule that fails on an odd name must not lose the plan
        return name


def unit_canon_map(plan_data: dict) -> dict[str, str]:
    """{unit name: canonical key} for every unit of a plan (as ``Plan.to_dict`` gives it)."""
    names = {u["name"] for m in plan_data.get("measures") or [] for u in m.get("units") or []}
    return {n: _canonical(n) for n in names}


def _number(v) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v)


def _value_range(value) -> tuple[float | None, float | None]:
    if isinstance(value, (list, tuple)):
        nums = [n for n in (_number(v) for v in value) if n is not None]
        return (min(nums), max(nums)) if nums else (None, None)
    n = _number(value)
    return n, n


def _chunks(items: Sequence, n: int = _CHUNK) -> Iterator[Sequence]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


@dataclass
class PlanRef:
    id: int
    path: str
    sha256: str
    extractor: str | None = None


class Store:
    """An open store.  Use ``open_store``; close it (or use ``with``) when done."""

    def __init__(self, conn: sqlite3.Connection, path: str):
        self.conn = conn
        self.path = path
        self._fts: bool | None = None

    # -- life cycle ---------------------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @property
    def fts(self) -> bool:
        """Has the store an FTS5 trigram index over measures?"""
        if self._fts is None:
            self._fts = self.meta("fts") == "trigram"
        return self._fts

    def canon_fresh(self) -> bool:
        """Were the stored canonical names computed with the current naming rules?"""
        stored = self.meta("canon")
        if stored is None:  # nothing stored yet
            return not self.conn.execute("SELECT 1 FROM units LIMIT 1").fetchone()
        return stored == canon_fingerprint()

    def _transaction(self):
        return _Transaction(self.conn)

    def refresh_canonical(self) -> int:
        """Recompute stored canonical names made with older rules; returns the number changed."""
        if self.canon_fresh():
            if self.meta("canon") is None:
                with self._transaction() as c:
                    c.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('canon', ?)", (canon_fingerprint(),))
            return 0
        fingerprint = canon_fingerprint()
        changed = 0
        with self._transaction() as c:
            if self.meta("canon") == fingerprint:  # another process did it
                return 0
            for name, old in c.execute("SELECT DISTINCT name, canonical FROM units").fetchall():
                new = _canonical(name)
                if new != old:
                    changed += c.execute("UPDATE units SET canonical = ? WHERE name = ? AND canonical = ?",
                                         (new, name, old)).rowcount
            c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('canon', ?)", (fingerprint,))
        return changed

    # -- reading what is stored ----------------------------------------------------------

    def plan_ref(self, path: str) -> PlanRef | None:
        row = self.conn.execute("SELECT id, path, sha256, extractor FROM plans WHERE path = ?",
                                (path,)).fetchone()
        return PlanRef(*row) if row else None

    def stored_paths(self) -> dict[str, str]:
        """{path: sha256} of every stored plan."""
        return dict(self.conn.execute("SELECT path, sha256 FROM plans"))

    def stored_refs(self) -> dict[str, PlanRef]:
        """{path: PlanRef} of every stored plan."""
        return {r[1]: PlanRef(*r) for r in self.conn.execute("SELECT id, path, sha256, extractor FROM plans")}

    def failures(self) -> list[dict]:
        return [dict(zip(("path", "sha256", "reason", "failed_at"), r)) for r in self.conn.execute(
            "SELECT path, sha256, reason, failed_at FROM failures ORDER BY path")]

    def count(self, table: str) -> int:
        if table not in ("plans", "sections", "measures", "units", "deadlines", "targets", "phases",
                         "warnings", "failures"):
            raise ValueError(table)
        return self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    # -- writing -------------------------------------------------------------------------

    def put_plan(self, data: dict, *, path: str | None = None, size: int | None = None,
                 canon: dict[str, str] | None = None, extractor: str | None = None,
                 replace: bool = False) -> str:
        """Store a plan (``Plan.to_dict()``) for ``path`` (default: its source path), replacing
        what was stored for that path, in one transaction.  Returns ``"indexed"``, or
        ``"unchanged"`` when the same content, extracted by the same code (``extractor``,
        default: this code), is already stored for the path (``replace``: store it anyway)."""
        extractor = extractor or extractor_fingerprint()
        path = path or data["source"]["path"]
        sha = data["source"]["sha256"]
        canon = dict(canon or {})
        for m in data.get("measures") or []:
            for u in m.get("units") or []:
                if u["name"] not in canon:
                    canon[u["name"]] = _canonical(u["name"])
        with self._transaction() as c:
            row = c.execute("SELECT id, sha256, extractor FROM plans WHERE path = ?", (path,)).fetchone()
            if row and row[1] == sha and row[2] == extractor and not replace:
                c.execute("DELETE FROM failures WHERE path = ?", (path,))
                return "unchanged"
            if row:
                _delete_plan(c, row[0])
            _insert_plan(c, data, path, size, canon, extractor)
            c.execute("DELETE FROM failures WHERE path = ?", (path,))
            if self.meta("canon") is None:
                c.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('canon', ?)", (canon_fingerprint(),))
        return "indexed"

    def move(self, old: str, new: str, sha256: str) -> bool:
        """Give the plan stored for ``old`` (with this content) the path ``new``; False when
        the store no longer holds it so (another process moved or replaced it)."""
        with self._transaction() as c:
            row = c.execute("SELECT id, sha256 FROM plans WHERE path = ?", (old,)).fetchone()
            if not row or row[1] != sha256 or c.execute("SELECT 1 FROM plans WHERE path = ?", (new,)).fetchone():
                return False
            c.execute("UPDATE plans SET path = ? WHERE id = ?", (new, row[0]))
            c.execute("DELETE FROM failures WHERE path = ?", (new,))
        return True

    def record_failure(self, path: str, sha256: str | None, reason: str) -> None:
        """Note that ``path`` could not be extracted; what was stored for it is removed
        (the store describes the files as they are now)."""
        with self._transaction() as c:
            row = c.execute("SELECT id FROM plans WHERE path = ?", (path,)).fetchone()
            if row:
                _delete_plan(c, row[0])
            c.execute("INSERT OR REPLACE INTO failures(path, sha256, reason, failed_at) VALUES (?, ?, ?, ?)",
                      (path, sha256, reason, _now()))

    def remove(self, path: str) -> bool:
        """Forget the plan (and any failure) stored for ``path``."""
        with self._transaction() as c:
            row = c.execute("SELECT id FROM plans WHERE path = ?", (path,)).fetchone()
            if row:
                _delete_plan(c, row[0])
            gone = c.execute("DELETE FROM failures WHERE path = ?", (path,)).rowcount
        return bool(row or gone)

    def optimize(self) -> None:
        """Let SQLite refresh its statistics (after an index run; FTS5 merges its segments
        as it goes)."""
        try:
            self.conn.execute("PRAGMA optimize")
        except sqlite3.OperationalError:  # busy for 30 s: the next run will do it
            pass

    # -- whole plans -----------------------------------------------------------------------

    def load_plan(self, path: str) -> Plan:
        """The plan stored for ``path``, rebuilt as ``Plan`` (``to_dict`` equals what was stored)."""
        row = self.conn.execute(f"SELECT {_PLAN_COLS} FROM plans WHERE path = ?", (path,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no plan stored for {path}")
        plan = _plan_from_row(row)
        pid = row[0]
        c = self.conn
        # sections: rebuild the tree from parent ids
        nodes: dict[int, Section] = {}
        for sid, parent, key, number, title, kind, level, lines in c.execute(
                "SELECT id, parent_id, key, number, title, kind, level, lines FROM sections "
                "WHERE plan_id = ? ORDER BY ord", (pid,)):
            s = Section(id=key, number=number, title=title, kind=kind, lines=json.loads(lines), level=level)
            nodes[sid] = s
            (nodes[parent].children if parent in nodes else plan.sections).append(s)
        mids = [r[0] for r in c.execute("SELECT id FROM measures WHERE plan_id = ? ORDER BY ord", (pid,))]
        measures = self._measures(mids)
        plan.measures = [measures[i][1] for i in mids]
        plan.deadlines = [d for _, d in _deadlines(c, "plan_id = ?", (pid,))]
        plan.targets = [t for _, t in _targets(c, "plan_id = ?", (pid,))]
        plan.phases = [Phase(name=n, start=s, end=e, text=t, line=ln) for n, s, e, t, ln in c.execute(
            'SELECT name, start, "end", text, line FROM phases WHERE plan_id = ? ORDER BY ord', (pid,))]
        plan.warnings = [Warning_(code=code, message=msg, line=ln, measure=mk) for code, msg, ln, mk in c.execute(
            "SELECT code, message, line, measure_key FROM warnings WHERE plan_id = ? ORDER BY ord", (pid,))]
        return plan

    def _measures(self, ids: Sequence[int]) -> dict[int, tuple[int, Measure]]:
        """{measure row id: (plan row id, Measure with units, deadlines, targets)}."""
        out: dict[int, tuple[int, Measure]] = {}
        c = self.conn
        for chunk in _chunks(list(ids)):
            marks = ",".join("?" * len(chunk))
            for mid, pid, key, section, number, heading, text, lines, kind, points in c.execute(
                    f"SELECT id, plan_id, key, section, number, heading, text, lines, kind, points "
                    f"FROM measures WHERE id IN ({marks})", chunk):
                m = Measure(id=key, section=json.loads(section), number=number, heading=heading, text=text,
                            lines=json.loads(lines), kind=kind,
                            points=[Point(**p) for p in json.loads(points)])
                out[mid] = (pid, m)
            for mid, name, role, label, inherited, line, source in c.execute(
                    f"SELECT measure_id, name, role, label, inherited, line, source FROM units "
                    f"WHERE measure_id IN ({marks}) ORDER BY measure_id, ord", chunk):
                out[mid][1].units.append(UnitAssignment(name=name, role=role, label=label,
                                                        inherited=bool(inherited), line=line, source=source))
            for mid, d in _deadlines(c, f"measure_id IN ({marks})", chunk):
                out[mid][1].deadlines.append(d)
            for mid, t in _targets(c, f"measure_id IN ({marks})", chunk):
                out[mid][1].targets.append(t)
        return out

    # -- queries -------------------------------------------------------------------------

    def query_measures(self, *, unit: str | None = None, role: str | None = None, due_before=None,
                       due_after=None, overdue: bool = False, text: str | None = None,
                       has_target: bool = False, section: str | None = None, no_lead: bool = False,
                       region: str | None = None, level: str | None = None,
                       paths: Sequence[str] | None = None, aliases: dict | None = None,
                       today: _dt.date | None = None) -> "QueryResult":
        """The stored measures that meet every criterion (those of ``filter_measures``, plus
        ``region`` (part of the plan's region), ``level`` and ``paths`` (plans at or under
        these paths)), ordered by plan path and place in the plan."""
        from .responsibility import filter_measures, parse_day

        before, after = parse_day(due_before, "--due-before"), parse_day(due_after, "--due-after")
        today = today or _dt.date.today()
        where: list[str] = []
        args: list[Any] = []
        if unit is not None:
            if not unit.strip():
                return QueryResult([], {}, 0)
            role_sql = " AND u.role = ?" if role is not None else ""
            if aliases is None and self.canon_fresh():
                where.append("EXISTS (SELECT 1 FROM units u WHERE u.measure_id = m.id" + role_sql +
                             " AND (instr(u.name, ?) > 0 OR u.canonical = ? OR instr(u.canonical, ?) > 0))")
                cq = _canonical(unit)
                args += ([role] if role is not None else []) + [unit, cq, cq]
            else:
                names = self._matching_unit_names(unit, aliases)
                where.append("EXISTS (SELECT 1 FROM units u WHERE u.measure_id = m.id" + role_sql +
                             " AND u.name IN (SELECT value FROM json_each(?)))")
                args += ([role] if role is not None else []) + [_json(names)]
        elif role is not None:
            where.append("EXISTS (SELECT 1 FROM units u WHERE u.measure_id = m.id AND u.role = ?)")
            args.append(role)
        if before or after:
            due = ("(SELECT max(d.date) FROM deadlines d WHERE d.measure_id = m.id AND d.resolved "
                   "AND d.date IS NOT NULL)")
            if before:
                where.append(f"{due} <= ?")
                args.append(before.isoformat())
            if after:
                where.append(f"{due} >= ?")
                args.append(after.isoformat())
        if overdue:
            where.append("EXISTS (SELECT 1 FROM deadlines d WHERE d.measure_id = m.id AND d.resolved "
                         "AND d.date IS NOT NULL AND d.date < ?)")
            args.append(today.isoformat())
        if text:
            ors = []
            for w in _query_words(text):
                exact = "(instr(m.heading, ?) > 0 OR instr(m.text, ?) > 0)"
                if self.fts and len(w) >= FTS_MIN_CHARS:
                    ors.append(f"(m.id IN (SELECT rowid FROM measures_fts WHERE measures_fts MATCH ?) AND {exact})")
                    args += [_trigram_query(w), w, w]
                else:  # the trigram index cannot find words of one or two characters
                    ors.append(exact)
                    args += [w, w]
            where.append("(" + " OR ".join(ors) + ")")
        if has_target:
            where.append("EXISTS (SELECT 1 FROM targets t WHERE t.measure_id = m.id)")
        if section:
            where.append("lower(m.kind) = lower(?)")
            args.append(section)
        if no_lead:
            where.append("NOT EXISTS (SELECT 1 FROM units u WHERE u.measure_id = m.id AND u.role = ?)")
            args.append(LEAD)
        if region:
            where.append("instr(p.region, ?) > 0")
            args.append(region)
        if level:
            where.append("p.level = ?")
            args.append(level)
        if paths:
            ors = []
            for p in paths:
                p = os.path.abspath(p)
                ors.append("(p.path = ? OR substr(p.path, 1, ?) = ?)")
                prefix = p.rstrip(os.sep) + os.sep
                args += [p, len(prefix), prefix]
            where.append("(" + " OR ".join(ors) + ")")
        sql = ("SELECT m.id, m.plan_id, m.ord FROM measures m JOIN plans p ON p.id = m.plan_id"
               + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY p.path, m.ord")
        rows = self.conn.execute(sql, args).fetchall()
        total = self.count("plans")
        measures = self._measures([r[0] for r in rows])
        plans: dict[int, Plan] = {}
        for pid in sorted({r[1] for r in rows}):
            plans[pid] = _plan_from_row(self.conn.execute(f"SELECT {_PLAN_COLS} FROM plans WHERE id = ?",
                                                          (pid,)).fetchone())
        order: dict[int, int] = {}
        for mid, pid, ord_ in rows:
            m = measures[mid][1]
            plans[pid].measures.append(m)
            order[id(m)] = ord_
        # the exact rules of ``query PLAN...`` decide among the candidates
        ordered = [plans[pid] for pid in sorted(plans, key=lambda i: plans[i].source.path)]
        matches = filter_measures(ordered, unit=unit, role=role, due_before=before, due_after=after,
                                  overdue=overdue, text=text, has_target=has_target, section=section,
                                  no_lead=no_lead, aliases=aliases, today=today)
        return QueryResult(matches, order, total)

    def _matching_unit_names(self, query: str, aliases: dict | None) -> list[str]:
        from .canon import unit_matches

        names = [r[0] for r in self.conn.execute("SELECT DISTINCT name FROM units")]
        return [n for n in names if unit_matches(query, n, aliases)]

    def stats(self, top: int | None = 20) -> dict:
        """Plans per region and level, the units leading most measures (canonical names),
        targets by metric and unit (count, min, max), deadlines by year."""
        c = self.conn
        out: dict[str, Any] = {"totals": {t: self.count(t) for t in
                                          ("plans", "measures", "units", "deadlines", "targets", "failures")}}
        out["plans"] = [{"region": r, "level": lv, "plans": n} for r, lv, n in c.execute(
            "SELECT region, level, count(*) AS n FROM plans GROUP BY region, level "
            "ORDER BY n DESC, region IS NULL, region, level")]
        lead_rows = c.execute("SELECT name, canonical, measure_id, plan_id FROM units WHERE role = ?",
                              (LEAD,)).fetchall()
        fresh = self.canon_fresh()
        groups: dict[str, tuple[set, set, set]] = {}
        for name, key, mid, pid in lead_rows:
            key = key if fresh else _canonical(name)
            g = groups.setdefault(key, (set(), set(), set()))
            g[0].add(mid)
            g[1].add(pid)
            g[2].add(name)
        leads = sorted(({"unit": k, "measures": len(g[0]), "plans": len(g[1]), "names": len(g[2])}
                        for k, g in groups.items()), key=lambda d: (-d["measures"], -d["plans"], d["unit"]))
        out["lead_units"] = leads[:top] if top else leads
        out["targets"] = [{"metric": mt, "unit": un, "count": n, "placeholders": ph,
                           "min": _num_out(lo), "max": _num_out(hi)} for mt, un, n, ph, lo, hi in c.execute(
            "SELECT metric, unit, count(*) AS n, sum(placeholder), min(value_lo), max(value_hi) FROM targets "
            "GROUP BY metric, unit ORDER BY n DESC, metric, unit")]
        out["deadlines"] = [{"year": int(y) if y and y.isdigit() else y, "deadlines": n, "measures": nm,
                             "plans": np_} for y, n, nm, np_ in c.execute(
            "SELECT substr(date, 1, 4) AS y, count(*), count(DISTINCT measure_id), count(DISTINCT plan_id) "
            "FROM deadlines WHERE resolved AND date IS NOT NULL GROUP BY y ORDER BY y")]
        out["deadlines_unresolved"] = c.execute(
            "SELECT count(*) FROM deadlines WHERE NOT resolved OR date IS NULL").fetchone()[0]
        return out

    # -- checks and dumps (tests, debugging) -------------------------------------------------

    def check(self) -> list[str]:
        """Problems found in the store ([] when consistent)."""
        c = self.conn
        problems = [r[0] for r in c.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {r}" for r in c.execute("PRAGMA foreign_key_check")]
        for pid, path, n in c.execute("SELECT id, path, n_measures FROM plans").fetchall():
            have = c.execute("SELECT count(*) FROM measures WHERE plan_id = ?", (pid,)).fetchone()[0]
            if have != n:
                problems.append(f"{path}: {have} measures stored, {n} expected")
        for table in ("units", "deadlines", "targets"):
            bad = c.execute(f"SELECT count(*) FROM {table} x JOIN measures m ON m.id = x.measure_id "
                            f"WHERE m.plan_id != x.plan_id").fetchone()[0]
            if bad:
                problems.append(f"{table}: {bad} rows point at a measure of another plan")
        dup = c.execute("SELECT count(*) FROM (SELECT plan_id, key FROM measures GROUP BY plan_id, key "
                        "HAVING count(*) > 1)").fetchone()[0]
        if dup:
            problems.append(f"measures: {dup} duplicated (plan, id) pairs")
        if self.fts:
            try:
                c.execute("INSERT INTO measures_fts(measures_fts, rank) VALUES ('integrity-check', 1)")
            except sqlite3.DatabaseError as e:
                problems.append(f"measures_fts: {e}")
            indexed = c.execute("SELECT count(*) FROM measures_fts_docsize").fetchone()[0]
            if indexed != self.count("measures"):
                problems.append(f"measures_fts: {indexed} measures indexed, {self.count('measures')} stored")
        return problems

    def dump(self) -> dict[str, list[tuple]]:
        """The content of the store without row ids or times, as sorted rows (equal for two
        stores that hold the same plans however they were written)."""
        c = self.conn
        q = {
            "plans": "SELECT path, sha256, size, format, encoding, title, region, level, date, n_measures FROM plans",
            "sections": "SELECT p.path, s.key, s.ord, s.title, s.kind, s.level, ps.key FROM sections s "
                        "JOIN plans p ON p.id = s.plan_id LEFT JOIN sections ps ON ps.id = s.parent_id",
            "measures": "SELECT p.path, m.key, m.ord, m.heading, m.kind, m.line_first, m.line_last, s.key "
                        "FROM measures m JOIN plans p ON p.id = m.plan_id "
                        "LEFT JOIN sections s ON s.id = m.section_id",
            "units": "SELECT p.path, m.key, u.ord, u.name, u.canonical, u.role, u.label, u.inherited FROM units u "
                     "JOIN measures m ON m.id = u.measure_id JOIN plans p ON p.id = u.plan_id",
            "deadlines": "SELECT p.path, d.ord, m.key, d.measure_key, d.text, d.date, d.start, d.kind, d.resolved "
                         "FROM deadlines d JOIN plans p ON p.id = d.plan_id "
                         "LEFT JOIN measures m ON m.id = d.measure_id",
            "targets": "SELECT p.path, t.ord, m.key, t.text, t.metric, t.op, t.value, t.unit, t.placeholder "
                       "FROM targets t JOIN plans p ON p.id = t.plan_id LEFT JOIN measures m ON m.id = t.measure_id",
            "phases": 'SELECT p.path, x.ord, x.name, x.start, x."end" FROM phases x JOIN plans p ON p.id = x.plan_id',
            "warnings": "SELECT p.path, w.ord, w.code, w.line, w.measure_key FROM warnings w "
                        "JOIN plans p ON p.id = w.plan_id",
            "failures": "SELECT path, sha256, reason FROM failures",
        }
        return {k: sorted(tuple(r) for r in c.execute(sql)) for k, sql in q.items()}


@dataclass
class QueryResult:
    matches: list  # (Plan, Measure) pairs; each Plan holds only its matching measures
    order: dict  # id(measure) -> its place (1-based) among all measures of its plan
    plans_stored: int

    def dicts(self) -> list[dict]:
        """Each measure as ``query --format json`` prints it, with ``plan`` (its source path)
        and the plan's ``region`` and ``level``."""
        from .responsibility import measure_dict

        return [{**measure_dict(p, m), "region": p.document.region, "level": p.document.level}
                for p, m in self.matches]

    def rows(self, lang: str = "zh") -> tuple[list[str], list[list]]:
        """Rows of ``responsibility.measure_rows`` with 来源 (the plan's path), 地区 (region)
        and the measure's place in its whole plan as 序号."""
        from .responsibility import measure_rows

        plans = list({id(p): p for p, _ in self.matches}.values())
        headers, rows = measure_rows(plans, lang, matches=self.matches, plan_column=True)
        headers.insert(1, "地区" if lang == "zh" else "Region")
        out = []
        for (p, m), row in zip(self.matches, rows):
            out.append([p.source.path, p.document.region or "", self.order.get(id(m), row[1]), *row[2:]])
        return headers, out


def _num_out(v):
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _trigram_query(word: str) -> str:
    """An FTS5 query for the rows holding every trigram of ``word`` (a superset of those
    holding ``word``; the index keeps no positions to ask for them in a row)."""
    grams = dict.fromkeys(word[i:i + 3] for i in range(len(word) - 2))
    return " AND ".join('"' + g.replace('"', '""') + '"' for g in grams)


def _query_words(text: str) -> list[str]:
    words = [text]
    try:
        from .responsibility import _normalize_query

        norm = _normalize_query(text)
    except Exception:  # the final filter_measures pass is exact anyway
        norm = text
    if norm != text:
        words.append(norm)
    return words


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on any exception)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        elif self.conn.in_transaction:
            self.conn.execute("ROLLBACK")


# ---------------------------------------------------------------------------------------------
# rows <-> plans

_PLAN_COLS = ("id, path, sha256, format, encoding, script, dropped_lines, title, issuers, region, level, "
              "date, base_year, doc_number, title_line")


def _plan_from_row(row) -> Plan:
    (_, path, sha, fmt, enc, script, dropped, title, issuers, region, level, date, base_year, doc_number,
     title_line) = row
    return Plan(source=SourceInfo(path=path, sha256=sha, format=fmt, encoding=enc, script=script,
                                  dropped_lines=json.loads(dropped)),
                document=DocumentMeta(title=title, issuers=json.loads(issuers), region=region, level=level,
                                      date=date, base_year=base_year, doc_number=doc_number,
                                      title_line=title_line))


def _deadlines(c: sqlite3.Connection, where: str, args) -> Iterable[tuple[int | None, Deadline]]:
    for mid, text, date, start, kind, line, mk, resolved in c.execute(
            f"SELECT measure_id, text, date, start, kind, line, measure_key, resolved FROM deadlines "
            f"WHERE {where} ORDER BY plan_id, ord", args):
        yield mid, Deadline(text=text, date=date, start=start, kind=kind, line=line, measure=mk,
                            resolved=bool(resolved))


def _targets(c: sqlite3.Connection, where: str, args) -> Iterable[tuple[int | None, Target]]:
    for mid, text, metric, op, value, unit, line, mk, ph in c.execute(
            f"SELECT measure_id, text, metric, op, value, unit, line, measure_key, placeholder FROM targets "
            f"WHERE {where} ORDER BY plan_id, ord", args):
        yield mid, Target(text=text, metric=metric, op=op, value=json.loads(value) if value is not None else None,
                          unit=unit, line=line, measure=mk, placeholder=bool(ph))


def _has_fts(c: sqlite3.Connection) -> bool:
    row = c.execute("SELECT value FROM meta WHERE key = 'fts'").fetchone()
    return bool(row and row[0] == "trigram")


def _delete_plan(c: sqlite3.Connection, plan_id: int) -> None:
    if _has_fts(c):  # the index must be told the old text of an external-content row
        c.execute("INSERT INTO measures_fts(measures_fts, rowid, heading, text) "
                  "SELECT 'delete', id, heading, text FROM measures WHERE plan_id = ?", (plan_id,))
    # children first, in an order that leaves nothing for the cascades to look up
    for table in ("units", "deadlines", "targets", "warnings", "phases"):
        c.execute(f"DELETE FROM {table} WHERE plan_id = ?", (plan_id,))
    c.execute("DELETE FROM measures WHERE plan_id = ?", (plan_id,))
    c.execute("DELETE FROM sections WHERE plan_id = ?", (plan_id,))
    c.execute("DELETE FROM plans WHERE id = ?", (plan_id,))


def _insert_plan(c: sqlite3.Connection, data: dict, path: str, size: int | None, canon: dict[str, str],
                 extractor: str | None) -> int:
    src, doc = data["source"], data["document"]
    measures = data.get("measures") or []
    pid = c.execute(
        "INSERT INTO plans(path, sha256, size, format, encoding, script, dropped_lines, title, issuers, region, "
        "level, date, base_year, doc_number, title_line, n_measures, extractor, indexed_at, govparse) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (path, src["sha256"], size, src.get("format"), src.get("encoding"), src.get("script"),
         _json(src.get("dropped_lines") or []), doc.get("title"), _json(doc.get("issuers") or []),
         doc.get("region"), doc.get("level"), doc.get("date"), doc.get("base_year"), doc.get("doc_number"),
         doc.get("title_line"), len(measures), extractor, _now(), __version__)).lastrowid

    # row ids chosen here (under the write lock), so that every table takes one executemany
    next_section = c.execute("SELECT coalesce(max(id), 0) FROM sections").fetchone()[0]
    section_rows: list[tuple] = []
    section_ids: dict[str, int] = {}

    def add_sections(items: list[dict], parent: int | None) -> None:
        nonlocal next_section
        for s in items:
            next_section += 1
            sid = next_section
            section_rows.append((sid, pid, parent, len(section_rows) + 1, s["id"], s.get("number"), s.get("title"),
                                 s.get("kind"), s.get("level"), _json(s.get("lines") or [])))
            section_ids.setdefault(s["id"], sid)
            add_sections(s.get("children") or [], sid)

    add_sections(data.get("sections") or [], None)
    c.executemany("INSERT INTO sections(id, plan_id, parent_id, ord, key, number, title, kind, level, lines) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", section_rows)

    next_measure = c.execute("SELECT coalesce(max(id), 0) FROM measures").fetchone()[0]
    measure_ids: dict[str, int] = {}
    measure_rows = []
    unit_rows = []
    for i, m in enumerate(measures, start=1):
        lines = [n for n in m.get("lines") or [] if isinstance(n, int)]
        mid = next_measure + i
        measure_rows.append(
            (mid, pid, section_ids.get(_section_key(m["id"])), i, m["id"], _json(m.get("section") or []),
             m.get("number"), m.get("heading") or "", m.get("text") or "", _json(m.get("lines") or []),
             min(lines) if lines else None, max(lines) if lines else None, m.get("kind"),
             _json(m.get("points") or [])))
        measure_ids.setdefault(m["id"], mid)
        for j, u in enumerate(m.get("units") or [], start=1):
            unit_rows.append((pid, mid, j, u["name"], canon.get(u["name"]) or u["name"], u["role"], u.get("label"),
                              int(bool(u.get("inherited"))), u.get("line"), u.get("source")))
    c.executemany("INSERT INTO measures(id, plan_id, section_id, ord, key, section, number, heading, text, lines, "
                  "line_first, line_last, kind, points) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  measure_rows)
    if _has_fts(c):
        c.execute("INSERT INTO measures_fts(rowid, heading, text) SELECT id, heading, text FROM measures "
                  "WHERE plan_id = ?", (pid,))
    c.executemany("INSERT INTO units(plan_id, measure_id, ord, name, canonical, role, label, inherited, line, "
                  "source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", unit_rows)

    # a measure's deadlines and targets are those of the plan that name it
    c.executemany(
        "INSERT INTO deadlines(plan_id, measure_id, ord, measure_key, text, date, start, kind, line, resolved) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(pid, measure_ids.get(d.get("measure")), i, d.get("measure"), d["text"], d.get("date"), d.get("start"),
          d.get("kind"), d.get("line"), int(bool(d.get("resolved", True))))
         for i, d in enumerate(_plan_items(data, "deadlines"), start=1)])
    rows = []
    for i, t in enumerate(_plan_items(data, "targets"), start=1):
        lo, hi = _value_range(t.get("value"))
        rows.append((pid, measure_ids.get(t.get("measure")), i, t.get("measure"), t["text"], t.get("metric"),
                     t.get("op"), None if t.get("value") is None else _json(t["value"]), lo, hi, t.get("unit"),
                     t.get("line"), int(bool(t.get("placeholder")))))
    c.executemany("INSERT INTO targets(plan_id, measure_id, ord, measure_key, text, metric, op, value, value_lo, "
                  "value_hi, unit, line, placeholder) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    c.executemany('INSERT INTO phases(plan_id, ord, name, start, "end", text, line) VALUES (?, ?, ?, ?, ?, ?, ?)',
                  [(pid, i, p.get("name"), p.get("start"), p.get("end"), p.get("text"), p.get("line"))
                   for i, p in enumerate(data.get("phases") or [], start=1)])
    c.executemany("INSERT INTO warnings(plan_id, ord, code, message, line, measure_key) VALUES (?, ?, ?, ?, ?, ?)",
                  [(pid, i, w["code"], w.get("message"), w.get("line"), w.get("measure"))
                   for i, w in enumerate(data.get("warnings") or [], start=1)])
    return pid


def _section_key(measure_key: str) -> str:
    key = measure_key.split("#", 1)[0]
    return key.rsplit(".", 1)[0] if "." in key else key


def _plan_items(data: dict, kind: str) -> list[dict]:
    """The plan's deadlines (or targets): its own list, plus any that only a measure lists."""
    items = list(data.get(kind) or [])
    listed = {(x.get("measure"), x.get("line"), x["text"]) for x in items}
    for m in data.get("measures") or []:
        for x in m.get(kind) or []:
            if (m["id"], x.get("line"), x["text"]) not in listed:
                items.append({**x, "measure": m["id"]})
    return items


# ---------------------------------------------------------------------------------------------
# opening


def open_store(path: str | os.PathLike, *, create: bool = True) -> Store:
    """Open (and, with ``create``, make) the store at ``path``, migrated to the current schema.

    Raises StoreError (one line) for a missing store when not ``create``, a file that
    is no SQLite database or no govparse store, or a store newer than this code.
    """
    name = os.fsdecode(path)
    if not create and not os.path.exists(name):
        raise StoreError(f"{name}: no such store (make one with `govparse index PATH... --db {name}`)")
    if os.path.isdir(name):
        raise StoreError(f"{name}: is a directory, not a store")
    try:
        conn = sqlite3.connect(name, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as e:
        raise StoreError(f"{name}: cannot open store: {e}") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"{name}: cannot use write-ahead logging (journal mode {mode})")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        _refuse_foreign(conn, name)
        migrate(conn, name)
    except StoreError:
        conn.close()
        raise
    except sqlite3.DatabaseError as e:
        conn.close()
        raise StoreError(f"{name}: not a usable store: {e}") from None
    return Store(conn, name)


def _refuse_foreign(conn: sqlite3.Connection, name: str) -> None:
    """A SQLite file that some other program made is no store of ours: leave it alone."""
    if conn.execute("PRAGMA user_version").fetchone()[0] != 0:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "meta" not in tables or not conn.execute(
                "SELECT 1 FROM meta WHERE key = 'application' AND value LIKE 'govparse%'").fetchone():
            raise StoreError(f"{name}: an SQLite database, but not a govparse store")
        return
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' LIMIT 1").fetchone():
        raise StoreError(f"{name}: an SQLite database, but not a govparse store")


STATS_HEADERS = ["table", "name", "level", "unit", "count", "measures", "plans", "min", "max"]


def stats_rows(stats: dict) -> tuple[list[str], list[list]]:
    """``Store.stats`` as one long table (for CSV): a ``table`` column says which view a row
    belongs to (plans, lead_units, targets, deadlines); cells a view has not are empty."""
    rows: list[list] = []
    for r in stats.get("plans", []):
        rows.append(["plans", r["region"], r["level"], None, r["plans"], None, r["plans"], None, None])
    for r in stats.get("lead_units", []):
        rows.append(["lead_units", r["unit"], None, None, r["measures"], r["measures"], r["plans"], None, None])
    for r in stats.get("targets", []):
        rows.append(["targets", r["metric"], None, r["unit"], r["count"], None, None, r["min"], r["max"]])
    for r in stats.get("deadlines", []):
        rows.append(["deadlines", r["year"], None, None, r["deadlines"], r["measures"], r["plans"], None, None])
    return list(STATS_HEADERS), [["" if v is None else v for v in row] for row in rows]
