"""Load the lexicons in ``govparse/data``: the words and patterns are data, not code."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

try:  # libyaml's loader reads the lexicons several times faster than the pure-Python one
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform's PyYAML build
    from yaml import SafeLoader as _Loader


def _data_text(name: str) -> str:
    return resources.files("govparse").joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """The parsed YAML data file ``name`` (without ``.yaml``)."""
    return yaml.load(_data_text(name + ".yaml"), Loader=_Loader)  # a safe loader


@lru_cache(maxsize=None)
def traditional_chars() -> frozenset[str]:
    lines = [ln for ln in _data_text("traditional_chars.txt").splitlines() if not ln.startswith("#")]
    return frozenset("".join(lines).strip())


def alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first so the longest wins."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
