"""YAML and JSON of the ``govparse/1`` schema."""
from __future__ import annotations

import json
from typing import Any

import yaml

try:  # the C emitter is several times faster where libyaml is present
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover - depends on the platform's PyYAML build
    from yaml import SafeDumper as _Dumper


def _flow_pairs(dumper, data):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


class _PlanDumper(_Dumper):
    """Safe dumper; short lists of numbers (``lines: [32, 33]``) print on one line."""


def _list(dumper, data):
    if data and len(data) <= 4 and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in data):
        return _flow_pairs(dumper, data)
    return dumper.represent_list(data)


_PlanDumper.add_representer(list, _list)


def to_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_PlanDumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=4096)


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
