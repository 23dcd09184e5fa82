"""The schema of the SQLite corpus store (``govparse index``), and its migrations.

The version of a store is ``PRAGMA user_version``; ``MIGRATIONS`` is the ordered list
of steps that take a store from version ``n - 1`` to ``n``.  ``migrate`` applies the
missing steps, each in its own ``BEGIN IMMEDIATE`` transaction (the version is checked
again under the lock, so two processes opening a new store at once do the work once).
A store of a version newer than ``SCHEMA_VERSION`` is refused with one line.

Tables (one row per item of a ``Plan``; ``ord`` keeps the order of the plan's lists;
JSON columns hold what has no use in SQL but is needed to rebuild the plan exactly):

* ``meta(key, value)``: ``fts`` (``trigram`` or ``none``), ``canon`` (fingerprint of
  the unit-name rules the stored canonical names were computed with).
* ``plans``: one per indexed file: ``path`` (absolute, unique), ``sha256``, ``size``,
  the ``SourceInfo`` and ``DocumentMeta`` fields, ``n_measures``, ``extractor`` (a
  fingerprint of the govparse code that extracted it), ``indexed_at``.
* ``sections``: the heading tree flattened, ``parent_id`` pointing at the parent row.
* ``measures``: ``key`` (``Measure.id``), ``section_id``, heading, text, kind, ...
* ``units``: per measure, ``name`` as written and its ``canonical`` key, role, ...
* ``deadlines`` / ``targets``: per plan, ``measure_id`` (NULL for those outside any
  measure); targets keep ``value`` as JSON plus ``value_lo`` / ``value_hi`` numbers.
* ``phases``, ``warnings``: per plan.
* ``failures``: files that could not be extracted: ``path``, ``sha256``, ``reason``, ``failed_at``.
* ``measures_fts``: FTS5 (``trigram`` tokenizer, case sensitive, ``detail=none``) over
  measure heading and text, an external-content index (only where SQLite has FTS5 and
  trigram).  ``detail=none`` keeps no positions: a third of the size and a quarter of
  the time to build; a word is looked up as the AND of its trigrams and the candidates
  are checked with ``instr`` (exact).  The
  store writes it in the same transaction as the measures of a plan, in bulk
  (``INSERT … SELECT`` per plan: a trigger per row costs twice as much).

Every child row is deleted with its plan (``ON DELETE CASCADE``).
"""
from __future__ import annotations

import sqlite3
from typing import Callable

from .errors import GovparseError

SCHEMA_VERSION = 2
APPLICATION = "govparse corpus store"


class StoreError(GovparseError):
    """The store cannot be opened or used (exit code 1)."""


_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE plans (
    id            INTEGER PRIMARY KEY,
    path          TEXT NOT NULL UNIQUE,
    sha256        TEXT NOT NULL,
    size          INTEGER,
    format        TEXT,
    encoding      TEXT,
    script        TEXT,
    dropped_lines TEXT NOT NULL DEFAULT '[]',
    title         TEXT,
    issuers       TEXT NOT NULL DEFAULT '[]',
    region        TEXT,
    level         TEXT,
    date          TEXT,
    base_year     INTEGER,
    doc_number    TEXT,
    title_line    INTEGER,
    n_measures    INTEGER NOT NULL DEFAULT 0,
    extractor     TEXT,
    indexed_at    TEXT NOT NULL,
    govparse      TEXT
);
CREATE INDEX plans_sha256 ON plans(sha256);
CREATE INDEX plans_region ON plans(region);
CREATE INDEX plans_level ON plans(level);

CREATE TABLE sections (
    id        INTEGER PRIMARY KEY,
    plan_id   INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES sections(id) ON DELETE CASCADE,
    ord       INTEGER NOT NULL,
    key       TEXT NOT NULL,
    number    TEXT,
    title     TEXT,
    kind      TEXT,
    level     INTEGER,
    lines     TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX sections_plan ON sections(plan_id);
CREATE INDEX sections_parent ON sections(parent_id);

CREATE TABLE measures (
    id         INTEGER PRIMARY KEY,
    plan_id    INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    section_id INTEGER REFERENCES sections(id) ON DELETE SET NULL,
    ord        INTEGER NOT NULL,
    key        TEXT NOT NULL,
    section    TEXT NOT NULL DEFAULT '[]',
    number     TEXT,
    heading    TEXT NOT NULL,
    text       TEXT NOT NULL,
    lines      TEXT NOT NULL DEFAULT '[]',
    line_first INTEGER,
    line_last  INTEGER,
    kind       TEXT,
    points     TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX measures_plan ON measures(plan_id);
CREATE INDEX measures_section ON measures(section_id);
CREATE INDEX measures_kind ON measures(kind);

CREATE TABLE units (
    id         INTEGER PRIMARY KEY,
    plan_id    INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    measure_id INTEGER NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
    ord        INTEGER NOT NULL,
    name       TEXT NOT NULL,
    canonical  TEXT NOT NULL,
    role       TEXT NOT NULL,
    label      TEXT,
    inherited  INTEGER NOT NULL DEFAULT 0,
    line       INTEGER,
    source     TEXT
);
CREATE INDEX units_plan ON units(plan_id);
CREATE INDEX units_measure ON units(measure_id);
CREATE INDEX units_canonical ON units(canonical, role);
CREATE INDEX units_name ON units(name);

CREATE TABLE deadlines (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    measure_id  INTEGER REFERENCES measures(id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    measure_key TEXT,
    text        TEXT NOT NULL,
    date        TEXT,
    start       TEXT,
    kind        TEXT,
    line        INTEGER,
    resolved    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX deadlines_plan ON deadlines(plan_id);
CREATE INDEX deadlines_measure ON deadlines(measure_id);
CREATE INDEX deadlines_date ON deadlines(date);

CREATE TABLE targets (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    measure_id  INTEGER REFERENCES measures(id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    measure_key TEXT,
    text        TEXT NOT NULL,
    metric      TEXT,
    op          TEXT,
    value       TEXT,
    value_lo    REAL,
    value_hi    REAL,
    unit        TEXT,
    line        INTEGER,
    placeholder INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX targets_plan ON targets(plan_id);
CREATE INDEX targets_measure ON targets(measure_id);
CREATE INDEX targets_metric ON targets(metric);

CREATE TABLE phases (
    id      INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    ord     INTEGER NOT NULL,
    name    TEXT,
    start   TEXT,
    "end"   TEXT,
    text    TEXT,
    line    INTEGER
);
CREATE INDEX phases_plan ON phases(plan_id);

CREATE TABLE warnings (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    code        TEXT NOT NULL,
    message     TEXT,
    line        INTEGER,
    measure_key TEXT
);
CREATE INDEX warnings_plan ON warnings(plan_id);

CREATE TABLE failures (
    path      TEXT PRIMARY KEY,
    sha256    TEXT,
    reason    TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
"""

_FTS = """
CREATE VIRTUAL TABLE measures_fts USING fts5(
    heading, text, content='measures', content_rowid='id', tokenize='trigram case_sensitive 1', detail=none
);
"""


def fts_available(conn: sqlite3.Connection) -> bool:
    """Can this SQLite build make an FTS5 table with the trigram tokenizer (>= 3.34)?"""
    if sqlite3.sqlite_version_info < (3, 34, 0):
        return False
    try:
        conn.execute("CREATE VIRTUAL TABLE temp._govparse_probe USING fts5(x, tokenize='trigram case_sensitive 1', "
                     "detail=none)")
        conn.execute("DROP TABLE temp._govparse_probe")
        return True
    except sqlite3.OperationalError:
        return False


def _v1(conn: sqlite3.Connection) -> None:
    for statement in _statements(_V1):
        conn.execute(statement)
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('application', ?)", (APPLICATION,))


def _v2(conn: sqlite3.Connection) -> None:
    """Full-text search over measures (trigram: works for Chinese); LIKE where unavailable."""
    if fts_available(conn):
        for statement in _statements(_FTS):
            conn.execute(statement)
        conn.execute("INSERT INTO measures_fts(measures_fts) VALUES ('rebuild')")
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('fts', 'trigram')")
    else:
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('fts', 'none')")


# MIGRATIONS[n - 1] takes a store from version n - 1 to version n
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2]
assert len(MIGRATIONS) == SCHEMA_VERSION


def _statements(script: str) -> list[str]:
    """Split a script of CREATE statements (triggers hold ``;`` inside BEGIN … END)."""
    out, buf = [], []
    for line in script.strip().splitlines():
        buf.append(line)
        text = "\n".join(buf).strip()
        if text and sqlite3.complete_statement(text):
            out.append(text)
            buf = []
    if "".join(buf).strip():
        raise ValueError("incomplete SQL statement in schema")
    return out


def version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def check_version(conn: sqlite3.Connection, name: str) -> int:
    have = version(conn)
    if have > SCHEMA_VERSION:
        raise StoreError(f"{name}: store schema version {have} is newer than this govparse knows "
                         f"({SCHEMA_VERSION}); upgrade govparse")
    return have


def migrate(conn: sqlite3.Connection, name: str, target: int = SCHEMA_VERSION) -> int:
    """Bring the store to ``target`` (default: the latest); returns the version it had.

    ``conn`` must be in autocommit mode (``isolation_level=None``).
    """
    start = check_version(conn, name)
    while True:
        have = check_version(conn, name)
        if have >= target:
            return start
        conn.execute("BEGIN IMMEDIATE")
        try:
            have = check_version(conn, name)  # again, under the write lock
            if have < target:
                MIGRATIONS[have](conn)
                conn.execute(f"PRAGMA user_version = {have + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
