"""`govparse export --format ics`: deadlines as an iCalendar file (RFC 5545)."""
from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from conftest import SAMPLE_FILES, SAMPLES, run_cli
from typer.testing import CliRunner

from govparse.build import parse_file, parse_text
from govparse.cli import app
from govparse.writers.ics import escape_text, events, fold, write_ics

BAODING = SAMPLES / "baoding-city-fengqiao-experience.txt"
TOWN = SAMPLES / "anon-town-three-governance-integration.txt"
STAMP = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)


def resolved(plan) -> set[tuple]:
    """The distinct resolved deadlines of a plan: (measure, text, date)."""
    return {(d.measure, d.text, d.date) for d in plan.deadlines if d.date and d.resolved}


def vevents(text: str):
    return list(icalendar.Calendar.from_ical(text).walk("VEVENT"))


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_one_event_per_resolved_deadline(sample):
    plan = parse_file(sample)
    text = write_ics([plan], stamp=STAMP)
    cal = icalendar.Calendar.from_ical(text)
    assert str(cal["VERSION"]) == "2.0" and "govparse" in str(cal["PRODID"])
    evs = vevents(text)
    assert len(evs) == len(resolved(plan))
    days = sorted(dt.date.fromisoformat(d) for _, _, d in resolved(plan))
    assert sorted(e["DTSTART"].dt for e in evs) == days
    for e in evs:
        assert e["DTEND"].dt == e["DTSTART"].dt + dt.timedelta(days=1)
        assert isinstance(e["DTSTART"].dt, dt.date) and not isinstance(e["DTSTART"].dt, dt.datetime)
        assert e["DTSTAMP"].dt == STAMP
    assert len({str(e["UID"]) for e in evs}) == len(evs)


def test_baoding_events_carry_heading_units_and_targets():
    plan = parse_file(BAODING)
    evs = vevents(write_ics([plan]))
    assert len(evs) == 12  # 13 deadlines, "2019年底前" twice in item 8
    two = [e for e in evs if str(e["SUMMARY"]) == "推进“一乡(镇)一法庭”建设"]
    assert sorted(e["DTSTART"].dt for e in two) == [dt.date(2019, 12, 31), dt.date(2020, 12, 31)]
    desc = str(two[0]["DESCRIPTION"])
    assert "牵头单位:市中级人民法院" in desc
    assert "配合单位:各县市区党委、各县市区政府、各县市区人民法院" in desc
    assert "“一乡一法庭”覆盖率 >= 90%" in desc
    assert "baoding-city-fengqiao-experience.txt:33" in desc


def test_deadlines_outside_measures_use_their_text():
    evs = vevents(write_ics([parse_file(TOWN)]))
    summaries = {str(e["SUMMARY"]) for e in evs}
    assert "2019年7月1日至10月底" in summaries


def test_uids_are_stable_and_depend_on_the_plan():
    plan = parse_file(BAODING)
    a = [e.uid for e in events([plan])]
    b = [e.uid for e in events([parse_file(BAODING)])]
    assert a == b
    plan.source.sha256 = "0" * 64
    assert not set(a) & {e.uid for e in events([plan])}


def test_every_line_is_short_and_ends_with_crlf():
    for sample in SAMPLE_FILES:
        data = write_ics([parse_file(sample)]).encode("utf-8")
        assert b"\n" not in data.replace(b"\r\n", b"")
        assert b"\r" not in data.replace(b"\r\n", b"")
        for line in physical_lines(data):
            assert len(line) <= 75
            line.decode("utf-8")  # never a split character


def test_fold_never_splits_a_character():
    for prefix in ("", "a", "ab"):
        line = "DESCRIPTION:" + prefix + "枫桥经验" * 40 + "😀" * 10
        folded = fold(line).encode("utf-8")
        parts = folded.split(b"\r\n")
        assert all(len(p) <= 75 for p in parts)
        assert all(p.startswith(b" ") for p in parts[1:])
        assert b"".join([parts[0]] + [p[1:] for p in parts[1:]]).decode("utf-8") == line
    assert fold("SUMMARY:short") == "SUMMARY:short"


def test_escape_text():
    assert escape_text("a\\b;c,d\ne\r\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"
    assert escape_text("x\x00y\x1b") == "xy"


def test_a_task_text_cannot_inject_properties():
    plan = parse_text("某市工作方案\n一、主要任务\n"
                      "1.推进工作;第二句,第三句\\反斜杠。2030年底前完成。(牵头单位:市委政法委)\n")
    m = plan.measures[0]
    m.heading = "推进工作\nATTENDEE:mailto:x@y\nEND:VEVENT"
    m.units[0].name = "市委政法委\r\nORGANIZER:mailto:evil@example.com"
    text = write_ics([plan], stamp=STAMP)
    for line in text.split("\r\n"):
        assert not line.startswith(("ATTENDEE", "ORGANIZER", "END:VEVENT\\"))
    assert text.split("\r\n").count("END:VEVENT") == 1
    (e,) = vevents(text)
    assert "ATTENDEE" not in e and "ORGANIZER" not in e
    assert str(e["SUMMARY"]) == "推进工作\nATTENDEE:mailto:x@y\nEND:VEVENT"
    assert "ORGANIZER:mailto:evil@example.com" in str(e["DESCRIPTION"])


def test_unit_filter_is_canon_aware():
    plan = parse_file(BAODING)
    # 司法局 matches 市司法局 (lead of items 6, 7, 9; support of 8 and others)
    evs = events([plan], unit="司法局")
    ids = {e.description.rsplit("[", 1)[1].rstrip("]") for e in evs}
    want = {m.id for m in plan.measures if any("司法局" in u.name for u in m.units)
            and any(d.date for d in m.deadlines)}
    assert ids == want and ids
    assert events([plan], unit="不存在的局") == []
    # 市发改委 is the same unit as 市发展改革委
    assert {e.uid for e in events([plan], unit="市发改委")} == {e.uid for e in events([plan], unit="市发展改革委")}


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_export_ics_to_a_file(tmp_path):
    out = tmp_path / "deadlines.ics"
    r = invoke("export", BAODING, "-o", out)  # the format comes from the suffix
    assert r.exit_code == 0, r.stderr
    data = out.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert len(vevents(data.decode("utf-8"))) == 12
    r = invoke("export", BAODING, "--format", "ics", "--unit", "市司法局")
    assert r.exit_code == 0
    assert 0 < len(vevents(r.stdout)) < 12


def test_export_ics_in_a_real_process_keeps_crlf(tmp_path):
    r = run_cli("export", str(BAODING), "--format", "ics")
    assert r.returncode == 0
    assert r.stdout.count(b"\r\n") == len(physical_lines(r.stdout)) and b"\r\r\n" not in r.stdout


def test_unit_without_ics_is_a_usage_error():
    r = run_cli("export", str(BAODING), "--format", "csv", "--unit", "市司法局")
    assert r.returncode == 2 and r.stderr.startswith(b"govparse: error: --unit")
