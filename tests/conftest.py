"""Shared fixtures: the sample plans, and the read-only reference in ../shared when present."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"

# sample file -> the name of its gold annotation in ../shared/gold
SAMPLE_GOLD = {
    "jinzhong-city-sanzhi-sanling-traditional.txt": "000_0e31506534e70ae8",
    "zhangwu-county-five-threes-report.txt": "001_dff35cabc510d099",
    "anon-city-civil-affairs-social-governance.txt": "002_b557ce7122deb9e8",
    "baoding-city-fengqiao-experience.txt": "003_28f1d008da08f8a8",
    "anon-town-three-governance-integration.txt": "004_f22d3845b0ca0902",
}
SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))


def run_cli(*args: str, input: bytes | None = None, cwd: Path | None = None, timeout: float = 60):
    """Run ``python -m govparse`` as a real process; returns CompletedProcess (bytes)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("COLUMNS", "200")
    return subprocess.run([sys.executable, "-m", "govparse", *args], input=input, capture_output=True,
                          cwd=cwd, timeout=timeout, env=env)


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "gold" / "score.py").is_file():
        pytest.skip("../shared (gold annotations) is not present")
    return SHARED


@pytest.fixture(scope="session")
def sample_plans():
    """Each sample extracted once per test session: {file name: Plan}."""
    from govparse import parse_file

    return {p.name: parse_file(p) for p in SAMPLE_FILES}
