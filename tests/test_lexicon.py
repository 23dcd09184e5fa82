"""The lexicons: YAML files are the source, data/lexicons.json a stamped snapshot of them."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from govparse import lexicon

NAMES = lexicon.lexicon_names()


def test_every_lexicon_is_found():
    assert {"headings", "roles", "units", "deadlines", "targets", "section_kinds"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_snapshot_is_current(name):
    """Fails after a lexicon was edited and the snapshot not refreshed:
    run ``python -m govparse.lexicon``."""
    text = (lexicon.DATA / f"{name}.yaml").read_text(encoding="utf-8")
    entry = json.loads((lexicon.DATA / lexicon.SNAPSHOT).read_text(encoding="utf-8"))[name]
    assert entry["sha256"] == lexicon._stamp(text), "stale snapshot: run python -m govparse.lexicon"
    parsed = yaml.safe_load(text)
    # the same data in the same order (rules in headings.yaml are tried in order)
    assert json.dumps(entry["data"], ensure_ascii=False) == json.dumps(parsed, ensure_ascii=False)


@pytest.mark.parametrize("name", NAMES)
def test_load_uses_snapshot_and_agrees_with_yaml(name, monkeypatch):
    lexicon.load.cache_clear()
    from_snapshot = lexicon.load(name)
    lexicon.load.cache_clear()
    monkeypatch.setattr(lexicon, "_snapshot", lambda: {})
    from_yaml = lexicon.load(name)
    lexicon.load.cache_clear()
    assert json.dumps(from_snapshot, ensure_ascii=False) == json.dumps(from_yaml, ensure_ascii=False)


def test_an_edited_lexicon_wins_over_a_stale_snapshot(monkeypatch):
    name = "targets"
    real = lexicon._data_text

    def edited(file):
        text = real(file)
        return text + "\nextra_words: [新词]\n" if file == f"{name}.yaml" else text

    monkeypatch.setattr(lexicon, "_data_text", edited)
    lexicon.load.cache_clear()
    lexicon._snapshot.cache_clear()
    try:
        assert lexicon.load(name)["extra_words"] == ["新词"]
        assert "extra_words" not in lexicon.load("units")  # the others still from the snapshot
    finally:
        lexicon.load.cache_clear()
        lexicon._snapshot.cache_clear()


def test_a_broken_snapshot_falls_back_to_yaml(monkeypatch):
    real = lexicon._data_text
    monkeypatch.setattr(lexicon, "_data_text",
                        lambda f: "{not json" if f == lexicon.SNAPSHOT else real(f))
    lexicon.load.cache_clear()
    lexicon._snapshot.cache_clear()
    try:
        assert lexicon.load("targets")["ops_before"]["不低于"] == ">="
    finally:
        lexicon.load.cache_clear()
        lexicon._snapshot.cache_clear()


def test_values_json_cannot_carry_are_refused(monkeypatch):
    monkeypatch.setattr(lexicon, "lexicon_names", lambda: ["odd"])
    monkeypatch.setattr(lexicon, "_data_text", lambda f: "1: one\n")
    with pytest.raises(ValueError, match="odd.yaml"):
        lexicon.build_snapshot()


HEAVY = ("yaml", "jieba", "openpyxl", "rich", "opencc", "docx", "pdfminer", "html.parser", "sqlite3")


@pytest.mark.parametrize("text", [
    "关于开展调解工作的实施方案\n一、工作目标\n2020年底前,调解成功率达到95%以上。(牵头单位:县司法局)\n",
    "關於開展調解工作的實施方案\n一、工作目標\n2020年底前,調解成功率達到95%以上。(牽頭單位:縣司法局)\n",
])
def test_extract_start_up_stays_light(tmp_path, text):
    """Extracting a plain-text plan imports none of the heavy modules: with a current
    snapshot no PyYAML (the YAML output is our own emitter), no jieba, openpyxl, rich,
    docx, pdfminer or HTML parser, and no OpenCC even for traditional script (t2s.py
    reads its dictionaries as files)."""
    plan = tmp_path / "plan.txt"
    plan.write_text(text, encoding="utf-8")
    code = ("import sys\nfrom govparse.entry import main\nsys.argv=['govparse','extract',sys.argv[1]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"print('LOADED', [m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(plan)], capture_output=True, text=True,
                          encoding="utf-8", timeout=60)
    assert "调解成功率" in proc.stdout  # the plan was extracted (and t2s ran on the second)
    assert proc.stderr.strip().splitlines()[-1] == "LOADED []"
