"""Deadlines as an iCalendar file (RFC 5545), written by hand: one all-day VEVENT
per resolved deadline, so a unit can put its 完成时限 into any calendar.

* text values are escaped (``\\`` ``;`` ``,`` and newlines as ``\\n``; other
  control characters dropped), so a task text cannot start a property of its own;
* content lines are folded at 75 octets without splitting a UTF-8 character;
* every line ends with CRLF;
* the UID of an event is a hash of the plan's sha256, the measure id, the deadline
  text and its date: exporting the same plan again updates the same events.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from .. import __version__
from ..model import Deadline, Measure, Plan

PRODID = f"-//govparse//govparse {__version__}//ZH"
MAX_OCTETS = 75
CRLF = "\r\n"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str) -> str:
    """An RFC 5545 TEXT value: backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def fold(line: str) -> str:
    """One content line folded into physical lines of at most 75 octets (CRLF + space
    before each continuation), never inside a multi-byte character."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    limit = MAX_OCTETS
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1  # the leading space takes one octet
        current.append(ch)
        size += n
    out.append("".join(current))
    return (CRLF + " ").join(out)


@dataclass
class Event:
    uid: str
    day: _dt.date
    summary: str
    description: str


def _uid(plan: Plan, measure_id: str | None, d: Deadline) -> str:
    key = "\x1f".join([plan.source.sha256 or plan.source.path, measure_id or "", d.text, d.date or ""])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + "@govparse"


def _description(plan: Plan, m: Measure | None, d: Deadline, lang: str) -> str:
    from ..responsibility import leads, source_name, supports, targets_text

    zh = lang == "zh"
    parts = []
    if m is not None:
        if leads(m):
            parts.append(("牵头单位:" if zh else "Lead: ") + "、".join(leads(m)))
        if supports(m):
            parts.append(("配合单位:" if zh else "Support: ") + "、".join(supports(m)))
        if m.targets:
            parts.append(("目标:" if zh else "Targets: ") + targets_text(m))
    span = f"{d.start} – {d.date}" if d.start else d.date
    parts.append(("时限:" if zh else "Deadline: ") + f"{d.text} ({span})")
    where = source_name(plan) + (f":{d.line}" if d.line else "")
    if m is not None:
        where += f" [{m.id}]"
    parts.append(("出处:" if zh else "Source: ") + where)
    return "\n".join(parts)


def events(plans: Sequence[Plan], unit: str | None = None, aliases: Mapping[str, str] | None = None,
           lang: str = "zh") -> list[Event]:
    """One event per resolved deadline (a date, resolved), the same deadline of the same
    measure once; with ``unit`` only deadlines of measures that unit leads or supports."""
    from ..canon import unit_matches

    out: list[Event] = []
    seen: set[str] = set()
    for plan in plans:
        by_id = {m.id: m for m in plan.measures}
        for d in plan.deadlines:
            if not d.date or not d.resolved:
                continue
            try:
                day = _dt.date.fromisoformat(d.date)
            except ValueError:
                continue
            m = by_id.get(d.measure) if d.measure else None
            if unit is not None:
                if m is None or not any(unit_matches(unit, u.name, aliases) for u in m.units):
                    continue
            uid = _uid(plan, m.id if m else None, d)
            if uid in seen:
                continue
            seen.add(uid)
            summary = m.heading if m is not None and m.heading else d.text
            out.append(Event(uid, day, summary, _description(plan, m, d, lang)))
    out.sort(key=lambda e: (e.day, e.summary))
    return out


def write_ics(plans: Sequence[Plan], unit: str | None = None, aliases: Mapping[str, str] | None = None,
              *, lang: str = "zh", stamp: _dt.datetime | None = None) -> str:
    """The iCalendar text (CRLF line endings) of the plans' resolved deadlines."""
    stamp = stamp or _dt.datetime.now(_dt.timezone.utc)
    dtstamp = stamp.astimezone(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{escape_text(PRODID)}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH"]
    titles = [p.document.title for p in plans if p.document.title]
    if len(titles) == 1:
        lines.append("X-WR-CALNAME:" + escape_text(titles[0]))
    for e in events(plans, unit, aliases, lang):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.uid}",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{e.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{e.day + _dt.timedelta(days=1):%Y%m%d}",
            "SUMMARY:" + escape_text(e.summary),
            "DESCRIPTION:" + escape_text(e.description),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(ln) + CRLF for ln in lines)
