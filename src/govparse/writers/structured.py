"""YAML and JSON of the ``govparse/1`` schema.

The YAML is emitted by hand.  PyYAML's representer (pure Python even with the C
emitter) took 40% of ``extract``'s time, and a plan needs only a small part of
YAML: mappings with identifier keys, lists, strings, numbers, booleans and null.
Strings are written plain only when they cannot be read back as anything else
(they start with a Chinese character and hold no YAML indicator); every other
string is a double-quoted scalar written by ``json.dumps``, which YAML reads with
the same escapes.  ``tests/test_writers.py`` checks that ``yaml.safe_load`` gives
back exactly the data, on the samples and on arbitrary text.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

# a plain scalar: starts with a CJK character or a full-width/Chinese punctuation
# mark (tested by code point: a regex class over the CJK blocks costs ~4 ms to
# compile at every start) and contains no character that YAML treats specially in
# flow or block context
_PLAIN_START_RANGES = (("\u3000", "\u303f"), ("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"), ("\uff01", "\uff5e"))
_PLAIN_START_MARKS = frozenset("“”‘’《》【】、。")
_PLAIN_REST = re.compile(r"[^\x00-\x1f\x7f-\x9f:#'\"{}\[\],&*!|>%@`\\\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]*")


def _plain(s: str) -> bool:
    c = s[:1]
    return bool(c) and (c in _PLAIN_START_MARKS or any(lo <= c <= hi for lo, hi in _PLAIN_START_RANGES)) \
        and _PLAIN_REST.fullmatch(s, 1) is not None


_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# a plain ASCII word or path: starts with a letter, no YAML indicator or space inside
_PLAIN_ASCII = re.compile(r"[A-Za-z][A-Za-z0-9_./+-]*")
# characters YAML does not allow unescaped, or reads as line breaks (json.dumps with
# ensure_ascii=False leaves them as they are)
_NON_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


# words YAML 1.1 reads as booleans or null
_YAML11_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null"})


def _scalar_quoted(s: str) -> str:
    return _NON_PRINTABLE.sub(lambda m: "\\u%04x" % ord(m.group(0)), json.dumps(s, ensure_ascii=False))


@lru_cache(maxsize=1 << 16, typed=True)  # plans repeat most values: roles, labels, unit names
def _scalar(v: Any) -> str:
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        r = repr(v)
        if "e" in r and "." not in r:
            r = r.replace("e", ".0e")  # YAML 1.1 reads a float only with a dot: 5.0e-324
        return r
    s = str(v)
    if _plain(s) and not s.endswith(" "):
        return s
    if _PLAIN_ASCII.fullmatch(s) and s.lower() not in _YAML11_WORDS:
        return s  # "txt", "lead", "govparse/1", "samples/plan.txt"
    return _scalar_quoted(s)


@lru_cache(maxsize=1024)
def _key(k: Any) -> str:
    k = str(k)
    return k if _KEY.fullmatch(k) and k.lower() not in _YAML11_WORDS else _scalar_quoted(k)


def _short_numbers(v: list) -> bool:
    return 0 < len(v) <= 40 and all(isinstance(x, (int, float)) and not isinstance(x, bool) or x is None for x in v)


def _emit(value: Any, indent: int, out: list[str]) -> None:
    if isinstance(value, dict):
        if value:
            _emit_mapping(value, indent, out)
        else:
            out[-1] += " {}"
    elif isinstance(value, list):
        _emit_sequence(value, indent, out)
    else:
        out.append("  " * indent + _scalar(value))


def _emit_mapping(mapping: dict, indent: int, out: list[str], first: str | None = None) -> None:
    """A non-empty mapping, one key per line; ``first`` replaces the indentation of the
    first line (``"- "`` of a list item: "- key: value" on the dash's line, as PyYAML
    writes it)."""
    pad = "  " * indent
    lead = pad if first is None else first
    for k, v in mapping.items():
        key = _key(k)
        if isinstance(v, dict):
            if v:
                out.append(f"{lead}{key}:")
                _emit_mapping(v, indent + 1, out)
            else:
                out.append(f"{lead}{key}: {{}}")
        elif isinstance(v, list):
            if not v or _short_numbers(v):
                out.append(f"{lead}{key}: [{', '.join(map(_scalar, v))}]")
            else:
                out.append(f"{lead}{key}:")
                _emit_sequence(v, indent, out)
        else:
            out.append(f"{lead}{key}: {_scalar(v)}")
        lead = pad


def _emit_sequence(items: list, indent: int, out: list[str]) -> None:
    pad = "  " * indent
    for item in items:
        if isinstance(item, dict):
            if item:
                _emit_mapping(item, indent + 1, out, first=pad + "- ")
            else:
                out.append(f"{pad}- {{}}")
        elif isinstance(item, list):
            if not item:
                out.append(f"{pad}- []")
            elif _short_numbers(item):
                out.append(f"{pad}- [{', '.join(map(_scalar, item))}]")
            else:
                out.append(f"{pad}-")
                _emit_sequence(item, indent + 1, out)
        else:
            out.append(f"{pad}- {_scalar(item)}")


def to_yaml(data: dict[str, Any]) -> str:
    if not data:
        return "{}\n"
    out: list[str] = []
    _emit(data, 0, out)
    return "\n".join(out) + "\n"


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
