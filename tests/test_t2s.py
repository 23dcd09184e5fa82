"""govparse.t2s against the library it replaces: the output must equal
``opencc.OpenCC("t2s").convert`` for every input."""
from __future__ import annotations

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govparse import t2s
from govparse.t2s import convert

from conftest import SAMPLE_FILES, SAMPLES

LIB = opencc.OpenCC("t2s")
DICTS = t2s._package_dir() / "dictionary"


def _entries(name: str) -> dict[str, list[str]]:
    """key -> all candidates, straight from the library's dictionary file."""
    out = {}
    for line in (DICTS / name).read_text(encoding="utf-8").splitlines():
        key, value = line.strip().split("\t")
        out[key] = value.split(" ")
    return out


PHRASES = _entries("TSPhrases.txt")
CHARS = _entries("TSCharacters.txt")
SIMPLIFIED = sorted({c for values in CHARS.values() for c in values}
                    | {v for values in PHRASES.values() for v in values})
FRAGMENTS = sorted({k[:n] for k in PHRASES for n in range(1, len(k))}
                   | {k[n:] for k in PHRASES for n in range(1, len(k))})
# neighbours for an entry: ASCII, simplified and traditional Han, a phrase's first and
# last characters, separators, non-BMP (mapped and unmapped), a lone surrogate
CONTEXTS = ["", "a", "中", "後", "覆", "藉", "瞭", "乾", "，", " ", "-", "\u3000", "\U00020000", "\U0002b726", "\ud800"]


def _same(s: str) -> None:
    assert convert(s) == LIB.convert(s), s


def test_the_fast_converter_is_in_use():
    # not the fallback to the library (installed data it does not understand)
    assert "_fast_converter" in t2s._converter().__qualname__


def test_data_it_does_not_understand_falls_back_to_the_library(monkeypatch):
    monkeypatch.setattr(t2s, "_dict_files", lambda root: None)  # e.g. a changed t2s.json
    t2s._converter.cache_clear()
    try:
        assert "_fast_converter" not in t2s._converter().__qualname__
        assert convert("回覆盆子, 一目瞭然") == "回覆盆子, 一目了然"
    finally:
        t2s._converter.cache_clear()


def test_empty_string():
    assert convert("") == LIB.convert("") == ""


# ---------------------------------------------------------------- differential on the samples

@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_samples_line_by_line(path):
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert [convert(ln) for ln in lines] == [LIB.convert(ln) for ln in lines]
    assert convert(text) == LIB.convert(text)


def test_traditional_sample_is_really_converted():
    text = (SAMPLES / "jinzhong-city-sanzhi-sanling-traditional.txt").read_text(encoding="utf-8")
    out = convert(text)
    assert out.startswith("晋中市深入开展“三治三零”创建") and out != text


# ---------------------------------------------------------------- every dictionary entry

@pytest.mark.parametrize("name, entries", [("phrases", PHRASES), ("characters", CHARS)])
def test_every_entry_alone_and_between_other_characters(name, entries):
    for key in entries:
        _same(key)
        for left in CONTEXTS:
            _same(left + key + "文")
            _same("市" + key + left)
            _same(left + key + left + key)


def test_overlapping_and_nested_phrases():
    """Where two phrases overlap the longer one wins wherever it is (left, right or
    around), the leftmost when equally long: e.g. 回覆盆子 keeps 覆盆子, not 回覆."""
    keys = list(PHRASES)
    joined = set()
    for p in keys:
        for q in keys:
            for n in range(1, min(len(p), len(q))):
                if p[-n:] == q[:n]:
                    joined.add(p + q[n:])
            if p != q and q in p:
                joined.add(p.replace(q, q + "，" + q, 1))
    assert len(joined) > 1000
    for s in sorted(joined):
        _same(s)
        _same("藉" + s + "覆")


@pytest.mark.parametrize("s, expected", [
    ("回覆盆子", "回覆盆子"),      # 覆盆子 (3) beats 回覆 (2) on the left
    ("么麼些族", "么麽些族"),      # 麼些族 beats 么麼
    ("凌藉藉无名", "凌藉藉无名"),  # 藉藉无名 beats 凌藉
    ("藉助於呼哀哉", "借助於呼哀哉"),  # 於呼哀哉 beats 藉助於; 藉助, shorter, still fits
    ("反反覆覆思量", "反反复复思量"),
    ("情有獨鍾", "情有独钟"),      # first of two candidates
    ("藉助於", "借助于"),
    ("一目瞭然, 瞭解。", "一目了然, 了解。"),
])
def test_known_conversions(s, expected):
    assert convert(s) == LIB.convert(s) == expected


def test_separator_class_matches_the_library_on_every_code_point():
    every = "".join(map(chr, range(0x110000)))
    ours = {m.start() for m in t2s._SEPARATOR.finditer(every)}
    theirs = {i for m in LIB.split_chars_re.finditer(every) for i in range(m.start(), m.end())}
    assert ours == theirs


# ---------------------------------------------------------------- random strings

_piece = st.one_of(
    st.sampled_from(sorted(PHRASES)),
    st.sampled_from(FRAGMENTS),
    st.sampled_from(sorted(CHARS)),
    st.sampled_from(SIMPLIFIED),
    st.text(st.characters(max_codepoint=0x7F), max_size=4),
    st.sampled_from([" ", "  ", "\t", "\n", "\u3000", "\u00a0", "，", "。", "、", "“", "”", "（", "）",
                     "-", ".", ",", "!", "?", "*", "…", "—", "【", "】", "·", ":", ";"]),
    st.text(st.characters(exclude_categories=()), max_size=3),  # any code point
    st.characters(categories=["Cs"]),  # a lone surrogate
    st.text(st.characters(min_codepoint=0x10000), max_size=2),
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_piece, max_size=12).map("".join))
def test_random_strings_agree(s):
    _same(s)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(sorted({c for k in PHRASES for c in k}) + ["中", "，", " "]),
               max_size=40))
def test_dense_phrase_characters_agree(s):
    # only characters of phrases: many overlapping candidates per string
    _same(s)

