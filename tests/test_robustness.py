"""Hostile and huge inputs: never a traceback, never more than linear time.

Each case runs under a time budget proportional to its size, measured against a
reference run on an input ten times smaller, so a quadratic step fails the test
whatever the machine's speed.
"""
from __future__ import annotations

import inspect
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govparse import parse_text
from govparse.errors import GovparseError


def _extract(text: str):
    try:
        return parse_text(text, "case.txt")
    except GovparseError:
        return None


def _seconds(text: str) -> float:
    t = time.perf_counter()
    _extract(text)
    return time.perf_counter() - t


# (name, builder of an input of about n characters)
HOSTILE = [
    ("one long line of targets", lambda n: ("覆盖率达到90%以上" * n)[:n]),
    ("one long line of prose roles", lambda n: ("市委政法委牵头" * n)[:n]),
    ("labels without brackets closing", lambda n: ("(牵头单位:市委" * n)[:n]),
    ("nested parentheses", lambda n: "(" * (n // 2) + "牵头单位:市委" + ")" * (n // 2)),
    ("book-title marks", lambda n: ("《2019年" * n)[:n]),
    ("digits", lambda n: "1" * n),
    ("placeholders", lambda n: "x" * n),
    ("spaces inside a line", lambda n: "a" + " " * n + "b"),
    ("points", lambda n: ("一是" * n)[:n]),
    ("many headings", lambda n: "\n".join(f"{i % 50 + 1}.推进工作{i}" for i in range(n // 8))),
    ("dates", lambda n: ("2019年6月15日至" * n)[:n]),
    ("list separators", lambda n: "牵头单位:" + ("、" * n)),
    ("quotes", lambda n: ("“三个" * n)[:n]),
]


@pytest.mark.parametrize("name, build", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_input_is_linear(name, build):
    small, big = build(20_000), build(200_000)
    _extract(small)  # warm caches (lexicons, compiled patterns)
    t_small = max(_seconds(small), 0.02)
    t_big = _seconds(big)
    # ten times the input may take at most ~ten times as long (generous slack for noise)
    assert t_big < 25 * t_small + 0.5, f"{name}: {t_small:.3f}s -> {t_big:.3f}s"


def test_nested_parentheses_ten_thousand_deep():
    plan = _extract("一、主要任务\n1.推进工作。" + "(" * 10_000 + "牵头单位:市委政法委" + ")" * 10_000)
    assert plan is not None


def test_one_hundred_thousand_headings():
    text = "\n".join(f"{i % 9 + 1}.推进工作{i}。" for i in range(100_000))
    t = time.perf_counter()
    plan = _extract(text)
    assert plan is not None and len(plan.measures) == 100_000
    assert time.perf_counter() - t < 120


_PIECES = st.sampled_from([
    "一、", "二、", "(一)", "(二)", "1.", "2、", "3", "(1)", "①", "一是", "二是", "第一阶段:", "第一条", "附件:", "──",
    "指导思想", "工作措施", "牵头单位:", "配合单位:", "责任单位:", "由", "牵头", "配合", "会同", "市委政法委", "县公安局",
    "各县(市、区)党委、政府", "各村、社区", "等", "2019年底前", "6月底前", "年内", "明年", "2019年6月15日至6月底",
    "利用一年左右时间", "达到", "不少于", "90%", "xx%", "3-5个", "百分之九十", "两万", "以上", "以内", "。", ",", ";",
    ":", "(", ")", "“", "”", "《", "》", "\n", "\t", "  ", "|", "发布时间:", "打印本页", "晉", "縣", "\u3000", "\ufeff"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=120))
def test_random_mixes_never_raise(pieces):
    plan = _extract("".join(pieces))
    if plan is not None:
        for m in plan.measures:
            assert m.lines[0] <= m.lines[1]
        for d in plan.deadlines:
            assert d.date is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", d.date)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_unicode_never_raises(text):
    _extract(text)


@pytest.mark.parametrize("cut", [0.1, 0.37, 0.5, 0.83, 0.99])
def test_truncated_samples(cut, sample_plans):
    from conftest import SAMPLE_FILES

    for path in SAMPLE_FILES:
        data = path.read_bytes()
        piece = data[: int(len(data) * cut)].decode("utf-8", errors="ignore")  # a file cut mid-character
        _extract(piece)


def _all_patterns():
    """Every regular expression the package compiles, from code and from the lexicons."""
    import govparse.extract.deadlines as deadlines
    import govparse.extract.meta as meta
    import govparse.extract.targets as targets
    import govparse.extract.units as units
    import govparse.normalize as normalize
    import govparse.structure as structure
    import govparse.writers.structured as structured
    from govparse import build, tables

    _extract("一、主要任务\n1.推进工作,2019年底前覆盖率达到90%。(牵头单位:市委;配合单位:县局)")  # fill caches
    found = {}
    import govparse.unwrap as unwrap

    for mod in (deadlines, meta, targets, units, normalize, structure, structured, build, tables, unwrap):
        for name, value in vars(mod).items():
            if isinstance(value, re.Pattern):
                found[f"{mod.__name__}.{name}"] = value
            elif hasattr(value, "cache_info") and not inspect.signature(value).parameters:
                made = value()  # a pattern compiled on first use (lru_cache'd maker)
                if isinstance(made, re.Pattern):
                    found[f"{mod.__name__}.{name}()"] = made
    for name, pat in deadlines._patterns()[0].items():
        found[f"deadlines.{name}"] = pat
    for name, pat in units._prose_patterns().items():
        if isinstance(pat, re.Pattern):
            found[f"units.prose.{name}"] = pat
    lex = units._lex()
    found["units.label_re"], found["units.suffix_re"], found["units.person_re"] = lex[2], lex[3], lex[4]
    found["targets.token"] = targets._lex()[1]
    found["targets.right_before"], found["targets.with_gap"] = targets._lex()[2][1], targets._lex()[2][2]
    for st_ in structure._rules()[0]:
        found[f"structure.{st_.name}"] = st_.regex
    for i, pat in enumerate(normalize._debris_rules()[1]):
        found[f"debris.{i}"] = pat
    return found


_ALPHABET = "0123456789一二三四五六七八九十年月日底前至-~、,。:()“”《》牵头单位市委局xX% \t"


@pytest.mark.parametrize("name", sorted(_all_patterns()))
def test_no_pattern_backtracks_catastrophically(name):
    pat = _all_patterns()[name]
    worst = [c * 5000 for c in _ALPHABET] + [("年月" * 2500), ("1年" * 2500), ("(市" * 2500), ("达到1" * 1700),
                                             ("牵头单位:" * 1000), ("一是" * 2500), ("2019年6月15日至" * 400)]
    for s in worst:
        s = s + "!"  # a non-matching end makes a backtracking engine try every split
        t = time.perf_counter()
        for _ in pat.finditer(s):
            pass
        pat.match(s)
        assert time.perf_counter() - t < 0.5, f"{name} is slow on {s[:12]!r}…"
