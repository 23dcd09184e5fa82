"""Load the lexicons in ``govparse/data``: the words and patterns are data, not code.

The YAML files are the source: edit them, nothing else.  Parsing them needs PyYAML,
whose import alone costs about as much as reading a whole plan, so every run of
``govparse extract`` would pay it.  ``data/lexicons.json`` is a snapshot of what the
YAML files parse to, each entry stamped with the SHA-256 of the text it came from.
``load`` uses an entry only while its stamp matches the YAML file as it is now; an
edited file is parsed afresh, so a stale snapshot costs time, never correctness.
Refresh the snapshot after editing a lexicon (a test fails until you do)::

    python -m govparse.lexicon
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

# the package's own files, next to this module (importlib.resources would pull in
# tempfile, random and zipfile at start-up for the same answer)
DATA = Path(__file__).resolve().parent / "data"
SNAPSHOT = "lexicons.json"


def _data_text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def _stamp(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_yaml(text: str) -> Any:
    """What a YAML lexicon says, read with a safe loader (libyaml's when there is one)."""
    import yaml  # only when a lexicon changed since the snapshot, or to write one

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # a safe loader: no tags that build objects


@lru_cache(maxsize=1)
def _snapshot() -> dict[str, Any]:
    try:
        data = json.loads(_data_text(SNAPSHOT))
    except (OSError, ValueError):
        return {}  # no snapshot (or a broken one): every lexicon is parsed from YAML
    return data if isinstance(data, dict) else {}


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """The parsed YAML data file ``name`` (without ``.yaml``)."""
    text = _data_text(name + ".yaml")
    entry = _snapshot().get(name)
    if isinstance(entry, dict) and entry.get("sha256") == _stamp(text):
        return entry["data"]
    return parse_yaml(text)


def lexicon_names() -> list[str]:
    return sorted(p.stem for p in DATA.glob("*.yaml"))


def build_snapshot() -> dict[str, Any]:
    """The snapshot of every YAML lexicon as it is now.  Raises ValueError for a lexicon
    that JSON cannot carry unchanged (a non-string key, a date): keep lexicons plain."""
    out = {}
    for name in lexicon_names():
        text = _data_text(name + ".yaml")
        data = parse_yaml(text)
        if json.loads(json.dumps(data, ensure_ascii=False)) != data:  # dict order is kept
            raise ValueError(f"data/{name}.yaml: holds values JSON cannot carry (non-string keys?)")
        out[name] = {"sha256": _stamp(text), "data": data}
    return out


def write_snapshot() -> Path:
    path = DATA / SNAPSHOT
    text = json.dumps(build_snapshot(), ensure_ascii=False, indent=1)  # YAML order kept: rules are tried in order + "\n"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


@lru_cache(maxsize=None)
def traditional_chars() -> frozenset[str]:
    lines = [ln for ln in _data_text("traditional_chars.txt").splitlines() if not ln.startswith("#")]
    return frozenset("".join(lines).strip())


def alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first so the longest wins."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


if __name__ == "__main__":  # python -m govparse.lexicon: refresh data/lexicons.json
    print(f"wrote {write_snapshot()}", file=sys.stderr)
