"""Responsible units: label lists ("牵头单位:…"), prose ("由X牵头", "配合X推动") and table cells.

Every function takes the text of one line and its origin and returns
``UnitAssignment`` items, so each unit cites the line it was read from.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple

from .. import lexicon
from ..model import LEAD, SUPPORT, UnitAssignment

LIST_SEPARATORS = "、,，;；/"
MAX_LIST_CHARS = 600  # a labelled unit list is never longer; bounds the work per label
PROSE_WINDOW = 40  # characters looked back for a prose subject
_OPEN, _CLOSE = "(（【[", ")）】]"


class _Lexicon(NamedTuple):
    labels: dict[str, str]  # role label -> lead | support | open
    skip: set[str]  # labels of lists that name no units
    label_re: re.Pattern
    suffix_re: re.Pattern
    bare: list[str]
    levels: str
    level_run: re.Pattern
    trailing: tuple[str, ...]
    posts: tuple[str, ...]
    post_ends: frozenset[str]  # the last characters of the posts
    roles: dict


@lru_cache(maxsize=1)
def _core_lex() -> _Lexicon:
    """What the readers below need, patterns compiled, all but person_re (see _is_person)."""
    roles = lexicon.load("roles")
    units = lexicon.load("units")
    labels = dict(roles["labels"])
    skip = list(roles["not_units"])
    # a label is a role word followed by ':' (width-folded), at the start or after
    # an opening bracket, a separator or a space
    all_labels = list(labels) + skip
    label_re = re.compile(r"(?:(?<=^)|(?<=[(\[【\s;,。、]))(" + lexicon.alternation(all_labels) + r")\s*:")
    suffix_re = re.compile("(?:" + lexicon.alternation(units["suffixes"]) + ")$")
    bare = sorted(units["bare_types"], key=len, reverse=True)
    levels = "".join(units["admin_levels"])
    level_run = re.compile(f"^各?[{levels}](?:、[{levels}])*$")
    trailing = tuple(sorted(units["trailing_drop"], key=len, reverse=True))
    posts = tuple(units["person_posts"])
    return _Lexicon(labels, set(skip), label_re, suffix_re, bare, levels, level_run, trailing,
                    posts, frozenset(p[-1] for p in posts), roles)


@lru_cache(maxsize=1)
def _person_re() -> re.Pattern:
    # a post, or a post followed by a personal name ("镇党委书记华学会")
    return re.compile("(?:" + lexicon.alternation(list(_core_lex().posts)) + ")[\u4e00-\u9fff]{0,3}$")


def _lex():
    """(labels, skip, label_re, suffix_re, person_re, bare, levels, level_run, trailing,
    roles): the whole lexicon with every pattern compiled, for a caller that wants all
    of them (the robustness tests try each pattern on hostile input)."""
    w = _core_lex()
    return (w.labels, w.skip, w.label_re, w.suffix_re, _person_re(), w.bare, w.levels, w.level_run,
            list(w.trailing), w.roles)


def _is_person(name: str) -> bool:
    """Does ``name`` end with a post, maybe followed by a personal name (person_re)?"""
    # person_re's class of every CJK character costs Python's re about a millisecond to
    # compile, and few plans name a post in a unit list.  So it is compiled and run only
    # for a name with a post that ends within its last 5 characters (3 for a personal
    # name, one before a final newline, which $ also accepts): without one it cannot
    # match.  The last characters of the posts are a quicker first sieve.
    w = _core_lex()
    if w.post_ends.isdisjoint(name[-5:]):
        return False
    n = len(name)
    for k in range(min(5, n + 1)):
        if name.endswith(w.posts, 0, n - k):
            return _person_re().search(name) is not None
    return False


def _close_bracket_pos(text: str, start: int, end: int) -> int:
    """Index of the first closing bracket that has no opening one after ``start``."""
    depth = 0
    for i in range(start, end):
        c = text[i]
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            if depth == 0:
                return i
            depth -= 1
    return end


def split_units(s: str) -> list[str]:
    """Split a unit list on 、,; — not inside brackets — and tidy each name.

    "各县市区党委、政府" -> [各县市区党委, 各县市区政府]; "各村、社区" -> [各村, 各社区];
    "各县(区、市)党委" stays one unit; trailing 等/等部门 is dropped.
    """
    lex = _core_lex()
    bare, levels, level_run, trailing = lex.bare, lex.levels, lex.level_run, lex.trailing
    if any(c in s for c in _OPEN + _CLOSE):
        parts, buf, depth = [], [], 0
        for c in s:
            if c in _OPEN:
                depth += 1
            elif c in _CLOSE:
                depth = max(0, depth - 1)
            if depth == 0 and c in LIST_SEPARATORS:
                parts.append("".join(buf))
                buf = []
            else:
                buf.append(c)
        parts.append("".join(buf))
    else:
        # no brackets: every separator splits, and str methods do it in C (the loop
        # above costs a Python step per character)
        for sep in LIST_SEPARATORS[1:]:
            s = s.replace(sep, LIST_SEPARATORS[0])
        parts = s.split(LIST_SEPARATORS[0])
    items = []
    for p in parts:
        p = p.strip().strip("。.:\"“”'‘’ ")
        if p.endswith(trailing):  # (one call for the usual answer, no)
            for t in trailing:
                if p.endswith(t) and len(p) > len(t):
                    p = p[: -len(t)]
                    break
        p = p.strip()
        if p:
            items.append(p)
    # "各县、市、区党委": an enumeration of administrative levels is one qualifier
    merged: list[str] = []
    for p in items:
        if merged and p[0] in levels and level_run.match(merged[-1]):
            merged[-1] = merged[-1] + "、" + p
        else:
            merged.append(p)
    # "市委宣传部和市文明办": 和/及/与 join two units only where the left part is a
    # whole unit; 市自然资源和规划局, 市文化和旅游局 are one unit each
    joined: list[str] = []
    for p in merged:
        joined.extend(_split_conjunction(p))
    merged = joined
    out: list[str] = []
    for p in merged:
        if out and p in bare:
            prev = out[-1]
            for b in bare:
                if prev.endswith(b) and len(prev) > len(b):
                    p = prev[: -len(b)] + p
                    break
        if _is_person(p):
            continue  # a person or post, not a unit
        out.append(p)
    return out


_CONJUNCTIONS = "和及与"


def _split_conjunction(name: str) -> list[str]:
    if "和" not in name and "及" not in name and "与" not in name:
        return [name]  # the usual case, without a step per character
    suffix_re = _core_lex().suffix_re
    for i, c in enumerate(name):
        if c in _CONJUNCTIONS and 2 <= i < len(name) - 2:
            left, right = name[:i], name[i + 1:]
            if suffix_re.search(left) and left[-1] in _WHOLE_UNIT_END and suffix_re.search(right):
                return [left] + _split_conjunction(right)
    return [name]


# last characters that close a unit's name (a bureau, a committee, an office …)
_WHOLE_UNIT_END = set("局委办部院厅署处科室所站队庭会联府组心")


def is_unit(name: str) -> bool:
    """Does a prose candidate look like an organisation (ends with 局/委/办/部门 …)?"""
    suffix_re = _core_lex().suffix_re
    if not (2 <= len(name) <= 30):
        return False
    if any(c in name for c in "。:!?“”\"《》"):
        return False
    if _is_person(name):
        return False
    if name[0] == "各" and all(c in _core_lex().levels for c in name[1:]):
        return True  # 各县区, 各县市区: the governments of every place of those levels
    return bool(suffix_re.search(name) or _COLLECTIVE.match(name))


# a collective unit written with a bracketed enumeration: 各县(市、区), 各乡镇(街道)
_COLLECTIVE = re.compile(r"各[^()]{0,8}[县市区乡镇村]\([^()]{1,12}\)$")


def label_units(text: str, line: int | None = None) -> list[UnitAssignment]:
    """Units in labelled lists: "牵头单位:A;配合单位:B、C" (also inside parentheses)."""
    if ":" not in text:
        return []  # every label ends with ':': most lines are done without a regex scan
    lex = _core_lex()
    labels, skip = lex.labels, lex.skip
    found = list(lex.label_re.finditer(text))
    if not found:
        return []
    groups = []  # (label, the names in its list)
    for i, m in enumerate(found):
        start = m.end()
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        end = _close_bracket_pos(text, start, min(end, start + MAX_LIST_CHARS))
        groups.append((m.group(1), split_units(text[start:end].rstrip(";,，；、 "))))
    bracket_roles = lex.roles["bracket_roles"]
    marked = {}
    for label, names in groups:
        for name in names:
            base, role = _bracket_role(name, bracket_roles)
            marked[(label, name)] = (base, role)
    has_lead = any(labels.get(lab) == LEAD for lab, _ in groups) or any(r == LEAD for _, r in marked.values())
    out = []
    for label, names in groups:
        if label in skip:
            continue
        for name in names:
            base, role = marked[(label, name)]
            if role is None:
                role = labels[label]
            if role == "open":
                role = SUPPORT if has_lead else LEAD
            out.append(UnitAssignment(base, role, label, line=line, source="label"))
    return out


def _bracket_role(name: str, bracket_roles: dict[str, str]) -> tuple[str, str | None]:
    """"市委组织部(牵头)" -> ("市委组织部", "lead"), and without brackets
    "县委组织部牵头" -> ("县委组织部", "lead"); a name without such a mark is unchanged."""
    if name.endswith(")") and "(" in name:
        inner = name[name.rfind("(") + 1:-1]
        if inner in bracket_roles:
            return name[: name.rfind("(")].strip(), bracket_roles[inner]
    if name.endswith(tuple(bracket_roles)):  # (one call for the usual answer, no)
        for word in sorted(bracket_roles, key=len, reverse=True):
            if name.endswith(word) and is_unit(name[: -len(word)]):
                return name[: -len(word)], bracket_roles[word]
    return name, None


def _back_candidate(text: str, end: int) -> str:
    """The text before ``end`` back to the nearest punctuation (the prose subject)."""
    i = end
    floor = max(0, end - PROSE_WINDOW)
    depth = 0
    while i > floor:
        c = text[i - 1]
        if c in ")）":
            depth += 1  # a bracket closed before the role word belongs to the unit: 各乡镇(街道)
        elif c in "(（":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and c in ",，;；。:：“”\"!?":
            break
        i -= 1
    return text[i:end]


def _forward_candidates(text: str, start: int, boundaries: re.Pattern) -> list[str]:
    """Candidates for the unit after ``start``: the text up to each verb that may
    start the task, then up to punctuation ("配合住房和城乡建设部门推动" tries
    "住房和城乡", then "住房和城乡建设部门")."""
    window = text[start:start + 30]
    stop = len(window)
    for j, c in enumerate(window):
        if c in ",，;；。:：“”\"!?":
            stop = j
            break
    # a verb that begins a unit word is part of a name ("组织部", "建设局"): no cut there
    names = _verb_like_words()
    cands = [window[:m.start()] for m in boundaries.finditer(window, 2, stop)
             if not window.startswith(names, m.start())]
    cands.append(window[:stop])
    return cands


@lru_cache(maxsize=1)
def _verb_like_words() -> tuple[str, ...]:
    return tuple(lexicon.load("units")["verb_like_words"])


@lru_cache(maxsize=1)
def _prose_patterns():
    roles = _core_lex().roles
    prose = roles["prose"]
    return {
        "lead_after": re.compile(lexicon.alternation(prose["lead_after"])),
        "by": re.compile("由"),
        "by_verbs": re.compile(lexicon.alternation(prose["by_verbs"])),
        "assist_before": re.compile("(?:" + lexicon.alternation(prose["assist_before"]) + ")(?!单位|部门)"),
        "support_after": re.compile(lexicon.alternation(prose["support_after"])),
        "with_support": re.compile(lexicon.alternation(prose["with_support"])),
        "boundaries": re.compile(lexicon.alternation(roles["prose_boundaries"])),
        "distributive": tuple(prose["distributive"]),
        "not_after_lead": tuple(prose["not_after_lead"]),
        "modal": tuple(sorted(prose["modal_before_role"], key=len, reverse=True)),
    }


def _strip_modal(candidate: str, modal: tuple[str, ...]) -> str:
    """"县委宣传部要" -> "县委宣传部": drop modal words between a unit and its role word."""
    changed = True
    while changed:
        changed = False
        for w in modal:
            if candidate.endswith(w) and len(candidate) > len(w):
                candidate = candidate[: -len(w)]
                changed = True
    return candidate


def _all_units(candidate: str) -> list[str]:
    names = split_units(candidate)
    if names and all(is_unit(n) for n in names):
        return names
    return []


def prose_units(text: str, line: int | None = None) -> list[UnitAssignment]:
    """Units given a role in running text.

    由X牵头/负责/成立 and X牵头 -> X leads; 配合X推动… -> X leads (the plan's own
    author assists); X配合 -> X supports; 会同X -> X supports.  A distributive
    "分别由…" pairs units with other things and is not recorded.
    """
    p = _prose_patterns()
    out: list[UnitAssignment] = []
    seen: set[tuple[str, str]] = set()

    def add(names, role, label):
        for n in names:
            if (n, role) not in seen:
                seen.add((n, role))
                out.append(UnitAssignment(n, role, label, line=line, source="prose"))

    for m in p["by"].finditer(text):
        if text[max(0, m.start() - 2):m.start()] in p["distributive"]:
            continue
        window = text[m.end():m.end() + 24]
        names = _verb_like_words()
        v = next((v for v in p["by_verbs"].finditer(window) if not window.startswith(names, v.start())), None)
        if not v:
            continue
        cand = window[: v.start()]
        if any(c in cand for c in ",，;；。:"):
            continue
        add(_all_units(cand), LEAD, "由…" + v.group(0))
    for m in p["lead_after"].finditer(text):
        if text.startswith(p["not_after_lead"], m.end()):
            continue
        cand = _back_candidate(text, m.start())
        if cand.startswith("由") or any(cand.startswith(d) for d in p["distributive"]):
            continue
        if cand.startswith("在"):
            continue
        add(_all_units(_strip_modal(cand, p["modal"])), LEAD, m.group(0))
    for m in p["assist_before"].finditer(text):
        for cand in _forward_candidates(text, m.end(), p["boundaries"]):
            names = _all_units(cand)
            if names:
                add(names, LEAD, m.group(0))
                break
    for m in p["support_after"].finditer(text):
        after = text[m.end():m.end() + 1]
        if after and after not in ",，;；。、)）" and not p["boundaries"].match(text, m.end()):
            continue
        cand = _back_candidate(text, m.start())
        # "甲牵头、乙配合": the supporting list starts after the last lead word
        last = None
        for last in p["lead_after"].finditer(cand):
            pass
        if last is not None:
            cand = cand[last.end():].lstrip("、")
        add(_all_units(cand), SUPPORT, m.group(0))
    for m in p["with_support"].finditer(text):
        for cand in _forward_candidates(text, m.end(), p["boundaries"]):
            names = _all_units(cand)
            if names:
                add(names, SUPPORT, m.group(0))
                break
    if any(u.role == LEAD and "牵头" in u.label for u in out):
        # "市司法局牵头,各县区政府负责": beside a unit that leads (牵头), a unit that is
        # only 负责 carries the work out; it does not lead it
        out = [replace(u, role=SUPPORT) if u.role == LEAD and u.label in ("负责", "由…负责") else u
               for u in out]
    return out
