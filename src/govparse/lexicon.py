"""Load the lexicons in ``govparse/data``: the words and patterns are data, not code."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


def _data_text(name: str) -> str:
    return resources.files("govparse").joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """The parsed YAML data file ``name`` (without ``.yaml``)."""
    return yaml.safe_load(_data_text(name + ".yaml"))


@lru_cache(maxsize=None)
def traditional_chars() -> frozenset[str]:
    lines = [ln for ln in _data_text("traditional_chars.txt").splitlines() if not ln.startswith("#")]
    return frozenset("".join(lines).strip())


def alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first so the longest wins."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
