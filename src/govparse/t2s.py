"""Traditional to simplified script: ``opencc.OpenCC("t2s").convert``, exactly, but fast.

Why this exists: the converter of opencc-python-reimplemented (a base dependency) is
pure Python and builds a parse tree per call; on traditional-script plans it took a
third of all extraction time.  This module uses that package's own t2s dictionaries
(the files its ``config/t2s.json`` names, read from the installed package at first
use; no dictionary data lives in this repository) and reproduces its output exactly,
which ``tests/test_t2s.py`` checks against the library.  One job: ``convert(text)``.

What the library (0.1.7) does, and how it is reproduced here:

* It applies the ``conversion_chain`` of t2s.json (one group: TSPhrases, then
  TSCharacters); the config's ``segmentation`` entry is not used.
* It splits the text at separators (runs of whitespace, ``- , . ? ! *`` and the CJK
  punctuation of ``_SEPARATOR``) and copies them unchanged; nothing is matched across
  or on a separator.
* In each piece it replaces, from the phrase dictionary, the longest phrase occurring
  anywhere in the piece (the leftmost of equally long ones), then does the same to
  the text left and right of it, recursively.  This is not left-to-right max-match:
  in "ABCD" with phrases "AB" and "BCD", "BCD" wins and "A" is left over.
* Characters covered by no phrase are replaced one by one from the character
  dictionary; a character in neither dictionary (ASCII, an already simplified one,
  an unlisted non-BMP one, a lone surrogate) stays as it is.  Of several candidates listed for an entry, the first
  is used.  The empty string stays empty.

The recursion selects the same phrases as taking all phrase occurrences in the order
longest first, then leftmost, and keeping each one that overlaps none kept before;
since no phrase contains a separator, splitting at separators changes nothing in that
order.  So: one ``str.translate`` over the whole text (every character entry maps one
character to one character, so positions do not move), a precompiled regex that
finds where a phrase starts, and Python work only at those places (rare in practice).

If the installed data breaks an assumption this relies on (config shape, one-character
entries, non-empty keys and values), the library's own converter is used instead.
"""
from __future__ import annotations

import importlib.util
import json
import re
import sys
from array import array
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

__all__ = ["convert"]

# One character the library splits on (``OpenCC.split_chars_re``: ``\s+`` or one of
# these); the test suite checks this class against the library's pattern on every
# code point.
_SEPARATOR = re.compile(
    "[\\s\\-,.?!*\u3000，。、；：？！…“”‘’『』「」﹁﹂—－（）《》〈〉～．／＼︒︑︔︓︿﹀︹︺︙︐"
    "［﹇］﹈︕︖︰︳︴︽︾︵︶｛︷｝︸﹃﹄【︻】︼]")


def convert(text: str) -> str:
    """``text`` in simplified script, exactly as ``opencc.OpenCC("t2s").convert(text)``."""
    return _converter()(text)


def _package_dir() -> Path:
    spec = importlib.util.find_spec("opencc")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the opencc package (opencc-python-reimplemented) is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def _read_dict(path: Path) -> dict[str, str]:
    """A dictionary file parsed as the library parses it; value = first candidate."""
    entries: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, value = line.strip().split("\t")
            entries[key] = value.split(" ")[0]
    return entries


def _dict_files(root: Path) -> tuple[Path, Path] | None:
    """(phrases, characters) if t2s.json is one group of two text dictionaries."""
    config = json.loads((root / "config" / "t2s.json").read_text(encoding="utf-8"))
    chain = config.get("conversion_chain") or []
    if len(chain) != 1:
        return None
    group = chain[0].get("dict") or {}
    dicts = group.get("dicts") or []
    if group.get("type") != "group" or len(dicts) != 2 or any(d.get("type") != "txt" for d in dicts):
        return None
    return root / "dictionary" / dicts[0]["file"], root / "dictionary" / dicts[1]["file"]


@lru_cache(maxsize=1)
def _converter() -> Callable[[str], str]:
    root = _package_dir()
    files = _dict_files(root)
    if files is not None:
        phrases, chars = _read_dict(files[0]), _read_dict(files[1])
        if (all(len(k) == 1 and len(v) == 1 for k, v in chars.items())
                and all(k and v for k, v in phrases.items())):
            return _fast_converter(phrases, chars)
    import opencc  # data this module does not understand: the library's own converter

    return opencc.OpenCC("t2s").convert


def _fast_converter(phrases: dict[str, str], chars: dict[str, str]) -> Callable[[str], str]:
    # Character table as a string indexed by code point: str.translate looks each
    # character up by index, and one past the end (IndexError) leaves it unchanged.
    # Faster than a dict, whose misses raise KeyError inside translate (measured:
    # 19 against 31 ms per MB).  Built as 32-bit code points, decoded in one go.
    codes = array("I" if array("I").itemsize == 4 else "L", range(max(map(ord, chars), default=0) + 1))
    for k, v in chars.items():
        if not _SEPARATOR.search(k):
            codes[ord(k)] = ord(v)
    ttable = codes.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be",
                                    "surrogatepass")

    # a phrase with a separator in it can never match
    phrases = {k: v for k, v in phrases.items() if not _SEPARATOR.search(k)}
    # One alternative per first character, its continuations longest first, so a match
    # is the longest phrase starting there (no quantifiers: linear).  Shorter phrases
    # starting at the same place are prefixes of that one.
    rests: defaultdict[str, list[str]] = defaultdict(list)
    for k in phrases:
        rests[k[0]].append(k[1:])
    search = re.compile("|".join(
        re.escape(first) + "(?:" + "|".join(re.escape(r) for r in sorted(rs, key=len, reverse=True)) + ")"
        for first, rs in sorted(rests.items()))).search if phrases else None
    shorter = {k: tuple(k[:n] for n in range(len(k) - 1, 0, -1) if k[:n] in phrases) for k in phrases}

    def t2s(text: str) -> str:
        out = text.translate(ttable)
        m = search(text) if search is not None else None
        if m is None:
            return out
        found = []  # (start, phrase) for every phrase occurrence
        while m is not None:
            i = m.start()
            found.append((i, m.group()))
            found.extend((i, p) for p in shorter[m.group()])
            m = search(text, i + 1)
        if len(found) > 1:
            found = _select(found)
        parts = []
        pos = 0
        for i, key in found:
            parts.append(out[pos:i])
            parts.append(phrases[key])
            pos = i + len(key)
        parts.append(out[pos:])
        return "".join(parts)

    return t2s


def _select(found: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The occurrences the library replaces: longest first, then leftmost, each one
    kept unless it overlaps one already kept; returned in text order."""
    taken: set[int] = set()
    kept = []
    for i, key in sorted(found, key=lambda o: (-len(o[1]), o[0])):
        span = range(i, i + len(key))
        if taken.isdisjoint(span):
            taken.update(span)
            kept.append((i, key))
    kept.sort()
    return kept
