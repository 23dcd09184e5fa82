#!/usr/bin/env python3
"""Time and memory of extracting one very large plan: do they grow linearly with its size?

    python benchmarks/big_bench.py [--sizes 2 10 50] [--out benchmarks/results/big.json]

Builds plans of the given sizes (MB of UTF-8) by repeating the samples one after another
(headings, unit lists, deadlines and targets all the way down), runs
``govparse extract FILE --out-dir DIR`` on each as its own process and reports seconds,
peak RSS and both per MB: per-MB figures that stay flat mean linear growth.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))


def build(path: Path, megabytes: float) -> int:
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]
    target = int(megabytes * 1024 * 1024)
    size = 0
    with path.open("w", encoding="utf-8") as f:
        i = 0
        while size < target:
            chunk = texts[i % len(texts)] + "\n"
            f.write(chunk)
            size += len(chunk.encode("utf-8"))
            i += 1
    return size


def run_one(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one child process."""
    code = ("import resource, subprocess, sys, time\n"
            "t = time.perf_counter()\n"
            "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", code, *cmd], check=True, capture_output=True, text=True,
                         env=env).stdout.split()
    return float(out[0]), int(out[1]) / 1024  # ru_maxrss is in KB on Linux


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[2, 10])
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "big.json"))
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.sizes:
            plan = Path(tmp) / f"plan-{mb:g}mb.txt"
            size = build(plan, mb)
            seconds, rss = run_one([sys.executable, "-m", "govparse", "extract", str(plan), "--out-dir",
                                    str(Path(tmp) / "out"), "--timeout", "0"], env)
            real_mb = size / 1024 / 1024
            rows.append({"megabytes": round(real_mb, 2), "seconds": round(seconds, 2), "peak_rss_mb": round(rss),
                         "seconds_per_mb": round(seconds / real_mb, 2), "rss_mb_per_mb": round(rss / real_mb, 1)})
            print(json.dumps(rows[-1]))
            plan.unlink()
    result = {"machine": {"platform": platform.platform(), "python": platform.python_version(),
                          "cpus": os.cpu_count()}, "runs": rows}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
