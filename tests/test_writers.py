"""The hand-written YAML emitter gives back exactly the data through yaml.safe_load."""
from __future__ import annotations

import json

import pytest
import yaml
from conftest import SAMPLE_FILES
from hypothesis import given, settings
from hypothesis import strategies as st

from govparse.writers.structured import to_json, to_yaml


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem)
def test_sample_yaml_round_trips(path, sample_plans):
    data = sample_plans[path.name].to_dict()
    assert yaml.safe_load(to_yaml(data)) == data
    assert json.loads(to_json(data)) == data


@pytest.mark.parametrize("value", [
    "", " ", "yes", "no", "null", "~", "2019-12-31", "12:30", "- x", "? x", "# x", "a: b", "a #b", "'", '"', "\\",
    "\t", "\n", "x\ny", "市委政法委", "市委政法委: 牵头", "“一乡一法庭”", "、各村", "。", "1、", "(一)", "=HYPERLINK(\"x\")",
    "@x", "%x", "!x", "&x", "*x", "|", ">", "[a]", "{a}", "各县(区、市)党委", "覆盖率达到90%以上", "\u2028", "\ufeff",
    "第一阶段:宣传发动", "市委 ", "中文#注释", "\x85",
])
def test_awkward_strings(value):
    data = {"text": value, "items": [value, {"name": value}], "n": 3, "f": 2.5, "b": True, "z": None}
    assert yaml.safe_load(to_yaml(data)) == data


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True), children, max_size=4),
    max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True), _values, max_size=6))
def test_any_plan_shaped_data_round_trips(data):
    assert yaml.safe_load(to_yaml(data)) == data
