"""govparse: structure Chinese local-government policy plans.

Library use::

    import govparse
    plan = govparse.parse_file("samples/baoding-city-fengqiao-experience.txt")
    for m in plan.measures:
        print(m.id, m.heading, m.leads, [d.date for d in m.deadlines])
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "parse_file", "parse_text", "Plan"]


def __getattr__(name):  # lazy: `govparse --version` need not load the pipeline
    if name in ("parse_file", "parse_text"):
        from . import build

        return getattr(build, name)
    if name == "Plan":
        from .model import Plan

        return Plan
    raise AttributeError(name)
