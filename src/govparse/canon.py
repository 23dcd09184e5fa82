"""Canonical keys for government unit names: 保定市公安局 = 县公安局 = 公安局.

A plan names its responsible units the way its own level writes them: a city
plan says 市委政法委, 市发展改革委 and 各县市区党委, a county plan 县委政法委,
县发展和改革局 and 各乡镇党委.  To compare or group units across plans we need a
key that survives the change of place and level.  No maintained library does this
for Chinese government unit names (there are address parsers that find place
names, but none that knows 卫健委 = 卫生健康局, that 市场监管局 does not start
with a place, or that 综治办 was merged into the 政法委), so it is hand-written
here as a short list of explicit rules plus a data table,
``govparse/data/unit_aliases.yaml`` (canonical key -> aliases).

How a name becomes a key (``canonical``):

1. Normalize: full-width to half-width, traditional to simplified script,
   no spaces, no trailing 等/等部门 (the same list the unit extractor drops).
2. Collectives keep their kind and get a level-free collective key:

   * ``各`` + an enumeration of levels + an optional body type.  The levels give
     the tier: county level and above (县 市 区 旗 州 盟 省, 县(区、市), 县、市、区)
     -> ``各下级`` (the level directly below the plan's author, whichever that
     is); 乡 镇 街道 乡镇 -> ``各乡镇``; 村 (村委会, 村两委) -> ``各村``;
     社区 (居, 居委会) -> ``各社区``; both 村 and 社区 -> ``各村社区``.  The body
     type is canonicalized like any unit and appended:
     各县市区党委 = 各县(区、市)党委 = 各县、市、区党委 = 各县(市、区)委 -> ``各下级党委``;
     各县市区人民政府 -> ``各下级政府``; 各乡镇(街道) -> ``各乡镇``.
     Without 各 the same holds for a plural level word: 乡镇党委 -> ``各乡镇党委``,
     县市区政府 -> ``各下级政府``, 社区 -> ``各社区``, 村 -> ``各村``.
   * 市直/县直/区直 … (各|有关|相关)(职能)部门/单位 -> ``直属各部门``
     (市直政法各部门 -> ``直属政法各部门``).
   * 各级X -> ``各级`` + key of X; 各部门 / 各单位 -> ``各部门``;
     有关部门 / 相关单位 -> ``有关部门``; (各)成员单位 -> ``各成员单位``.

3. Strip the place and level prefix, repeatedly: 中共; a place name of 1-6
   characters ending in 省/自治区/市/州/盟/县/区/旗/镇/乡/街道 (保定市, 清苑县,
   莲池区); or a bare level (市, 县, 区, 镇, 乡, 省, 旗, 州, 盟, 街道).  A level
   character that is part of an ordinary word (市场, 市民, 城乡, 城市, 社区, 乡村,
   区域, 县级, 依法治市 …: ``_NON_PLACE_WORDS``) is never taken for a place, and a
   place name never contains a character of a unit name (委 局 部 办 党 …), so
   市市场监管局 -> 市场监管局 and 区住房和城乡建设局 -> 住房和城乡建设局.
4. Party bodies: what is left of 市委 is 委, keyed ``党委``; of 市委组织部 it is
   委组织部, and party departments keep that ``委`` + department form
   (``委组织部``, ``委宣传部``, ``委网信办``).  The political-legal commission is
   ``委政法委`` (市委政法委 = 县委政法委员会 = 中共XX市委政法委员会 = 政法委 =
   综治办).  市委市政府 -> ``党委政府``.
5. Spelling rules (``_rewrite``): 人民政府 -> 政府, trailing 办公厅/办公室 -> 办,
   委员会 -> 委, 分局 -> 局, 厅 -> 局, 依法治市/县/区 -> 依法治, 公安局莲池分局 -> 公安局.
6. Look the result up in the alias table (全称, 简称 and pre-2018 names); a
   generic "X部门" takes the key of X局 or X部 when that is known (民政部门 ->
   民政局, 组织部门 -> 委组织部); an unknown name is its own key.

A user's alias table (``load_aliases``) is applied to the raw name first and to
the built-in key after, so it can both override and extend the built-ins.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import yaml

from . import lexicon
from .errors import InputError
from .normalize import detect_and_convert, fold_width

__all__ = ["canonical", "unit_kind", "load_aliases", "same_unit", "unit_matches"]

MAX_ALIAS_FILE_BYTES = 1_000_000  # 1 MB

# --------------------------------------------------------------------------- places

# Suffixes that end an administrative place name, longest first.
_PLACE_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "街道",
                   "省", "市", "州", "盟", "县", "区", "旗", "镇", "乡")
# A level standing alone at the start of a name: 市公安局, 县委, 镇党政办公室.
_BARE_LEVELS = ("街道", "省", "市", "州", "盟", "县", "区", "旗", "镇", "乡")
_MAX_PLACE_NAME = 6
# Characters found in unit names but never in place names: a place candidate
# containing one is not a place (市委依法治市办 does not start with "市委依法治市").
_NOT_IN_PLACE = frozenset("各委局部办厅院党直属级、,;()/:·")
# Ordinary words that contain a level character: that character is not a level.
_NON_PLACE_WORDS = (
    # a level character followed by more of a word
    # (市民政局 is 市 + 民政局, so only the 市民… words that are names are listed)
    "市场", "市民服务", "市民中心", "市民之家", "市民卡", "市域", "市级", "市直", "市属",
    "市容", "市政公用", "市政管理", "市政工程", "市政设施", "市政园林",
    "县域", "县级", "县直", "县属", "区域", "区块", "区级", "区直", "区属", "区划", "省级", "省直", "省属", "镇级", "乡级", "乡村",
    "乡贤", "旗直", "州直", "村级", "村民", "居民", "市监局", "街道办",
    # words ending in a level character
    "城乡", "城市", "城镇", "城区", "社区", "小区", "园区", "景区", "辖区", "片区",
    "山区", "库区", "矿区", "林区", "牧区", "街区", "校区", "开发区", "高新区",
    "保税区", "自贸区", "示范区", "试验区", "实验区", "功能区", "灾区", "老区", "超市",
    "都市", "集市", "门市", "夜市", "联盟", "红旗", "国旗", "党旗", "团旗",
    "治省", "治市", "治县", "治区", "治旗", "治州", "治镇", "治乡",
)
_NON_PLACE_RE = re.compile("(?=(" + lexicon.alternation(list(_NON_PLACE_WORDS)) + "))")
# characters of a place name: Han, or the placeholders of anonymized plans (XX市, ××县)
_PLACE_CHAR = re.compile(r"^[\u4e00-\u9fffA-Za-z×○〇□*]$")


def _blocked(s: str) -> set[int]:
    """Positions of ``s`` covered by an ordinary word (so not a level character)."""
    out: set[int] = set()
    for m in _NON_PLACE_RE.finditer(s):
        out.update(range(m.start(), m.start() + len(m.group(1))))
    return out


def _strip_one_place(s: str) -> str | None:
    """``s`` without its leading place or level, or None when it has none."""
    blocked = _blocked(s)
    # a named place: 1-6 characters and a level suffix (保定市, 清苑县, 广西壮族自治区, XX镇)
    for e in range(1, min(_MAX_PLACE_NAME, len(s) - 1) + 1):
        name = s[:e]
        if name[-1] in _NOT_IN_PLACE or not _PLACE_CHAR.match(name[-1]):
            break  # every longer candidate contains it too
        for suf in _PLACE_SUFFIXES:
            if not s.startswith(suf, e):
                continue
            if e in blocked:
                continue  # 城乡, 城市, 依法治市, 街道办: not a level
            rest = s[e + len(suf):]
            if rest and rest[0] not in "、,;()/和及与":
                return rest
    # a bare level: 市公安局, 县委, 街道办事处 (not 市场监管局, 区域…)
    for lev in _BARE_LEVELS:
        if s.startswith(lev) and len(s) > len(lev) and 0 not in blocked:
            rest = s[len(lev):]
            if rest[0] not in "、,;()/和及与":
                return rest
            return None
    return None


def _strip_place(s: str) -> tuple[str, bool]:
    """``s`` without any leading 中共 and places; and whether 中共 was there."""
    party = False
    for _ in range(6):  # 中共 + 省 + 市 + 县 + 镇 is the most seen
        if s.startswith("中共") and len(s) > 2:
            s, party = s[2:], True
            continue
        rest = _strip_one_place(s)
        if rest is None:
            break
        s = rest
    return s, party


# --------------------------------------------------------------------------- spelling

_FOLD_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "［": "(", "］": ")"})
_YIFA = re.compile(r"依法治[省市县区旗州盟镇乡]")
_ORDINAL_COURT = re.compile(r"^第[一二三四五六七八九十]+(?=(?:中级)?人民法院|中级法院|人民检察院)")
_SUB_BUREAU = re.compile(r"^(.+?局)[^局]{1,6}分局$")  # 公安局莲池分局 -> 公安局
_TRAILING_PAREN = re.compile(r"^(.+?)\([^()]*\)$")


def _rewrite(s: str) -> str:
    """Spelling rules that make variants of one name equal (see the module doc)."""
    s = s.replace("人民政府", "政府")
    s = _YIFA.sub("依法治", s)
    s = _ORDINAL_COURT.sub("", s)
    if s.endswith("办公厅"):
        s = s[:-3] + "办公室"
    if s.endswith("委员会办公室") and len(s) > 6:
        s = s[:-6] + "委办"
    elif s.endswith("办公室") and len(s) > 3:
        s = s[:-3] + "办"
    elif s.endswith("委员会") and len(s) > 3:
        s = s[:-3] + "委"
    m = _SUB_BUREAU.match(s)
    if m:
        s = m.group(1)
    elif s.endswith("分局") and len(s) >= 4 and "局" not in s[:-2]:
        s = s[:-2] + "局"
    elif s.endswith("厅") and len(s) >= 3 and s[-2] not in "大业":
        s = s[:-1] + "局"  # 省公安厅 is the provincial 公安局 (not 政务服务大厅)
    return s


@lru_cache(maxsize=1)
def _trailing_drop() -> tuple[str, ...]:
    return tuple(sorted(lexicon.load("units")["trailing_drop"], key=len, reverse=True))


def _normalize(name: str) -> str:
    """Width-folded, simplified, without spaces, outer punctuation or a trailing 等."""
    s = fold_width(name).translate(_FOLD_BRACKETS)
    trad = lexicon.traditional_chars()
    if any(c in trad for c in s):
        s = detect_and_convert([s])[0][0]
    s = "".join(s.split())
    s = s.strip("。.:;,、\"“”'‘’")
    for t in _trailing_drop():
        if s.endswith(t) and len(s) > len(t):
            s = s[: -len(t)]
            break
    return s


# --------------------------------------------------------------------------- alias table


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """Built-in alias table: every alias (as written and rewritten) -> its key."""
    data = lexicon.load("unit_aliases")
    table: dict[str, str] = {}
    for key, aliases in data.items():
        for form in [key, *(aliases or [])]:
            f = _normalize(str(form))
            for v in {f, _rewrite(f)}:
                if table.get(v, key) != key:
                    raise ValueError(f"unit_aliases.yaml: {form!r} is listed under {table[v]!r} and {key!r}")
                table[v] = key
    return table


# --------------------------------------------------------------------------- collectives

# Level words of a collective and the tier each belongs to (longest first).
_LEVEL_TOKENS: dict[str, str] = {
    "村民委员会": "村", "居民委员会": "社区", "社区居委会": "社区", "县级市": "下级",
    "设区市": "下级", "市辖区": "下级", "村委会": "村", "居委会": "社区", "村两委": "村",
    "村委": "村", "下级": "下级", "地市": "下级", "街道": "乡镇", "社区": "社区", "乡镇": "乡镇",
    "县": "下级", "市": "下级", "区": "下级", "旗": "下级", "州": "下级", "盟": "下级",
    "省": "下级", "乡": "乡镇", "镇": "乡镇", "村": "村", "居": "社区",
}


def _token_pattern() -> str:
    parts = []
    for tok in sorted(_LEVEL_TOKENS, key=len, reverse=True):
        # 市(?!场|监…): a level word that starts an ordinary word is no level
        tails = [w[len(tok):] for w in _NON_PLACE_WORDS if w.startswith(tok) and len(w) > len(tok)]
        parts.append(re.escape(tok) + (f"(?!{lexicon.alternation(tails)})" if tails else ""))
    return "(?:" + "|".join(parts) + ")"


_T = _token_pattern()
_SEP = "[、,/和及与]"
_ENUM = re.compile(rf"({_T}(?:{_SEP}?{_T}|\({_T}(?:{_SEP}?{_T})*\))*)")
_TOKEN = re.compile(_T)
_TIER_ORDER = ("下级", "乡镇", "村社区", "村", "社区")
# a plural level word that makes a collective on its own (乡镇党委 = 各乡镇党委)
_PLURAL_ANY_REST = frozenset({"乡镇"})
_PLURAL_BODY_REST = frozenset({"社区", "村", "村委会", "村民委员会", "村两委", "村委", "居委会",
                               "社区居委会", "居民委员会"})
_PLURAL_BARE = frozenset({"街道"})
# body types that follow a plural level word (村党支部, 社区党组织, 乡镇政府)
_BODY_REST = frozenset({"", "党委", "政府", "人民政府", "党组织", "基层党组织", "党支部", "党总支",
                        "两委", "党工委", "纪委", "党委政府", "党委和政府"})
_DIRECT = re.compile(r"^(?:各|相关|有关)?[省市县区旗州盟]直属?(?P<mid>[^各、]{0,6}?)(?:各|有关|相关)?"
                     r"(?:职能)?(?:部门|单位|机关)(?:\((?:部门|单位)\))?$")
_WHOLE = re.compile(r"^全[省市县区旗镇乡](?=各)")
_COLLECTIVE_START = ("各", "相关", "有关", "其他", "其它")


def _tier(tokens: list[str]) -> str:
    tiers = {_LEVEL_TOKENS[t] for t in tokens}
    if "下级" in tiers:
        return "下级"
    if "乡镇" in tiers:
        return "乡镇"
    if tiers == {"村", "社区"}:
        return "村社区"
    return tiers.pop()


def _collective(s: str) -> str | None:
    """The collective key of ``s``, or None when ``s`` names a single unit."""
    s = _WHOLE.sub("", s)
    m = _DIRECT.match(s)
    if m:
        return "直属" + m.group("mid") + "各部门"
    if s.startswith("各级") and len(s) > 2:
        return "各级" + _unit(s[2:])
    each = s.startswith("各")
    body = s[1:] if each else s
    m = _ENUM.match(body)
    if m:
        tokens = _TOKEN.findall(m.group(1))
        rest = body[m.end():]
        plural = (each or len(set(tokens)) >= 2 or tokens[0] in _PLURAL_ANY_REST
                  or (tokens[0] in _PLURAL_BODY_REST and rest in _BODY_REST)
                  or (tokens[0] in _PLURAL_BARE and not rest))
        if plural:
            return "各" + _tier(tokens) + (_unit(rest) if rest else "")
    if each or s.startswith(_COLLECTIVE_START):
        return _rewrite(s)
    return None


# --------------------------------------------------------------------------- single units


def _org_prefix(s: str) -> str | None:
    """Bodies whose full name puts the place in the middle (共青团保定市委员会)."""
    if re.fullmatch(r"团[省市县区旗州盟镇乡]?委", s):
        return "团委"
    if s.startswith(("中国人民银行", "人民银行", "人行")):
        return "人民银行"
    for prefix, key in (("共青团", "团委"), ("中国人民政治协商会议", "政协"),
                        ("国家金融监督管理总局", "金融监管分局")):
        if s.startswith(prefix):
            rest = _strip_place(s[len(prefix):])[0] if len(s) > len(prefix) else ""
            if key != "金融监管分局" and rest not in ("", "委", "委员会"):
                return None
            return key
    if s.startswith("国家税务总局") and len(s) > 6:
        rest = _strip_place(s[6:])[0]
        return _unit(rest) if rest else "税务局"
    return None


def _unit(s: str) -> str:
    """The key of a single (non-collective) unit, or of a collective after a place."""
    table = _table()
    if s in table:
        return table[s]
    m = _TRAILING_PAREN.match(s)
    if m and not s.startswith("各"):
        s = m.group(1)  # 市委政法委(综治办), 市公安局(牵头): the note is not the name
    org = _org_prefix(s)
    if org:
        return org
    s, party = _strip_place(s)
    if s in table:
        return table[s]
    if s.startswith(_COLLECTIVE_START) or _ENUM.match(s):
        c = _collective(s)  # 保定市各县市区党委, 县乡镇党委
        if c:
            return c
    if party and s == "委员会":
        s = "委"  # 中共保定市委员会
    if s.startswith("党委") and len(s) > 2:
        s = s[1:]  # 党委组织部 = 委组织部
    if s.startswith("委") and len(s) > 1 and not s.startswith("委员"):
        rest = s[1:].lstrip("、和及与")
        if rest and _rewrite(_strip_place(rest)[0]) == "政府":
            return "党委政府"  # 市委市政府, 县委、县政府
    r = _rewrite(s)
    key = table.get(s) or table.get(r)
    if key:
        return key
    if r.endswith("部门") and len(r) > 2:
        # 民政部门 / 公安部门 / 组织部门: the department of that function
        for suffix in ("局", "部"):
            key = table.get(r[:-2] + suffix)
            if key:
                return key
    return r


def _key(s: str) -> str:
    table = _table()
    if s in table:
        return table[s]
    c = _collective(s)
    return c if c is not None else _unit(s)


@lru_cache(maxsize=65536)
def _builtin(name: str) -> str:
    """canonical() without user aliases (cached: called for every unit of every plan)."""
    k = _once(name)
    # Keys are fixed points by construction; iterating makes sure of it for odd
    # inputs too (a dropped note that exposes a trailing 、, say).
    for _ in range(4):
        k2 = _once(k)
        if k2 == k:
            break
        k = k2
    return k


def _once(name: str) -> str:
    s = _normalize(name)
    return (_key(s) or s) if s else name


# --------------------------------------------------------------------------- public API


def canonical(name: str, aliases: Mapping[str, str] | None = None) -> str:
    """A key for a unit that survives the change of place and level.

    保定市公安局, 市公安局, 县公安局, 清苑县公安局 -> 公安局; 市委政法委,
    县委政法委员会 -> 委政法委; 各县市区党委, 各县(区、市)党委 -> 各下级党委
    (the scheme is in the module docstring).  ``aliases`` (alias -> key, as from
    ``load_aliases``) is tried on the name as written, then on the built-in key.
    A non-empty name never gives an empty key.
    """
    if aliases:
        if name in aliases:
            return aliases[name]
        norm = _normalize(name)
        if norm in aliases:
            return aliases[norm]
        key = _builtin(name)
        return aliases.get(key, key)
    return _builtin(name)


_PEOPLE_ORGS = frozenset({"团委", "妇联", "总工会", "残联", "科协", "工商联", "侨联", "文联", "红十字会"})
_GOVERNMENT_SUFFIXES = ("政府", "政府办", "局", "厅", "委", "办", "办事处", "支队", "大队", "派出所",
                        "司法所", "管委会", "中心")


def unit_kind(name: str) -> str:
    """What kind of body a unit is.

    "collective" (各…, 相关…, 有关…, 市直各…, 乡镇党委), "party" (党委, 委…部,
    纪委监委, 党支部), "government", "court", "procuratorate", "people_org"
    (群团: 工会, 妇联, 团委, 残联, 科协 …) or "other" (人大, 政协, banks …).
    """
    s = _normalize(name)
    k = _builtin(name)
    if (s.startswith(_COLLECTIVE_START) or k.startswith(("各", "直属", "有关"))
            or re.match(r"^[省市县区旗州盟]直", s)):
        return "collective"
    if k.endswith("法院"):
        return "court"
    if k.endswith(("检察院", "检察分院")):
        return "procuratorate"
    if k in _PEOPLE_ORGS or k.endswith(("工会", "妇联", "团委")):
        return "people_org"
    if k == "党委" or k.startswith("委") or "党" in k or "纪委" in k:
        return "party"
    if k.endswith(_GOVERNMENT_SUFFIXES):
        return "government"
    return "other"


def same_unit(a: str, b: str, aliases: Mapping[str, str] | None = None) -> bool:
    """Do ``a`` and ``b`` name the same unit (equal canonical keys)?"""
    return canonical(a, aliases) == canonical(b, aliases)


def unit_matches(query: str, name: str, aliases: Mapping[str, str] | None = None) -> bool:
    """Does the unit ``name`` match a ``query --unit`` search?

    True when the query is part of the name as written, names the same unit, or
    its key is part of the name's key (公安局 matches 清苑县公安局).  A blank
    query matches nothing.
    """
    if not query.strip():
        return False
    if query in name:
        return True
    cq, cn = canonical(query, aliases), canonical(name, aliases)
    return cq == cn or cq in cn


# --------------------------------------------------------------------------- alias files


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """One line describing a YAML error."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    where = f" (line {mark.line + 1})" if mark is not None else ""
    return " ".join(str(problem).split()) + where


def _duplicate_keys(text: str) -> list[str]:
    """Top-level keys written twice with different values (safe_load keeps only the last)."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)  # nodes only: nothing is constructed
    if not isinstance(node, yaml.MappingNode):
        return []
    seen: dict[Any, Any] = {}
    dups: list[str] = []
    for k, v in node.value:
        if not isinstance(k, yaml.ScalarNode):
            continue
        val = v.value if isinstance(v, yaml.ScalarNode) else id(v)
        if k.value in seen and seen[k.value] != val:
            dups.append(k.value)
        seen.setdefault(k.value, val)
    return dups


def load_aliases(path: str | os.PathLike[str]) -> dict[str, str]:
    """Read a user's alias file: a YAML mapping of ``alias: canonical`` entries,
    ``canonical: [alias, …]`` entries, or both.  Returns alias -> canonical (each
    canonical also maps to itself).

    Raises ``InputError(path, reason)`` with a one-line reason when the file is
    missing, larger than 1 MB, not UTF-8 YAML, not a mapping, has a key or value
    of the wrong type or an empty name, or maps one alias to two canonicals.
    Only ``yaml.safe_load`` is used: tags such as ``!!python/object`` are refused.
    """
    p = os.fspath(path)
    try:
        size = os.stat(p).st_size
    except FileNotFoundError:
        raise InputError(p, "alias file not found") from None
    except OSError as exc:
        raise InputError(p, f"cannot read alias file: {exc.strerror or exc}") from None
    if not os.path.isfile(p):
        raise InputError(p, "alias file is not a regular file")
    if size > MAX_ALIAS_FILE_BYTES:
        raise InputError(p, f"alias file is larger than 1 MB ({size} bytes)")
    try:
        with open(p, "rb") as fh:
            raw = fh.read(MAX_ALIAS_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(p, f"cannot read alias file: {exc.strerror or exc}") from None
    if len(raw) > MAX_ALIAS_FILE_BYTES:
        raise InputError(p, "alias file is larger than 1 MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(p, "not a valid alias file: not UTF-8 text") from None
    try:
        data = yaml.safe_load(text)
        dups = _duplicate_keys(text)
    except yaml.YAMLError as exc:
        raise InputError(p, f"not a valid alias file: {_yaml_problem(exc)}") from None
    except RecursionError:
        raise InputError(p, "not a valid alias file: nested too deeply") from None
    if data is None:
        raise InputError(p, "alias file is empty: expected a mapping of alias: canonical")
    if not isinstance(data, dict):
        raise InputError(p, f"alias file is not a mapping of alias: canonical (found a {type(data).__name__})")
    if dups:
        raise InputError(p, f"alias {dups[0]!r} is given twice with different canonical names")

    out: dict[str, str] = {}

    def add(alias: str, canon: str) -> None:
        for form in {alias, _normalize(alias)}:
            if not form:
                continue
            if out.get(form, canon) != canon:
                raise InputError(p, f"alias {alias!r} maps to both {out[form]!r} and {canon!r}")
            out[form] = canon

    def name(x: Any, what: str) -> str:
        if not isinstance(x, str):
            raise InputError(p, f"{what} {x!r} is not a string")
        if not x.strip():
            raise InputError(p, f"{what} is an empty name")
        return x.strip()

    for k, v in data.items():
        key = name(k, "key")
        if isinstance(v, str):
            add(key, name(v, f"value of {key!r}"))
        elif isinstance(v, list):
            if not all(isinstance(a, str) for a in v):
                raise InputError(p, f"value of {key!r} is not a string or a list of strings")
            add(key, key)
            for a in v:
                add(name(a, f"an alias of {key!r}"), key)
        else:
            raise InputError(p, f"value of {key!r} is not a string or a list of strings")
    return out
