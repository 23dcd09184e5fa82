"""The plan model: what govparse extracts, in the domain's own words.

Every item carries where it came from: ``lines`` (first and last line in the
original file) or ``line`` (one line).  ``to_dict`` gives the ``govparse/1``
schema that the YAML/JSON writers print and ``Plan.from_dict`` reads back.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from functools import lru_cache
from typing import Any

SCHEMA = "govparse/1"

LEAD = "lead"
SUPPORT = "support"


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


class _Record:
    """``==`` and ``repr`` written once for every model class.

    ``@dataclass`` would compile a fresh ``__eq__`` and ``__repr__`` for each class at
    import (about 4 ms for this module, paid by every ``govparse`` start); the classes
    ask it for ``__init__`` only (``record``) and share these, which behave the same:
    equal when of the same class with equal fields, shown as ``Class(field=value, …)``.
    """

    __slots__ = ()

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in _field_names(type(self)))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # mutable, like a dataclass with eq

    def __repr__(self) -> str:
        fields_ = ", ".join(f"{n}={getattr(self, n)!r}" for n in _field_names(type(self)))
        return f"{type(self).__qualname__}({fields_})"


record = dataclass(eq=False, repr=False)  # a model class: fields and __init__, _Record's == and repr


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(obj: Any) -> Any:
    """Model objects to dicts, lists copied; ``dataclasses.asdict`` does the same but
    deep-copies every value, which cost a fifth of extract's time.  Most values are
    scalars: they are passed through before any other test."""
    if type(obj) in _SCALARS:
        return obj
    if isinstance(obj, _Record):
        out = {}
        for name in _field_names(type(obj)):
            v = getattr(obj, name)
            out[name] = v if type(v) in _SCALARS else _plain(v)
        return out
    if isinstance(obj, list):
        return [x if type(x) in _SCALARS else _plain(x) for x in obj]
    if is_dataclass(obj) and not isinstance(obj, type):  # a dataclass from outside the model
        return {f.name: _plain(getattr(obj, f.name)) for f in fields(obj)}
    return obj


@record
class UnitAssignment(_Record):
    """A unit named as responsible for a measure."""

    name: str
    role: str  # lead | support
    label: str  # the source's own role word: 牵头单位, 配合, 责任单位 ...
    inherited: bool = False  # taken from a section heading above the measure
    line: int | None = None
    source: str = "label"  # label | prose | table | heading


@record
class Deadline(_Record):
    """A time limit: a resolved last day (``date``), a span, a duration or ongoing."""

    text: str
    date: str | None  # ISO date of the last day, None when unresolved
    start: str | None = None
    kind: str = "by"  # by | range | duration | ongoing
    line: int | None = None
    measure: str | None = None
    resolved: bool = True  # False: relative to an unknown base year


@record
class Target(_Record):
    """A number the plan commits to."""

    text: str
    metric: str
    op: str  # ">=", "<=", "=", ">", "<", "+" (increase by), "-" (decrease by), "range"
    value: float | int | list | None
    unit: str | None
    line: int | None = None
    measure: str | None = None
    placeholder: bool = False


@record
class Phase(_Record):
    name: str
    start: str | None
    end: str | None
    text: str
    line: int | None = None


@record
class Point(_Record):
    """A 一是/二是 point inside a measure that has no text of its own."""

    number: str
    text: str
    line: int | None = None


@record
class Measure(_Record):
    id: str
    section: list[str]
    number: str
    heading: str
    text: str
    lines: list[int]
    kind: str | None = None
    units: list[UnitAssignment] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)

    @property
    def leads(self) -> list[str]:
        return [u.name for u in self.units if u.role == LEAD]

    @property
    def supports(self) -> list[str]:
        return [u.name for u in self.units if u.role == SUPPORT]


@record
class Section(_Record):
    id: str
    number: str
    title: str
    kind: str | None
    lines: list[int]
    level: int
    children: list["Section"] = field(default_factory=list)


@record
class SourceInfo(_Record):
    path: str
    sha256: str
    format: str
    encoding: str | None
    script: str
    dropped_lines: list[int] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)  # PDF: the first line of each page (pdf.cite)


@record
class DocumentMeta(_Record):
    title: str | None = None
    issuers: list[str] = field(default_factory=list)
    region: str | None = None
    level: str | None = None
    date: str | None = None
    base_year: int | None = None
    doc_number: str | None = None
    title_line: int | None = None


@record
class Warning_(_Record):
    code: str
    message: str
    line: int | None = None
    measure: str | None = None


@record
class Plan(_Record):
    source: SourceInfo
    document: DocumentMeta
    sections: list[Section] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"schema": SCHEMA}
        for name in ("source", "document", "sections", "measures", "deadlines", "targets", "phases", "warnings"):
            out[name] = _plain(getattr(self, name))
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Plan":
        """Rebuild a plan from what ``to_dict`` wrote (e.g. a YAML file of ``extract``)."""

        def section(d: dict) -> Section:
            d = dict(d)
            d["children"] = [section(c) for c in d.get("children") or []]
            return Section(**d)

        def measure(d: dict) -> Measure:
            d = dict(d)
            d["units"] = [UnitAssignment(**u) for u in d.get("units") or []]
            d["deadlines"] = [Deadline(**x) for x in d.get("deadlines") or []]
            d["targets"] = [Target(**x) for x in d.get("targets") or []]
            d["points"] = [Point(**x) for x in d.get("points") or []]
            return Measure(**d)

        return cls(
            source=SourceInfo(**data["source"]),
            document=DocumentMeta(**data["document"]),
            sections=[section(s) for s in data.get("sections") or []],
            measures=[measure(m) for m in data.get("measures") or []],
            deadlines=[Deadline(**x) for x in data.get("deadlines") or []],
            targets=[Target(**x) for x in data.get("targets") or []],
            phases=[Phase(**x) for x in data.get("phases") or []],
            warnings=[Warning_(**x) for x in data.get("warnings") or []],
        )
