"""Every output parses back and validates against the shipped JSON Schema."""
from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
import yaml
from conftest import SAMPLE_FILES, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from govparse import parse_text
from govparse.model import Plan
from govparse.writers.structured import to_json, to_yaml

SCHEMA = json.loads(resources.files("govparse").joinpath("data", "plan.schema.json").read_text(encoding="utf-8"))


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem)
def test_sample_outputs_validate_and_round_trip(path, sample_plans):
    data = sample_plans[path.name].to_dict()
    for text, load in ((to_yaml(data), yaml.safe_load), (to_json(data), json.loads)):
        back = load(text)
        jsonschema.validate(back, SCHEMA)
        assert back == json.loads(to_json(data))
        assert Plan.from_dict(back).to_dict() == back


def test_cli_json_validates(tmp_path):
    proc = run_cli("extract", str(SAMPLE_FILES[0]), "--format", "json")
    jsonschema.validate(json.loads(proc.stdout), SCHEMA)


_PIECES = ["一、主要任务", "(一)", "1.", "(2)", "①", "牵头单位:", "配合单位:", "市委政法委", "、", "县公安局", "各村、社区",
           "2019年底前", "6月底前", "年内", "覆盖率达到", "90%", "xx%", "以上", "3-5个", "。", ";", "(", ")", "\n",
           "由市民政局牵头", "配合公安部门推动", "第一阶段:", "2020年3月1日至3月31日", "附件:", "\t", "——"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=60))
def test_random_plans_give_valid_output(pieces):
    text = "".join(pieces)
    if not text.strip():
        return
    try:
        plan = parse_text(text, "random.txt")
    except Exception as e:  # only the library's own errors are allowed
        from govparse.errors import GovparseError

        assert isinstance(e, GovparseError), repr(e)
        return
    jsonschema.validate(yaml.safe_load(to_yaml(plan.to_dict())), SCHEMA)
