"""The corpus store: `govparse index`, `query --db`, `stats`; incremental, killed and concurrent runs.

The corpus is the five samples plus variants written here: renamed copies, GB18030
re-encodings, 市 -> 县 renames and changed numbers.  Two stores are compared by
``Store.dump()`` (sorted rows without row ids or times).
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SAMPLE_FILES, run_cli

from govparse.build import parse_file
from govparse.corpus import discover, index_paths
from govparse.responsibility import filter_measures
from govparse.store import open_store
from govparse.store_schema import SCHEMA_VERSION, StoreError, migrate

SUMMARY = re.compile(r"govparse: indexed (\d+), unchanged (\d+)(?:, moved (\d+))?(?:, removed (\d+))?, failed (\d+)")


# ---------------------------------------------------------------------------------------------
# corpus helpers


def _changed_numbers(text: str, i: int) -> str:
    text = text.replace("2019", str(2020 + i % 5)).replace("2020年", f"{2021 + i % 4}年")
    return re.sub(r"(\d+)%", lambda m: f"{(int(m.group(1)) + i) % 100}%", text)


def write_variants(folder: Path, count: int, start: int = 0) -> list[Path]:
    """``count`` variants of the samples in ``folder`` (all different from each other)."""
    samples = [(p, p.read_text(encoding="utf-8")) for p in SAMPLE_FILES]
    out = []
    for i in range(start, start + count):
        src, text = samples[i % len(samples)]
        kind = (i // len(samples)) % 6
        stem = f"v{i:03d}-{src.stem}"
        encoding = "utf-8"
        sub = folder
        if kind == 0:  # a copy under another name, one line added
            text = text + f"\n附：第{i}号副本\n"
        elif kind == 1:  # re-encoded
            encoding = "gb18030"
            text = _changed_numbers(text, i)
        elif kind == 2:  # a county version of a city plan
            text = _changed_numbers(text.replace("市", "县"), i)
            stem += "-county"
        elif kind == 3:
            text = _changed_numbers(text, i)
        elif kind == 4:  # both
            encoding = "gb18030"
            text = _changed_numbers(text.replace("市", "县"), i)
            stem += "-county"
        else:  # deeper in the tree
            sub = folder / "sub" / f"d{i % 3}"
            text = _changed_numbers(text, i)
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"{stem}.txt"
        path.write_bytes(text.encode(encoding))
        out.append(path)
    return out


def dump(db: Path) -> dict:
    with open_store(db, create=False) as s:
        return s.dump()


def summary(proc) -> tuple[int, int, int, int]:
    """(indexed, unchanged, moved, failed) from the last line of stderr."""
    last = proc.stderr.decode("utf-8").strip().splitlines()[-1]
    m = SUMMARY.fullmatch(last)
    assert m, last
    return int(m[1]), int(m[2]), int(m[3] or 0), int(m[5])


def cli_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def index_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "govparse", "index", *args]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The five samples and 30 variants (plus files the walk must leave alone)."""
    folder = tmp_path_factory.mktemp("corpus")
    for p in SAMPLE_FILES:
        shutil.copy(p, folder / p.name)
    write_variants(folder, 30)
    (folder / "notes.md").write_text("# not a plan\n", encoding="utf-8")
    (folder / ".hidden.txt").write_text("不是方案\n", encoding="utf-8")
    (folder / "~$lock.docx").write_bytes(b"lock")
    return folder


@pytest.fixture(scope="module")
def clean(corpus, tmp_path_factory) -> tuple[Path, dict]:
    """A clean run of `govparse index` over the corpus: (store, dump)."""
    db = tmp_path_factory.mktemp("clean") / "plans.db"
    proc = run_cli("index", str(corpus), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert summary(proc) == (35, 0, 0, 0)
    return db, dump(db)


@pytest.fixture(scope="module")
def corpus_plans(corpus):
    files, _ = discover([corpus])
    return [parse_file(f) for f in files]


def copy_store(db: Path, to: Path) -> Path:
    with open_store(db, create=False) as s:  # everything checkpointed into the main file
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(db, to)
    return to


# ---------------------------------------------------------------------------------------------
# indexing


def test_walk_finds_the_plans_only(corpus):
    files, problems = discover([corpus, corpus / "sub"])
    assert problems == []
    assert len(files) == 35 and len(set(files)) == 35
    assert all(os.path.isabs(f) and f.endswith(".txt") and "/." not in f for f in files)


def test_clean_index_is_complete_and_consistent(clean, corpus_plans):
    db, d = clean
    assert len(d["plans"]) == 35 and d["failures"] == []
    assert len(d["measures"]) == sum(len(p.measures) for p in corpus_plans)
    assert len(d["units"]) == sum(len(m.units) for p in corpus_plans for m in p.measures)
    assert len(d["deadlines"]) == sum(len(p.deadlines) for p in corpus_plans)
    assert len(d["targets"]) == sum(len(p.targets) for p in corpus_plans)
    with open_store(db, create=False) as s:
        assert s.check() == []
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        encodings = Counter(r[0] for r in s.conn.execute("SELECT encoding FROM plans"))
    assert encodings["gb18030"] >= 10


def test_stored_plan_rebuilds_exactly(clean):
    db, _ = clean
    with open_store(db, create=False) as s:
        paths = sorted(s.stored_paths())
        for path in paths[:: max(1, len(paths) // 8)] + [p for p in paths if "jinzhong" in p][:2]:
            assert s.load_plan(path).to_dict() == parse_file(path).to_dict(), path


def test_reindex_unchanged_changes_nothing(clean, corpus, tmp_path):
    db = copy_store(clean[0], tmp_path / "again.db")
    proc = run_cli("index", str(corpus), "--db", str(db), "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    assert summary(proc) == (0, 35, 0, 0)
    assert dump(db) == clean[1]


def test_changed_file_replaces_its_rows(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    for p in SAMPLE_FILES:
        shutil.copy(p, folder / p.name)
    db = tmp_path / "c.db"
    assert run_cli("index", str(folder), "--db", str(db)).returncode == 0
    before = dump(db)
    target = folder / "baoding-city-fengqiao-experience.txt"
    target.write_text(target.read_text(encoding="utf-8").replace("2019年底前", "2021年6月底前"), encoding="utf-8")
    proc = run_cli("index", str(folder), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert summary(proc) == (1, 4, 0, 0)
    after = dump(db)
    path = str(target.resolve())
    for table in ("plans", "measures", "units", "deadlines", "targets"):
        other = [r for r in before[table] if r[0] != path]
        assert [r for r in after[table] if r[0] != path] == other, table
    assert len(after["plans"]) == 5
    new_dates = {r[5] for r in after["deadlines"] if r[0] == path}
    old_dates = Counter(r[5] for r in before["deadlines"] if r[0] == path)
    assert "2021-06-30" in new_dates and "2021-06-30" not in old_dates
    assert Counter(r[5] for r in after["deadlines"] if r[0] == path)["2019-12-31"] < old_dates["2019-12-31"]
    with open_store(db, create=False) as s:
        assert s.check() == []
        assert s.load_plan(path).to_dict() == parse_file(path).to_dict()


def test_moved_file_keeps_its_rows_under_the_new_path(tmp_path):
    folder = tmp_path / "m"
    folder.mkdir()
    for p in SAMPLE_FILES[:3]:
        shutil.copy(p, folder / p.name)
    db = tmp_path / "m.db"
    assert run_cli("index", str(folder), "--db", str(db)).returncode == 0
    before = dump(db)
    old = folder / SAMPLE_FILES[0].name
    new = folder / "renamed" / "plan.txt"
    new.parent.mkdir()
    old.rename(new)
    proc = run_cli("index", str(folder), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert summary(proc) == (0, 2, 1, 0)
    after = dump(db)
    rename = {str(old): str(new)}
    for table in ("plans", "measures", "units", "deadlines", "targets"):
        assert after[table] == sorted((rename.get(r[0], r[0]), *r[1:]) for r in before[table]), table
    with open_store(db, create=False) as s:
        assert s.load_plan(str(new)).source.path == str(new)


def test_failed_file_is_recorded_and_does_not_stop_the_run(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    shutil.copy(SAMPLE_FILES[0], folder / "good.txt")
    bad = folder / "bad.txt"
    bad.write_bytes(b"")
    db = tmp_path / "f.db"
    proc = run_cli("index", str(folder), str(tmp_path / "nowhere"), "--db", str(db))
    assert proc.returncode == 1
    err = proc.stderr.decode("utf-8")
    assert "Traceback" not in err
    assert f"govparse: error: {bad}: empty file" in err.splitlines()
    assert any(ln.startswith("govparse: error: ") and "nowhere: no such file or folder" in ln
               for ln in err.splitlines())
    assert summary(proc) == (1, 0, 0, 2)
    with open_store(db, create=False) as s:
        assert [(f["path"], f["reason"]) for f in s.failures()] == [(str(bad), f"{bad}: empty file")]
        assert s.count("plans") == 1
    # fixed: indexed, and the failure is forgotten; broken again: its rows go, the failure is back
    shutil.copy(SAMPLE_FILES[1], bad)
    proc = run_cli("index", str(folder), "--db", str(db))
    assert proc.returncode == 0 and summary(proc) == (1, 1, 0, 0)
    with open_store(db, create=False) as s:
        assert s.failures() == [] and s.count("plans") == 2
    bad.write_bytes(b"")
    proc = run_cli("index", str(folder), "--db", str(db))
    assert proc.returncode == 1 and summary(proc) == (0, 1, 0, 1)
    with open_store(db, create=False) as s:
        assert s.count("plans") == 1 and len(s.failures()) == 1 and s.check() == []


def test_killed_index_then_rerun_equals_a_clean_run(tmp_path):
    folder = tmp_path / "big"
    write_variants(folder, 150)
    clean_db = tmp_path / "clean.db"
    report = index_paths([folder], clean_db, jobs=2)
    assert report.ok and len(report.indexed) == 150
    db = tmp_path / "killed.db"
    proc = subprocess.Popen(index_cmd(str(folder), "--db", str(db), "--jobs", "1"), env=cli_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
                    stored = conn.execute("SELECT count(*) FROM plans").fetchone()[0]
            except sqlite3.Error:  # not made yet
                stored = 0
            if stored >= 10:
                break
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with open_store(db, create=False) as s:
        assert s.check() == []
        part = s.count("plans")
    assert 10 <= part < 150, part
    rerun = run_cli("index", str(folder), "--db", str(db), "--jobs", "1")
    assert rerun.returncode == 0, rerun.stderr
    indexed, unchanged, _, failed = summary(rerun)
    assert unchanged >= part and indexed + unchanged == 150 and failed == 0
    assert dump(db) == dump(clean_db)
    with open_store(db, create=False) as s:
        assert s.check() == []


def test_two_index_processes_at_once(corpus, clean, tmp_path):
    db = tmp_path / "both.db"
    procs = [subprocess.Popen(index_cmd(str(corpus), "--db", str(db), "--jobs", jobs), env=cli_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for jobs in ("1", "2")]
    results = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, results):
        assert p.returncode == 0, err.decode()
    counts = [SUMMARY.fullmatch(err.decode().strip().splitlines()[-1]) for _, err in results]
    assert all(counts) and all(int(m[1]) + int(m[2]) == 35 for m in counts)
    assert dump(db) == clean[1]
    with open_store(db, create=False) as s:
        assert s.check() == []


# ---------------------------------------------------------------------------------------------
# query --db


def _key(plan, m) -> tuple[str, str]:
    return plan.source.path, m.id


FILTERS = [
    {},
    {"unit": "公安局"},
    {"unit": "公安局", "role": "lead"},
    {"unit": "市委政法委"},
    {"unit": "政法委", "has_target": True},
    {"unit": "乡镇"},
    {"role": "support"},
    {"due_before": "2019-12-31"},
    {"due_after": "2021-01-01"},
    {"overdue": True},
    {"text": "综治中心"},
    {"text": "调解"},
    {"text": "網格化"},
    {"text": "ＡＢＣ"},
    {"has_target": True},
    {"section": "tasks"},
    {"no_lead": True},
    {"unit": "县司法局", "due_after": "2020-01-01", "text": "纠纷"},
]


@pytest.mark.parametrize("criteria", FILTERS, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "all")
def test_store_answers_what_the_files_answer(clean, corpus_plans, criteria):
    expected = [_key(p, m) for p, m in filter_measures(corpus_plans, **criteria)]
    with open_store(clean[0], create=False) as s:
        got = s.query_measures(**criteria)
    assert sorted(_key(p, m) for p, m in got.matches) == sorted(expected)
    by_key = {_key(p, m): m for p, m in filter_measures(corpus_plans, **criteria)}
    for p, m in got.matches:
        assert m == by_key[_key(p, m)]


def test_fts_and_like_agree(clean):
    with open_store(clean[0], create=False) as s:
        assert s.fts, "SQLite here has FTS5 trigram (>= 3.34)"
        fts = [(_key(p, m)) for p, m in s.query_measures(text="综治中心").matches]
        s._fts = False
        like = [(_key(p, m)) for p, m in s.query_measures(text="综治中心").matches]
    assert fts == like and len({p for p, _ in fts}) >= 3


def test_query_unit_across_plans_cli(clean):
    proc = run_cli("query", "--db", str(clean[0]), "--unit", "公安局", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    measures = json.loads(proc.stdout)["measures"]
    plans = {m["plan"] for m in measures}
    assert len(plans) >= 5
    assert all(os.path.isabs(m["plan"]) and "region" in m for m in measures)
    assert any(m["region"] == "保定市" for m in measures)
    assert any(u["name"] == "县公安局" for m in measures for u in m["units"])
    assert any(u["name"] == "市公安局" for m in measures for u in m["units"])


def test_query_db_json_equals_query_files_json(clean, corpus):
    sample = corpus / "baoding-city-fengqiao-experience.txt"
    files = run_cli("query", str(sample), "--unit", "政法委", "--format", "json")
    proc = run_cli("query", "--db", str(clean[0]), str(sample), "--unit", "政法委", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    from_db = json.loads(proc.stdout)["measures"]
    assert from_db and all(m["region"] == "保定市" and m["level"] == "市" for m in from_db)
    assert [{k: v for k, v in m.items() if k not in ("region", "level")} for m in from_db] == \
        json.loads(files.stdout)["measures"]


def test_query_region_and_level(clean, corpus, corpus_plans):
    db = str(clean[0])
    county = json.loads(run_cli("query", "--db", db, "--level", "县", "-f", "json").stdout)["measures"]
    levels = {p.source.path: p.document.level for p in corpus_plans}
    assert county and all(levels[m["plan"]] == "县" and m["level"] == "县" for m in county)
    assert len({m["plan"] for m in county}) == sum(1 for v in levels.values() if v == "县")
    baoding = json.loads(run_cli("query", "--db", db, "--region", "保定", "--unit", "公安局", "-f", "json").stdout)
    assert baoding["measures"] and all(m["region"].startswith("保定") for m in baoding["measures"])
    sub = json.loads(run_cli("query", "--db", db, str(corpus / "sub"), "-f",
                             "json").stdout)["measures"]
    assert sub and all("/sub/" in m["plan"] for m in sub)
    bad = run_cli("query", "--db", db, "--level", "村")
    assert bad.returncode == 2 and "--level" in bad.stderr.decode()


def test_query_region_level_on_files():
    proc = run_cli("query", *map(str, SAMPLE_FILES), "--level", "县", "-f", "json")
    assert proc.returncode == 0, proc.stderr
    plans = {m["plan"] for m in json.loads(proc.stdout)["measures"]}
    assert plans == {str(p) for p in SAMPLE_FILES if "county" in p.name}


def test_query_db_formats(clean):
    db = str(clean[0])
    y = run_cli("query", "--db", db, "--text", "综治中心", "-f", "yaml")
    assert y.returncode == 0 and len(yaml.safe_load(y.stdout)["measures"]) >= 3
    c = run_cli("query", "--db", db, "--text", "综治中心", "-f", "csv")
    rows = list(csv.reader(io.StringIO(c.stdout.decode("utf-8-sig"))))
    assert rows[0][:3] == ["来源", "地区", "序号"] and len(rows) == 1 + len(yaml.safe_load(y.stdout)["measures"])
    t = run_cli("query", "--db", db, "--text", "综治中心", "-f", "table")
    assert t.returncode == 0 and "measures from" in t.stdout.decode()


def test_query_needs_plans_or_a_store(tmp_path):
    none = run_cli("query", "--unit", "公安局")
    assert none.returncode == 2 and none.stderr.decode().startswith("govparse: error: ")
    missing = run_cli("query", "--db", str(tmp_path / "nope.db"))
    assert missing.returncode == 1
    assert missing.stderr.decode().strip().splitlines() == [
        f"govparse: error: {tmp_path / 'nope.db'}: no such store (make one with "
        f"`govparse index PATH... --db {tmp_path / 'nope.db'}`)"]
    assert not (tmp_path / "nope.db").exists()


def test_stale_canonical_names_are_recomputed(clean, corpus, tmp_path):
    db = copy_store(clean[0], tmp_path / "stale.db")
    with open_store(db, create=False) as s:
        fresh = [_key(p, m) for p, m in s.query_measures(unit="公安局").matches]
        s.conn.execute("UPDATE units SET canonical = 'X' WHERE canonical = '公安局'")
        s.conn.execute("UPDATE meta SET value = 'old rules' WHERE key = 'canon'")
        assert not s.canon_fresh()
        assert [_key(p, m) for p, m in s.query_measures(unit="公安局").matches] == fresh
    proc = run_cli("index", str(corpus), "--db", str(db))
    assert proc.returncode == 0 and summary(proc) == (0, 35, 0, 0)
    assert dump(db) == clean[1]


# ---------------------------------------------------------------------------------------------
# stats


def test_stats_counts(tmp_path):
    db = tmp_path / "s.db"
    assert run_cli("index", *map(str, SAMPLE_FILES), "--db", str(db)).returncode == 0
    proc = run_cli("stats", "--db", str(db), "--format", "json", "--top", "0")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    plans = [parse_file(p) for p in SAMPLE_FILES]
    per_level = Counter()
    for r in data["plans"]:
        per_level[r["level"]] += r["plans"]
    assert per_level == Counter(p.document.level for p in plans)
    assert {(r["region"], r["level"]): r["plans"] for r in data["plans"]} == Counter(
        (p.document.region, p.document.level) for p in plans)
    assert data["totals"]["plans"] == 5
    assert data["totals"]["measures"] == sum(len(p.measures) for p in plans)
    years = Counter(d.date[:4] for p in plans for d in p.deadlines if d.resolved and d.date)
    assert {str(r["year"]): r["deadlines"] for r in data["deadlines"]} == years
    assert sum(r["count"] for r in data["targets"]) == sum(len(p.targets) for p in plans)
    from govparse.canon import canonical

    leads = Counter()
    for p in plans:
        for m in p.measures:
            for key in {canonical(u.name) for u in m.units if u.role == "lead"}:
                leads[key] += 1
    top = data["lead_units"][0]
    assert top["measures"] == max(leads.values()) and leads[top["unit"]] == top["measures"]
    assert {r["unit"]: r["measures"] for r in data["lead_units"]} == dict(leads)
    c = run_cli("stats", "--db", str(db), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(c.stdout.decode("utf-8-sig"))))
    assert {r["table"] for r in rows} == {"plans", "lead_units", "targets", "deadlines"}
    assert sum(int(r["count"]) for r in rows if r["table"] == "plans") == 5
    t = run_cli("stats", "--db", str(db), "--format", "table")
    assert t.returncode == 0 and "deadlines by year" in t.stdout.decode()


# ---------------------------------------------------------------------------------------------
# schema


def test_newer_store_is_refused_in_one_line(tmp_path):
    db = tmp_path / "new.db"
    open_store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    proc = run_cli("stats", "--db", str(db))
    assert proc.returncode == 1
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "newer than this govparse knows" in lines[0]
    proc = run_cli("index", str(SAMPLE_FILES[0]), "--db", str(db))
    assert proc.returncode == 1 and "newer" in proc.stderr.decode()


def test_old_store_is_migrated(tmp_path):
    db = tmp_path / "v1.db"
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, str(db), target=1)
    from govparse.store import Store

    s = Store(conn, str(db))
    for p in SAMPLE_FILES:
        s.put_plan(parse_file(p).to_dict())
    conn.close()
    with open_store(db, create=False) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert s.fts and s.check() == []
        assert len(s.query_measures(text="综治中心").matches) >= 3


def test_other_files_are_not_stores(tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="not a govparse store"):
        open_store(other)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    proc = run_cli("stats", "--db", str(junk))
    assert proc.returncode == 1 and len(proc.stderr.decode().strip().splitlines()) == 1
    plan_as_db = run_cli("index", str(SAMPLE_FILES[0]), "--db", str(SAMPLE_FILES[1]))
    assert plan_as_db.returncode == 2


def test_plans_extracted_by_other_code_are_extracted_again(clean, corpus, tmp_path):
    db = copy_store(clean[0], tmp_path / "old-code.db")
    with open_store(db, create=False) as s:
        s.conn.execute("UPDATE plans SET extractor = 'older govparse' WHERE path LIKE '%baoding%'")
        stale = s.conn.execute("SELECT count(*) FROM plans WHERE extractor = 'older govparse'").fetchone()[0]
    assert stale >= 3
    proc = run_cli("index", str(corpus), "--db", str(db))
    assert proc.returncode == 0 and summary(proc) == (stale, 35 - stale, 0, 0)
    assert dump(db) == clean[1]


def test_prune_forgets_files_that_are_gone(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    for p in SAMPLE_FILES[:3]:
        shutil.copy(p, folder / p.name)
    db = tmp_path / "p.db"
    assert run_cli("index", str(folder), "--db", str(db)).returncode == 0
    (folder / SAMPLE_FILES[0].name).unlink()
    kept = run_cli("index", str(folder), "--db", str(db))
    assert summary(kept) == (0, 2, 0, 0)
    with open_store(db, create=False) as s:
        assert s.count("plans") == 3  # without --prune the store keeps what it has
    pruned = run_cli("index", str(folder), "--db", str(db), "--prune")
    assert pruned.returncode == 0 and "removed 1" in pruned.stderr.decode()
    with open_store(db, create=False) as s:
        assert s.count("plans") == 2 and s.check() == []


def test_a_file_over_its_time_budget_is_recorded_as_failed(tmp_path):
    from govparse.corpus import extract_for_store

    slow = tmp_path / "slow.txt"
    slow.write_text("\n".join(f"{i % 9 + 1}.推进工作{i}。" for i in range(60_000)), encoding="utf-8")
    path, data, canon, error = extract_for_store(str(slow), timeout=0.2)
    assert data is None and "took longer than 0.2 s" in error
