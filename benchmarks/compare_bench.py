"""Benchmark of `govparse compare`: many county variants of the sample plans.

Generates N plan variants (default 500) of 10-20 thousand characters from the
samples, the way counties rewrite a city's plan: measures shuffled, 市 bureaus
renamed to 县 ones (市公安局 -> 县公安局, the city's name -> a county's), measures
dropped and measures of other samples inserted, numbers changed, some sentences
dropped.  Writes them to a temporary folder, then times `compare` on the folder
in-process (`compare_files`) and as a process (`python -m govparse compare ... -o`),
and prints the times, plans/s and the machine.

    python benchmarks/compare_bench.py [--plans 500] [--jobs N] [--seed 1] [--keep DIR] [--hard]
                                       [--no-process] [--no-inprocess]

--hard adds a county's own sentence to every measure, so that no measure text
repeats between plans and nothing tokenized once can be reused.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from govparse.build import parse_file  # noqa: E402

SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
COUNTIES = ["清苑", "满城", "徐水", "涞水", "阜平", "定兴", "唐县", "高阳", "容城", "涞源", "望都", "安新",
            "易县", "曲阳", "蠡县", "顺平", "博野", "雄县", "榆社", "左权", "和顺", "昔阳", "寿阳", "太谷",
            "祁县", "平遥", "灵石", "彰武", "康平", "法库"]
NUMERALS = "一二三四五六七八九十"
_NUM = re.compile(r"\d+")
_SENTENCE = re.compile(r"(?<=[。;])")


def _one_line(text: str) -> str:
    """A measure's text on one line (its label lines joined with ;)."""
    out = ""
    for piece in text.split("\n"):
        piece = piece.strip()
        if not piece:
            continue
        if out and out[-1] not in "。;:,、)":
            out += ";"
        out += piece
    return out


def load_pool():
    """Per sample: (title, region, [(heading, one-line text, unit names)])."""
    pool = []
    for path in SAMPLES:
        plan = parse_file(path)
        items = []
        for m in plan.measures:
            text = _one_line(m.text)
            if not text.startswith(m.heading):
                text = f"{m.heading}。{text}"
            items.append((m.heading, text, sorted({u.name for u in m.units}, key=len, reverse=True)))
        pool.append((plan.document.title or path.stem, plan.document.region, items))
    return pool


def _county_text(text: str, units: list[str], region: str | None, county: str) -> str:
    for name in units:
        if name.startswith("市"):
            text = text.replace(name, "县" + name[1:].replace("依法治市", "依法治县"))
    if region:
        text = text.replace(region, county + "县")
        if len(region) >= 3:
            text = text.replace(region[:-1], county)
    return text.replace("全市", "全县")


def _change_numbers(text: str, rng: random.Random) -> str:
    def bump(m):
        v = int(m.group(0))
        if v >= 1900 or rng.random() < 0.5:  # years and half the numbers stay
            return m.group(0)
        return str(max(1, v + rng.choice((-10, -5, 5, 10)) if v > 10 else v + rng.choice((-1, 1, 2))))

    return _NUM.sub(bump, text)


def _drop_sentence(text: str, rng: random.Random) -> str:
    parts = [p for p in _SENTENCE.split(text) if p]
    if len(parts) < 3:
        return text
    del parts[rng.randrange(1, len(parts) - 1)]  # never the heading, never the unit labels
    return "".join(parts)


LOCAL = ["结合本地实际细化落实措施", "建立工作台账并按月调度", "纳入年度目标责任考核", "加强与相邻地区协作联动",
         "定期开展督导检查", "及时总结推广经验做法", "明确专人负责跟踪问效", "每季度报送工作进展"]


def make_variant(pool, n: int, rng: random.Random, hard: bool = False) -> str:
    base = n % len(pool)
    title, region, items = pool[base]
    county = COUNTIES[n % len(COUNTIES)] + (str(n // len(COUNTIES)) if n >= len(COUNTIES) else "")
    target = rng.randint(10_000, 20_000)
    chosen = [(base, it) for it in items if rng.random() > 0.1]  # drop about one in ten
    others = [(s, it) for s, (_t, _r, its) in enumerate(pool) if s != base for it in its]
    rng.shuffle(others)
    size = sum(len(it[1]) for _s, it in chosen)
    while size < target and others:  # insert measures of other plans
        s, it = others.pop()
        chosen.insert(rng.randrange(len(chosen) + 1), (s, it))
        size += len(it[1])
    rng.shuffle(chosen)  # shuffle measures
    lines = [f"{county}县{title.replace(region or '@@', '')}", "", "一、主要任务"]
    section = 1
    for k, (s, (_heading, text, units)) in enumerate(chosen, 1):
        if k % 25 == 0 and section < len(NUMERALS):
            section += 1
            lines.append(f"{NUMERALS[section - 1]}、重点工作({section})")
        text = _county_text(text, units, pool[s][1], county)
        if rng.random() < 0.3:
            text = _change_numbers(text, rng)
        if rng.random() < 0.2:
            text = _drop_sentence(text, rng)
        if hard:  # a county's own sentence in every measure: no two plans share a measure verbatim
            cut = text.find("。") + 1 or len(text)
            text = f"{text[:cut]}{county}县{rng.choice(LOCAL)}{rng.randrange(1000)}项。{text[cut:]}"
        lines.append(f"{k}、{text}")
    return "\n".join(lines) + "\n"


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (worker processes included)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def load() -> str:
    try:
        return "load average %.1f %.1f %.1f" % os.getloadavg()
    except OSError:
        return "load average unknown"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (f"{platform.platform()}; Python {platform.python_version()}; {os.cpu_count()} CPUs "
            f"({cpu})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plans", type=int, default=500)
    ap.add_argument("--jobs", type=int, default=0, help="worker processes (default: cores)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="write the variants here and keep them")
    ap.add_argument("--hard", action="store_true", help="give every measure of every variant a sentence of "
                    "its own, so that no measure text repeats (nothing to reuse between plans)")
    ap.add_argument("--no-process", action="store_true", help="skip timing `python -m govparse compare`")
    ap.add_argument("--no-inprocess", action="store_true", help="skip timing compare_files in this process")
    args = ap.parse_args()
    jobs = args.jobs or os.cpu_count() or 1

    print(f"machine: {machine()}")
    rng = random.Random(args.seed)
    pool = load_pool()
    tmp = None
    if args.keep:
        folder = args.keep
        folder.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="govparse-compare-bench-")
        folder = Path(tmp.name)
    t0 = time.perf_counter()
    chars = []
    for n in range(args.plans):
        text = make_variant(pool, n, rng, args.hard)
        chars.append(len(text))
        (folder / f"plan-{n:04d}.txt").write_text(text, encoding="utf-8")
    print(f"generated {args.plans} plans in {time.perf_counter() - t0:.1f} s: {min(chars)}-{max(chars)} "
          f"characters (mean {sum(chars) // len(chars)}) in {folder}")

    if not args.no_inprocess:
        from govparse.compare import compare_files

        t0, c0, before = time.perf_counter(), cpu_seconds(), load()
        result, errors = compare_files([str(folder)], jobs=jobs)
        dt, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        t1 = time.perf_counter()
        from govparse.writers.structured import to_json

        size = len(to_json(result))
        dj = time.perf_counter() - t1
        s = result["settings"]
        print(f"in-process compare_files, {jobs} jobs: {dt:.1f} s ({args.plans / dt:.1f} plans/s); "
              f"{s['measures']} measures in {s['clusters']} clusters, {len(result['pairs'])} pairs, "
              f"verbatim sample {s['verbatim_sample']}; JSON {size / 1e6:.1f} MB in {dj:.1f} s; "
              f"{len(errors)} errors")
        print(f"  CPU {cpu:.1f} s (workers included) = {cpu / jobs:.1f} s per core; {before} before, "
              f"{load()} after")

    if not args.no_process:
        with tempfile.TemporaryDirectory(prefix="govparse-compare-out-") as out_dir:
            out = Path(out_dir) / "compare.json"
            env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
            t0, c0 = time.perf_counter(), cpu_seconds()
            proc = subprocess.run([sys.executable, "-m", "govparse", "compare", str(folder), "--format", "json",
                                   "--jobs", str(jobs), "-o", str(out)], env=env, capture_output=True)
            dt, cpu = time.perf_counter() - t0, cpu_seconds() - c0
            if proc.returncode != 0:
                print(f"govparse compare failed ({proc.returncode}): "
                      f"{proc.stderr.decode(errors='replace')[-2000:]}")
                return 1
            plans = len(json.loads(out.read_text(encoding="utf-8"))["plans"])
        print(f"process `govparse compare --format json -o`, {jobs} jobs: {dt:.1f} s "
              f"({plans / dt:.1f} plans/s); CPU {cpu:.1f} s; {load()}")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
