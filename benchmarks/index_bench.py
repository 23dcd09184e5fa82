"""Benchmark of `govparse index`: a corpus of generated county plans into one SQLite store.

Generates N plans (default 1,000) of about 10-20 thousand characters from the samples:
each is one sample with the bodies of two or three others appended, its place renamed
to a county (市 -> 县 for half of them), numbers and years changed, every sixth saved
as GB18030.  Then, as real processes (`python -m govparse ...`):

  1. `index DIR --db STORE` with the default --jobs (all cores): time, plans/s;
  2. the same again (every file unchanged): time;
  3. `query --db STORE --unit 公安局`, `query --db STORE --text 综治中心` and `stats`;

and prints the store's size, the CPU time of the indexing processes (wall time on a
shared machine says little without it), the peak RSS of the indexing process tree (the largest
single process from getrusage RUSAGE_CHILDREN, and the sum over the tree sampled from
/proc every 20 ms) and the machine.

    python benchmarks/index_bench.py [--plans 1000] [--jobs N] [--seed 1] [--keep DIR] [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
COUNTIES = ["清苑", "满城", "徐水", "涞水", "阜平", "定兴", "唐县", "高阳", "容城", "涞源", "望都", "安新",
            "易县", "曲阳", "蠡县", "顺平", "博野", "雄县", "榆社", "左权", "和顺", "昔阳", "寿阳", "太谷",
            "祁县", "平遥", "灵石", "彰武", "康平", "法库"]
CITIES = ["保定", "晋中", "阜新"]
_YEAR = re.compile(r"20(1[6-9]|2[0-5])年")
_PERCENT = re.compile(r"(\d{1,2})%")


def make_plan(i: int, rng: random.Random, texts: list[str]) -> tuple[str, str]:
    """(text, encoding) of the i-th generated plan."""
    first = texts[i % len(texts)]
    others = rng.sample([t for t in texts if t is not first], rng.randint(2, 3))
    body = [first] + [t.split("\n", 1)[1] if "\n" in t else t for t in others]
    text = "\n".join(body)
    county = rng.choice(COUNTIES) + f"{i}"
    for city in CITIES:
        text = text.replace(city + "市", county + ("县" if i % 2 else "市"))
    if i % 2:
        text = text.replace("市", "县")
    shift = rng.randint(0, 6)
    text = _YEAR.sub(lambda m: f"{2016 + (int(m.group(1)) - 16 + shift) % 10}年", text)
    text = _PERCENT.sub(lambda m: f"{(int(m.group(1)) + rng.randint(0, 9)) % 100}%", text)
    text += f"\n\n{county}平安建设领导小组办公室\n{2020 + shift}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日\n"
    return text, ("gb18030" if i % 6 == 5 else "utf-8")


def generate(folder: Path, n: int, seed: int) -> tuple[int, int]:
    """Write ``n`` plans into ``folder`` (100 per subfolder); (files, characters)."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]
    chars = 0
    for i in range(n):
        text, enc = make_plan(i, rng, texts)
        sub = folder / f"batch{i // 100:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"plan{i:04d}.txt").write_bytes(text.encode(enc))
        chars += len(text)
    return n, chars


class TreeRss:
    """Samples the summed RSS of a process and its descendants from /proc (Linux)."""

    def __init__(self, pid: int, every: float = 0.02):
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _children(self) -> dict[int, list[int]]:
        kids: dict[int, list[int]] = {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    with open(f"/proc/{d}/stat") as fh:
                        ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                    kids.setdefault(ppid, []).append(int(d))
                except (OSError, ValueError, IndexError):
                    pass
        return kids

    def _rss(self, pid: int) -> int:
        try:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        if not os.path.isdir("/proc"):
            return
        while not self._stop.is_set():
            kids = self._children()
            todo, total = [self.pid], 0
            while todo:
                p = todo.pop()
                total += self._rss(p)
                todo += kids.get(p, [])
            self.peak = max(self.peak, total)
            self._stop.wait(self.every)


def govparse(*args: str, env: dict, sample_rss: bool = False) -> tuple[float, subprocess.CompletedProcess, int]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "govparse", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    tree = TreeRss(proc.pid) if sample_rss else None
    if tree:
        tree.__enter__()
    out, err = proc.communicate()
    if tree:
        tree.__exit__(None, None, None)
    elapsed = time.perf_counter() - start
    done = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    if proc.returncode != 0:
        sys.stderr.write(err.decode("utf-8", "replace"))
        raise SystemExit(f"govparse {args[0]} failed with exit code {proc.returncode}")
    return elapsed, done, tree.peak if tree else 0


def mb(n: float) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plans", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=0, help="--jobs of index (default: govparse's, all cores)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="generate into (and keep) this folder")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = ap.parse_args()

    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    work = args.keep or Path(tempfile.mkdtemp(prefix="govparse-index-bench-"))
    corpus, db = work / "plans", work / "plans.db"
    if corpus.exists():
        shutil.rmtree(corpus)
    for f in work.glob("plans.db*"):
        f.unlink()
    try:
        t = time.perf_counter()
        n, chars = generate(corpus, args.plans, args.seed)
        gen = time.perf_counter() - t
        jobs = ["--jobs", str(args.jobs)] if args.jobs else []

        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        first, proc, tree_peak = govparse("index", str(corpus), "--db", str(db), *jobs, env=env, sample_rss=True)
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        children_maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # KiB on Linux
        self_maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        summary1 = proc.stderr.decode().strip().splitlines()[-1]
        again, proc2, _ = govparse("index", str(corpus), "--db", str(db), *jobs, env=env)
        summary2 = proc2.stderr.decode().strip().splitlines()[-1]
        q_unit, p_unit, _ = govparse("query", "--db", str(db), "--unit", "公安局", "--format", "json", env=env)
        q_text, p_text, _ = govparse("query", "--db", str(db), "--text", "综治中心", "--format", "json", env=env)
        q_stats, _, _ = govparse("stats", "--db", str(db), "--format", "json", env=env)
        size = sum(f.stat().st_size for f in work.glob("plans.db*"))
        with sqlite3.connect(db) as conn:
            counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in ("plans", "measures", "units", "deadlines", "targets")}
            fts = conn.execute("SELECT value FROM meta WHERE key = 'fts'").fetchone()[0]

        from govparse.corpus import default_jobs  # noqa: E402  (after PYTHONPATH is known)

        figures = {
            "machine": {"platform": platform.platform(), "python": platform.python_version(),
                        "sqlite": sqlite3.sqlite_version, "cores": os.cpu_count(),
                        "jobs": args.jobs or default_jobs()},
            "corpus": {"plans": n, "characters": chars, "mean_chars": round(chars / n),
                       "generate_s": round(gen, 2)},
            "index": {"seconds": round(first, 2), "plans_per_s": round(n / first, 1), "summary": summary1,
                      "cpu_seconds": round(cpu, 2), "cpu_ms_per_plan": round(cpu / n * 1000, 1),
                      "load_average": [round(x, 2) for x in os.getloadavg()],
                      "peak_rss_tree_sum": tree_peak, "peak_rss_largest_process": children_maxrss,
                      "bench_self_maxrss": self_maxrss},
            "reindex_unchanged": {"seconds": round(again, 2), "summary": summary2},
            "store": {"bytes": size, **counts, "fts": fts},
            "query": {"unit_公安局_s": round(q_unit, 3),
                      "unit_公安局_measures": len(json.loads(p_unit.stdout)["measures"]),
                      "text_综治中心_s": round(q_text, 3),
                      "text_综治中心_measures": len(json.loads(p_text.stdout)["measures"]),
                      "stats_s": round(q_stats, 3)},
        }
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    m, c, ix = figures["machine"], figures["corpus"], figures["index"]
    print(f"machine: {m['platform']}, Python {m['python']}, SQLite {m['sqlite']}, {m['cores']} cores, "
          f"index --jobs {m['jobs']}")
    print(f"corpus: {c['plans']} plans, {c['characters']:,} characters (mean {c['mean_chars']:,})")
    print(f"index: {ix['seconds']} s, {ix['plans_per_s']} plans/s  [{ix['summary']}]")
    print(f"  CPU of the process tree: {ix['cpu_seconds']} s ({ix['cpu_ms_per_plan']} ms per plan); "
          f"load average after: {ix['load_average']}")
    print(f"peak RSS: process tree {mb(ix['peak_rss_tree_sum'])} (sampled sum), largest process "
          f"{mb(ix['peak_rss_largest_process'])} (RUSAGE_CHILDREN), benchmark itself {mb(ix['bench_self_maxrss'])}")
    r = figures["reindex_unchanged"]
    print(f"re-index, all unchanged: {r['seconds']} s  [{r['summary']}]")
    s = figures["store"]
    print(f"store: {mb(s['bytes'])} ({s['plans']} plans, {s['measures']} measures, {s['units']} units, "
          f"{s['deadlines']} deadlines, {s['targets']} targets; fts {s['fts']})")
    q = figures["query"]
    print(f"query --unit 公安局: {q['unit_公安局_s']} s ({q['unit_公安局_measures']} measures); "
          f"--text 综治中心: {q['text_综治中心_s']} s ({q['text_综治中心_measures']} measures); "
          f"stats: {q['stats_s']} s")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
