"""Tests of govparse.canon: canonical unit keys, the alias table and alias files.

The unit names are taken from real plans (保定 枫桥经验 实施意见, 晋中 三治三零,
彰武县 报告, a town's 三治融合 方案) and from the usual names of the bodies after
the 2018 institutional reform.
"""
from __future__ import annotations

from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govparse import canon, lexicon
from govparse.canon import canonical, load_aliases, same_unit, unit_kind, unit_matches
from govparse.errors import InputError

# --------------------------------------------------------------------------- same unit

SAME = [
    # a bureau at any place and level
    ("保定市公安局", "县公安局"),
    ("市公安局", "清苑县公安局"),
    ("莲池区公安分局", "市公安局"),
    ("保定市公安局莲池分局", "县公安局"),
    ("省公安厅", "市公安局"),
    ("高碑店市司法局", "市司法局"),
    ("涿州市司法局", "县司法局"),
    ("市司法局等部门", "市司法局"),
    ("市民政局", "县民政局"),
    ("市民政局等部门", "民政部门"),
    # the party committee's political-legal commission (综治办 merged into it in 2018)
    ("市委政法委", "清苑县委政法委"),
    ("市委政法委员会", "县委政法委"),
    ("中共保定市委政法委员会", "市委政法委"),
    ("政法委", "县委政法委"),
    ("县综治办", "市委政法委"),
    # renamed or abbreviated departments
    ("市发展改革委", "县发展和改革局"),
    ("发改委", "发展和改革委员会"),
    ("市卫健委", "县卫生健康局"),
    ("卫生健康委员会", "卫健局"),
    ("县计生委", "市卫健委"),
    ("市规划和自然资源局", "县自然资源和规划局"),
    ("市国土资源局", "市自然资源和规划局"),
    ("市住建局", "县住房和城乡建设局"),
    ("市人社局", "人力资源和社会保障局"),
    ("市市场监管局", "县市场监督管理局"),
    ("县工商局", "市市场监管局"),
    ("县食药监局", "市场监督管理局"),
    ("市文旅局", "文化和旅游局"),
    ("县文广新局", "市文旅局"),
    ("县安监局", "市应急管理局"),
    ("县环保局", "市生态环境局"),
    ("县农业局", "市农业农村局"),
    ("市交通局", "市交通运输局"),
    ("市工信局", "工业和信息化局"),
    ("市委网信办", "网络安全和信息化委员会办公室"),
    ("市委依法治市办公室", "县委依法治县办"),
    ("市银保监分局", "银保监局"),
    ("市金融办", "地方金融监督管理局"),
    ("县扶贫办", "乡村振兴局"),
    # courts, procuratorates, people's congress
    ("市中级人民法院", "县人民法院"),
    ("市法院", "区人民法院"),
    ("市人民检察院", "县检察院"),
    ("市人大", "县人大常委会"),
    # party bodies
    ("市委组织部", "县委组织部"),
    ("组织部门", "市委组织部"),
    ("中共保定市委", "县委"),
    ("中共保定市委员会", "区委"),
    ("市纪委监委", "县纪委"),
    ("中共保定市纪律检查委员会", "县纪委监委"),
    ("县委办公室", "市委办"),
    ("市委市政府", "县委、县政府"),
    # governments and their offices
    ("市政府办公室", "县政府办"),
    ("县人民政府办公室", "市政府办公室"),
    ("保定市人民政府", "县政府"),
    ("镇党政办公室", "党政办"),
    # people's organisations
    ("市工会", "县总工会"),
    ("市妇联", "妇女联合会"),
    ("市团委", "团县委"),
    ("共青团保定市委员会", "市团委"),
    # traditional script (晋中 plan)
    ("市衛健委", "市卫健委"),
    ("市規劃和自然資源局", "市自然资源和规划局"),
    ("市中級人民法院", "市中级人民法院"),
    ("市市場監管局", "市市场监管局"),
    # collectives
    ("各县市区党委", "各县(区、市)党委"),
    ("各县、市、区党委", "各县市区党委"),
    ("各县(市、区)委", "各县市区党委"),
    ("各县市区政府", "各县(区、市)人民政府"),
    ("各县市区人民法院", "各县(市、区)法院"),
    ("各社区", "社区"),
    ("各村", "村"),
    ("各村委会", "各村"),
    ("各乡镇", "各乡镇(街道)"),
    ("乡镇党委", "各乡镇党委"),
    ("市直各职能部门", "县直各部门"),
    ("相关市直部门", "市直各职能部门"),
    ("各有关部门", "相关部门"),
]

NOT_SAME = [
    ("市公安局", "市司法局"),
    ("市委组织部", "市委宣传部"),
    ("各县市区党委", "各县市区政府"),
    ("市场监督管理局", "市司法局"),
    ("县委", "县政府"),
    ("市委政法委", "市委"),
    ("市委政法委", "市公安局"),
    ("市中级人民法院", "市人民检察院"),
    ("市教育局", "县教体局"),
    ("市金融办", "市银保监分局"),
    ("市委办公室", "市政府办公室"),
    ("各村", "各社区"),
    ("各乡镇", "各县市区政府"),
    ("各县市区党委", "市委"),
    ("市民政局", "市民服务中心"),
    ("市住建局", "市城市管理综合执法局"),
    ("市自然资源和规划局", "市生态环境局"),
    ("市直各职能部门", "各县市区政府"),
    ("市委网信办", "市委宣传部"),
    ("市工会", "市妇联"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_unit(a: str, b: str) -> None:
    assert same_unit(a, b), (canonical(a), canonical(b))


@pytest.mark.parametrize(("a", "b"), NOT_SAME)
def test_not_same_unit(a: str, b: str) -> None:
    assert not same_unit(a, b), canonical(a)


# --------------------------------------------------------------------------- the key scheme


@pytest.mark.parametrize(("name", "key"), [
    ("保定市公安局", "公安局"),
    ("市委政法委", "委政法委"),
    ("中共XX市委政法委员会", "委政法委"),
    ("市委组织部", "委组织部"),
    ("中共保定市委", "党委"),
    ("各县市区党委", "各下级党委"),
    ("各县市区人民政府", "各下级政府"),
    ("各乡镇(街道)", "各乡镇"),
    ("各村", "各村"),
    ("社区", "各社区"),
    ("各村(社区)", "各村社区"),
    ("市直各职能部门", "直属各部门"),
    ("市直政法各部门", "直属政法各部门"),
    ("各级党委政法委", "各级委政法委"),
    ("镇党政办公室", "党政办"),
    ("市中级人民法院", "法院"),
    ("市人民检察院", "检察院"),
    ("市政府办公室", "政府办"),
])
def test_key_scheme(name: str, key: str) -> None:
    assert canonical(name) == key


@pytest.mark.parametrize(("name", "key"), [
    ("市市场监管局", "市场监督管理局"),     # one level character, then 市场
    ("市场监管局", "市场监督管理局"),       # 市场 is not a place
    ("区住房和城乡建设局", "住房和城乡建设局"),  # 城乡 is not a place
    ("县乡村振兴局", "乡村振兴局"),         # 乡村 is not a place
    ("市城市管理综合执法局", "城市管理综合执法局"),
    ("市民政局", "民政局"),               # 市 + 民政局, not 市民
    ("市民服务中心", "市民服务中心"),
    ("区块链发展中心", "区块链发展中心"),
    ("县级领导", "县级领导"),
    ("依法治县办", "委依法治办"),          # 治县 is not a place
    ("政和县公安局", "公安局"),
    ("市中区公安局", "公安局"),
    ("广西壮族自治区公安厅", "公安局"),
    ("滨海新区公安局", "公安局"),
    ("各区县市场监管局", "各下级市场监督管理局"),
    ("中国人民银行保定市中心支行", "人民银行"),
    ("国家税务总局保定市税务局", "税务局"),
    ("市委组织部(牵头)", "委组织部"),
    ("  市公安局 ", "公安局"),
    ("市公安局", "公安局"),
])
def test_place_stripping(name: str, key: str) -> None:
    assert canonical(name) == key


# --------------------------------------------------------------------------- properties

PLACES = ["保定市", "清苑县", "莲池区", "高碑店市", "涿州市", "彰武县", "晋中市", "河北省",
          "XX镇", "东城街道", "广西壮族自治区", "锡林郭勒盟", "中共保定市", ""]
LEVELS = ["", "市", "县", "区", "镇", "乡"]
BODIES = ["公安局", "委政法委", "委组织部", "发展改革委", "卫健委", "市场监管局", "住房和城乡建设局",
          "自然资源和规划局", "人民法院", "中级人民法院", "人民检察院", "政府办公室", "民政局",
          "乡村振兴局", "城市管理综合执法局", "委", "政府", "人民政府", "党政办公室", "妇联",
          "司法局", "应急管理局", "委网信办", "委依法治市办", "人社局", "文旅局", "工信局"]

_fast = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_fast
@given(st.sampled_from(PLACES), st.sampled_from(LEVELS), st.sampled_from(BODIES))
def test_generated_names(place: str, level: str, body: str) -> None:
    name = place + level + body
    key = canonical(name)
    assert key
    assert canonical(key) == key
    # the place never changes the key
    assert key == canonical(body)


@_fast
@given(st.one_of(
    st.text(),
    st.text(alphabet="市县区镇乡省各委局办党政府社区村中共人民法院和城乡场民(、)级直第分厅团工",
            min_size=1, max_size=12),
))
def test_arbitrary_text(name: str) -> None:
    key = canonical(name)  # never raises
    if name:
        assert key
    assert canonical(key) == key
    assert unit_kind(name) in {"collective", "party", "government", "court",
                               "procuratorate", "people_org", "other"}
    unit_matches(name, name)


def test_empty_name() -> None:
    assert canonical("") == ""
    assert canonical("市") == "市"


# --------------------------------------------------------------------------- unit_kind


@pytest.mark.parametrize(("name", "kind"), [
    ("各县市区党委", "collective"),
    ("相关市直部门", "collective"),
    ("有关部门", "collective"),
    ("市直各职能部门", "collective"),
    ("乡镇党委", "collective"),
    ("市委政法委", "party"),
    ("市委组织部", "party"),
    ("县纪委监委", "party"),
    ("中共保定市委", "party"),
    ("市公安局", "government"),
    ("市发展改革委", "government"),
    ("县政府", "government"),
    ("市中级人民法院", "court"),
    ("市人民检察院", "procuratorate"),
    ("市工会", "people_org"),
    ("市妇联", "people_org"),
    ("市团委", "people_org"),
    ("市人大", "other"),
])
def test_unit_kind(name: str, kind: str) -> None:
    assert unit_kind(name) == kind


# --------------------------------------------------------------------------- unit_matches


def test_unit_matches() -> None:
    assert unit_matches("公安局", "市公安局")
    assert unit_matches("公安局", "清苑县公安局")
    assert not unit_matches("公安局", "市司法局")
    assert unit_matches("卫健委", "县卫生健康局")       # same unit, different words
    assert unit_matches("政法委", "市委政法委员会")
    assert unit_matches("县委政法委", "市委政法委")
    assert unit_matches("党委", "各县市区党委")         # key inside the key
    assert not unit_matches("各县市区党委", "各县市区政府")
    assert not unit_matches("", "市公安局")
    assert not unit_matches("  ", "市公安局")


# --------------------------------------------------------------------------- the data file


def _table_problems(data: Any) -> list[str]:
    """What is wrong with alias data (canonical key -> list of aliases)."""
    if not isinstance(data, dict):
        return ["not a mapping"]
    problems = []
    owner: dict[str, str] = {}
    for key, aliases in data.items():
        if not isinstance(key, str) or not key.strip():
            problems.append(f"key {key!r} is not a string")
            continue
        if not isinstance(aliases, list):
            problems.append(f"{key}: aliases are not a list")
            continue
        for a in aliases:
            if not isinstance(a, str) or not a.strip():
                problems.append(f"{key}: empty alias {a!r}")
                continue
            if a in owner and owner[a] != key:
                problems.append(f"alias {a} is listed under {owner[a]} and {key}")
            owner[a] = key
    for key in data:
        if isinstance(key, str) and key in owner and owner[key] != key:
            problems.append(f"key {key} is also an alias of {owner[key]}")
    return problems


def _data_text() -> str:
    return resources.files("govparse").joinpath("data", "unit_aliases.yaml").read_text(encoding="utf-8")


def test_alias_data_is_consistent() -> None:
    data = yaml.safe_load(_data_text())
    assert _table_problems(data) == []
    assert canon._duplicate_keys(_data_text()) == []
    assert sum(len(v) for v in data.values()) >= 60
    canon._table()  # rewriting the aliases makes no two keys collide (raises otherwise)


@pytest.mark.parametrize(("data", "problem"), [
    ({"公安局": ["公安分局"], "司法局": ["公安分局"]}, "listed under"),
    ({"公安局": [""]}, "empty alias"),
    ({"公安局": ["  "]}, "empty alias"),
    ({"公安局": [None]}, "empty alias"),
    ({1: ["公安分局"]}, "not a string"),
    ({None: ["公安分局"]}, "not a string"),
])
def test_alias_data_check_rejects(data: Any, problem: str) -> None:
    problems = _table_problems(data)
    assert problems and problem in problems[0]


def test_every_alias_gives_its_key() -> None:
    data = lexicon.load("unit_aliases")
    for key, aliases in data.items():
        assert canonical(key) == key
        for a in aliases:
            for place in ("", "市", "县", "保定市", "清苑县"):
                assert canonical(place + a) == key, place + a


# --------------------------------------------------------------------------- alias files


def _write(tmp_path: Path, text: str | bytes, name: str = "aliases.yaml") -> Path:
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def test_load_aliases_good_file(tmp_path: Path) -> None:
    p = _write(tmp_path, "# 本地别名\n综治中心: [社会治安综合治理中心, 综治服务中心]\n维稳办: 委政法委\n")
    aliases = load_aliases(p)
    assert aliases["维稳办"] == "委政法委"
    assert aliases["综治服务中心"] == "综治中心"
    assert canonical("镇维稳办") == "维稳办"
    assert canonical("镇维稳办", aliases) == "委政法委"           # by the built-in key
    assert canonical("县综治服务中心", aliases) == "综治中心"
    assert canonical("社会治安综合治理中心", aliases) == "综治中心"  # as written
    assert same_unit("镇维稳办", "市委政法委", aliases)
    assert not same_unit("镇维稳办", "市委政法委")
    assert unit_matches("政法委", "镇维稳办", aliases)
    assert canonical("市公安局", aliases) == "公安局"               # built-ins still apply
    assert load_aliases(str(p)) == aliases                         # str paths too


@pytest.mark.parametrize(("text", "reason"), [
    ("公安局: [x\n", "not a valid alias file"),
    (": : :\n  - [", "not a valid alias file"),
    ("- 公安局\n- 司法局\n", "not a mapping"),
    ("just text\n", "not a mapping"),
    ("", "empty"),
    ("公安局: 3\n", "not a string or a list of strings"),
    ("公安局: [公安分局, 3]\n", "not a string or a list of strings"),
    ("公安局: {a: b}\n", "not a string or a list of strings"),
    ("公安局: null\n", "not a string or a list of strings"),
    ("公安局: [公安分局]\n司法局: [公安分局]\n", "maps to both"),
    ("公安分局: 公安局\n公安分局: 司法局\n", "given twice"),
    ("1: 公安局\n", "key 1 is not a string"),
    ("公安局: ['']\n", "empty name"),
    ("'': 公安局\n", "empty name"),
    ('x: !!python/object/apply:os.system ["echo hi"]\n', "not a valid alias file"),
    ("!!python/object/apply:os.system [\"echo hi\"]\n", "not a valid alias file"),
])
def test_load_aliases_bad_file(tmp_path: Path, text: str, reason: str) -> None:
    p = _write(tmp_path, text)
    with pytest.raises(InputError) as ei:
        load_aliases(p)
    assert reason in ei.value.reason
    assert "\n" not in ei.value.reason
    assert ei.value.path == str(p)


def test_load_aliases_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_aliases(tmp_path / "nope.yaml")


def test_load_aliases_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a regular file"):
        load_aliases(tmp_path)


def test_load_aliases_not_utf8(tmp_path: Path) -> None:
    p = _write(tmp_path, "公安局: [公安分局]\n".encode("gbk"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_aliases(p)


def test_load_aliases_too_large(tmp_path: Path) -> None:
    p = _write(tmp_path, "# " + "x" * 1_000_001 + "\n")
    with pytest.raises(InputError, match="larger than 1 MB"):
        load_aliases(p)


def test_load_aliases_same_alias_twice_same_target(tmp_path: Path) -> None:
    p = _write(tmp_path, "公安局: [公安分局, 公安分局]\n派出所: 公安局\n")
    assert load_aliases(p)["公安分局"] == "公安局"


# --------------------------------------------------------------------------- speed


def test_fast_enough() -> None:
    names = [p + b for p in PLACES for b in BODIES] * 20
    canon._builtin.cache_clear()
    import time
    t = time.perf_counter()
    for n in names:
        canonical(n)
    assert time.perf_counter() - t < 1.0
    assert Counter(canonical(n) for n in names)  # sanity
