"""Load a PLAN argument: a source document (.txt .docx .html) or a YAML/JSON file that
``govparse extract`` wrote (``schema: govparse/1``).

YAML is read with a safe loader only; files over ``MAX_PLAN_FILE_BYTES`` and
documents with more than ``MAX_YAML_ALIASES`` alias references (a "billion laughs"
expansion) are refused.  Every problem is an ``InputError`` naming the file.
"""
from __future__ import annotations

import json
import os
from typing import BinaryIO

import yaml

from .errors import InputError
from .model import SCHEMA, Plan

MAX_PLAN_FILE_BYTES = 50 * 1024 * 1024
MAX_YAML_ALIASES = 100
STRUCTURED_SUFFIXES = (".yaml", ".yml", ".json")
NOT_A_PLAN = f"not a govparse plan (no 'schema: {SCHEMA}')"


class _AliasLimitError(yaml.YAMLError):
    pass


class _CountingLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that stops after ``MAX_YAML_ALIASES`` aliases."""

    def __init__(self, stream):
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_YAML_ALIASES:
                raise _AliasLimitError(f"more than {MAX_YAML_ALIASES} YAML aliases")
        return super().compose_node(parent, index)


def is_structured(path: str) -> bool:
    """True for a name that ``load_plans`` reads as YAML/JSON rather than as a document."""
    return os.fsdecode(path).lower().endswith(STRUCTURED_SUFFIXES)


def load_plans(path: str | os.PathLike, *, stdin: BinaryIO | None = None) -> list[Plan]:
    """The plans in ``path``: one for a source document, one or more for a YAML/JSON
    file of ``govparse extract`` (several documents, or a JSON list, give several)."""
    name = os.fsdecode(path)
    if not is_structured(name):
        from .build import parse_file

        return [parse_file(name, stdin=stdin) if name == "-" else parse_file(name)]
    return plans_from_data(_read_structured(name), name)


def load_plan(path: str | os.PathLike) -> Plan:
    """Exactly one plan from ``path`` (see ``load_plans``)."""
    plans = load_plans(path)
    if len(plans) != 1:
        raise InputError(os.fsdecode(path), f"holds {len(plans)} plans, expected one")
    return plans[0]


def _read_structured(name: str) -> list:
    try:
        size = os.stat(name).st_size
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except OSError as e:
        raise InputError(name, f"cannot read: {e.strerror or e}") from None
    if size > MAX_PLAN_FILE_BYTES:
        raise InputError(name, f"file too large ({size // (1024 * 1024)} MB; the limit is "
                               f"{MAX_PLAN_FILE_BYTES // (1024 * 1024)} MB)")
    try:
        with open(name, "rb") as fh:
            raw = fh.read(MAX_PLAN_FILE_BYTES + 1)
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a file") from None
    except OSError as e:
        raise InputError(name, f"cannot read: {e.strerror or e}") from None
    if len(raw) > MAX_PLAN_FILE_BYTES:
        raise InputError(name, "file too large")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(name, "not UTF-8 text") from None
    try:
        if name.lower().endswith(".json"):
            data = json.loads(text)
            return data if isinstance(data, list) else [data]
        return [d for d in yaml.load_all(text, Loader=_CountingLoader) if d is not None]
    except _AliasLimitError as e:
        raise InputError(name, f"refused: {e}") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(e, "problem", None) or "syntax error"
        raise InputError(name, f"not valid YAML: {problem}{where}") from None
    except json.JSONDecodeError as e:
        raise InputError(name, f"not valid JSON: {e.msg} (line {e.lineno})") from None
    except RecursionError:
        raise InputError(name, "nested too deeply to read") from None


def plans_from_data(docs: list, name: str) -> list[Plan]:
    """Plans from the parsed documents of a YAML/JSON file called ``name``."""
    if not docs or not all(isinstance(d, dict) and d.get("schema") == SCHEMA for d in docs):
        raise InputError(name, NOT_A_PLAN)
    plans = []
    for d in docs:
        try:
            plans.append(Plan.from_dict(d))
        except (TypeError, KeyError, ValueError, AttributeError) as e:
            raise InputError(name, f"malformed govparse plan: {type(e).__name__}: {e}") from None
    return plans
