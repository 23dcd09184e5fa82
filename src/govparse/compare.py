"""Comparing plans: what a county kept, changed and dropped of a city's plan
(``diff_plans``), and how a whole folder of county plans copy each other
(``compare_digests`` over ``digest_plan``).

Measures are aligned by what they say, never by position or number: the
similarity of ``govparse.similarity`` (jieba words and character grams of the
text with units, places, levels and numbers normalized away) decides which
measure of one plan is which of the other.  Pairs are taken best first, each
measure at most once, down to ``threshold``; what is left is only in one plan.

Library code: pure functions returning JSON-ready dicts; the CLI and the writers
(``render``, ``writers.html``) only present them.
"""
from __future__ import annotations

import hashlib
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

from .model import LEAD, SUPPORT, Measure, Plan, Target
from .similarity import (
    BAND_ROWS,
    Features,
    TextNormalizer,
    agreement_needed,
    features,
    level_free,
    similarity,
    similarity_bound,
    sketch_text,
    verbatim_grams,
    verbatim_text,
)

__all__ = [
    "DEFAULT_THRESHOLD", "TEXT_CHANGE_BELOW", "diff_plans", "align", "measure_string", "PlanDigest",
    "digest_plan", "digest_file", "collect_paths", "compare_digests", "compare_files", "all_pairs",
]

DEFAULT_THRESHOLD = 0.5
# a matched pair whose wording (units and numbers aside) is less alike than this
# reports a "text" change
TEXT_CHANGE_BELOW = 0.9
VERBATIM_N = 8
TARGETS_NOTE = ("raised/lowered compare the target values; for an at-most target (op <=) "
                "a lower value is the more ambitious one")


# --------------------------------------------------------------------------- preparing measures


def measure_string(m: Measure) -> str:
    """The heading and text of a measure as one string (the text usually starts with the heading)."""
    text = m.text or ""
    if m.heading and not text.startswith(m.heading):
        return f"{m.heading}。{text}" if text else m.heading
    return text


_ISSUER_PLACE = re.compile(r"^(?:中共)?([\u4e00-\u9fffXx×○〇*]{1,6}?[省市县区旗州盟镇乡])(?=[\u4e00-\u9fff])")


def plan_places(plan: Plan) -> list[str]:
    """Place names of a plan to blank out when comparing: its region and the places
    its issuers start with (中共保定市委办公室 -> 保定市)."""
    out = [plan.document.region] if plan.document.region else []
    for issuer in plan.document.issuers:
        m = _ISSUER_PLACE.match(issuer)
        if m and len(m.group(1)) >= 2:
            out.append(m.group(1))
    return list(dict.fromkeys(out))


def plan_units(plan: Plan) -> list[str]:
    return sorted({u.name for m in plan.measures for u in m.units})


def normalizer(plan: Plan, aliases: Mapping[str, str] | None = None,
               places: Iterable[str] = ()) -> TextNormalizer:
    """The text normalizer of a plan: its units, its places and ``places``."""
    return TextNormalizer(plan_units(plan), [*plan_places(plan), *places], aliases)


# --------------------------------------------------------------------------- alignment


def align(fa: Sequence[Features], fb: Sequence[Features], threshold: float = DEFAULT_THRESHOLD,
          texts_a: Sequence[str] | None = None, texts_b: Sequence[str] | None = None,
          ) -> list[tuple[int, int, float]]:
    """One-to-one pairs ``(i, j, similarity)`` of measures, best first, down to ``threshold``.

    Ties (the same similarity) go to the pair whose positions in the two plans are
    closest, then to the earlier one, so that the result does not depend on dict order.
    With ``texts_a``/``texts_b`` (the normalized texts), equal texts are 1.0 alike even
    when they have no words (a measure of punctuation only).
    """
    na, nb = len(fa), len(fb)
    cands = []
    for i, a in enumerate(fa):
        for j, b in enumerate(fb):
            if texts_a is not None and texts_b is not None and texts_a[i] == texts_b[j]:
                s = 1.0
            elif a.empty or b.empty or similarity_bound(a, b) < threshold:
                continue
            else:
                s = similarity(a, b)
            if s >= threshold:
                shift = abs(i / max(na, 1) - j / max(nb, 1))
                cands.append((-s, shift, i, j))
    cands.sort()
    used_a, used_b = set(), set()
    pairs = []
    for neg, _shift, i, j in cands:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((i, j, -neg))
    pairs.sort()
    return pairs


def _moved(pairs: list[tuple[int, int, float]]) -> int:
    """How many matched measures are out of order: those outside a longest run of pairs
    whose positions increase in both plans."""
    import bisect

    seq = [j for _i, j, _s in sorted(pairs)]
    tails: list[int] = []
    for x in seq:
        k = bisect.bisect_left(tails, x)
        if k == len(tails):
            tails.append(x)
        else:
            tails[k] = x
    return len(seq) - len(tails)


# --------------------------------------------------------------------------- changes


def _target_dict(t: Target) -> dict:
    return {"text": t.text, "metric": t.metric, "op": t.op, "value": t.value, "unit": t.unit}


def _number(v) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return float(v)
    return None


def _target_changes(ma: Measure, mb: Measure) -> list[dict]:
    """Targets compared by (metric, unit): a changed op or value, a target added or removed."""
    def key(t: Target) -> tuple:
        return (level_free("".join((t.metric or "").split())), t.unit or "")

    ga: dict[tuple, list[Target]] = defaultdict(list)
    gb: dict[tuple, list[Target]] = defaultdict(list)
    for t in ma.targets:
        ga[key(t)].append(t)
    for t in mb.targets:
        gb[key(t)].append(t)
    out = []
    for k in list(ga) + [k for k in gb if k not in ga]:
        la, lb = ga.get(k, []), gb.get(k, [])
        for n in range(max(len(la), len(lb))):
            ta = la[n] if n < len(la) else None
            tb = lb[n] if n < len(lb) else None
            if ta is not None and tb is not None and (ta.op, ta.value) == (tb.op, tb.value):
                continue
            change = {"field": "targets", "a": _target_dict(ta) if ta else None,
                      "b": _target_dict(tb) if tb else None}
            if ta is None:
                change["direction"] = "added"
            elif tb is None:
                change["direction"] = "removed"
            else:
                va, vb = _number(ta.value), _number(tb.value)
                if va is not None and vb is not None and va != vb:
                    change["direction"] = "raised" if vb > va else "lowered"
                else:
                    change["direction"] = "changed"
            out.append(change)
    return out


def _dates(m: Measure) -> list[str]:
    return sorted({d.date for d in m.deadlines if d.date})


def _deadline_change(ma: Measure, mb: Measure) -> dict | None:
    da, db = _dates(ma), _dates(mb)
    if da == db:
        return None
    change = {"field": "deadlines", "a": da, "b": db}
    if da and db:
        last_a, last_b = max(da), max(db)
        change["direction"] = "later" if last_b > last_a else "earlier" if last_b < last_a else "changed"
    else:
        change["direction"] = "added" if db else "removed"
    return change


def _unit_change(ma: Measure, mb: Measure, role: str, canon) -> dict | None:
    na = [u.name for u in ma.units if u.role == role]
    nb = [u.name for u in mb.units if u.role == role]
    ka = {canon(n): n for n in reversed(na)}
    kb = {canon(n): n for n in reversed(nb)}
    if set(ka) == set(kb):
        return None
    return {"field": role, "a": list(dict.fromkeys(na)), "b": list(dict.fromkeys(nb)),
            "removed": [ka[k] for k in ka if k not in kb], "added": [kb[k] for k in kb if k not in ka]}


def _wording(norm: TextNormalizer, m: Measure) -> str:
    """The measure's text for comparing wording: units as @ and deadlines (时限) left out,
    as their changes are reported on their own."""
    s = measure_string(m)
    for text in sorted({d.text for d in m.deadlines if d.text}, key=len, reverse=True):
        s = s.replace(text, "@")
    return norm.wording(s)


def _measure_ref(m: Measure) -> dict:
    return {"id": m.id, "heading": m.heading, "text": m.text}


def _document(plan: Plan) -> dict:
    d = plan.document
    return {"path": plan.source.path, "title": d.title, "region": d.region, "level": d.level,
            "date": d.date, "measures": len(plan.measures)}


def _plan_verbatim(contents: Iterable[str]) -> set[int]:
    """The hashed 8-grams of a plan's normalized measure texts."""
    return verbatim_grams(verbatim_text("".join(contents)), VERBATIM_N)


def diff_plans(a: Plan, b: Plan, *, threshold: float = DEFAULT_THRESHOLD,
               aliases: Mapping[str, str] | None = None) -> dict:
    """What changed from plan ``a`` to plan ``b`` (the JSON of ``govparse diff``).

    ``matched``: aligned measures with their similarity and changes of targets
    (by metric and unit), resolved deadline dates, lead and support units (on
    canonical keys: 市公安局 = 县公安局) and notably different wording;
    ``only_a`` / ``only_b``: measures without a counterpart; ``summary``: counts.
    """
    from .canon import canonical

    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be in (0, 1]")
    places = plan_places(a) + plan_places(b)
    na, nb = normalizer(a, aliases, places), normalizer(b, aliases, places)
    ca = [na.content(measure_string(m)) for m in a.measures]
    cb = [nb.content(measure_string(m)) for m in b.measures]
    fa, fb = [features(c) for c in ca], [features(c) for c in cb]
    pairs = align(fa, fb, threshold, ca, cb)

    def canon(name: str) -> str:
        return canonical(name, aliases)

    matched = []
    counts: Counter = Counter()
    for i, j, s in pairs:
        ma, mb = a.measures[i], b.measures[j]
        changes = _target_changes(ma, mb)
        dl = _deadline_change(ma, mb)
        if dl:
            changes.append(dl)
        for role in (LEAD, SUPPORT):
            uc = _unit_change(ma, mb, role, canon)
            if uc:
                changes.append(uc)
        wa, wb = _wording(na, ma), _wording(nb, mb)
        ws = 1.0 if wa == wb else similarity(features(wa), features(wb))
        if ws < TEXT_CHANGE_BELOW:
            changes.append({"field": "text", "a": ma.text, "b": mb.text, "similarity": round(ws, 3)})
        for c in changes:
            counts[c["field"]] += 1
            if c.get("direction"):
                counts[f'{c["field"]}_{c["direction"]}'] += 1
        matched.append({"a": _measure_ref(ma), "b": _measure_ref(mb), "similarity": round(s, 3),
                        "changes": changes})
    ia = {i for i, _j, _s in pairs}
    ib = {j for _i, j, _s in pairs}
    only_a = [_measure_ref(m) for i, m in enumerate(a.measures) if i not in ia]
    only_b = [_measure_ref(m) for j, m in enumerate(b.measures) if j not in ib]

    va, vb = _plan_verbatim(ca), _plan_verbatim(cb)
    common = len(va & vb)
    summary = {
        "measures_a": len(a.measures), "measures_b": len(b.measures), "matched": len(pairs),
        "only_a": len(only_a), "only_b": len(only_b),
        "kept_share": round(len(pairs) / len(a.measures), 3) if a.measures else None,
        "changed": sum(1 for m in matched if m["changes"]),
        "moved": _moved(pairs),
        "targets_changed": counts["targets"], "targets_raised": counts["targets_raised"],
        "targets_lowered": counts["targets_lowered"], "targets_added": counts["targets_added"],
        "targets_removed": counts["targets_removed"], "targets_note": TARGETS_NOTE,
        "deadlines_changed": counts["deadlines"], "deadlines_earlier": counts["deadlines_earlier"],
        "deadlines_later": counts["deadlines_later"],
        "lead_changed": counts[LEAD], "support_changed": counts[SUPPORT], "text_changed": counts["text"],
        "verbatim_a_in_b": round(common / len(va), 3) if va else None,
        "verbatim_b_in_a": round(common / len(vb), 3) if vb else None,
        "threshold": threshold,
    }
    return {"a": _document(a), "b": _document(b), "summary": summary, "matched": matched,
            "only_a": only_a, "only_b": only_b}


# --------------------------------------------------------------------------- many plans

# Folder walks take these; a file named on the command line is read whatever its name.
PLAN_SUFFIXES = (".txt", ".docx", ".html", ".htm", ".yaml", ".yml")
VERBATIM_SAMPLE_BITS = 4  # a worker keeps 1 in 16 hashed 8-grams (those below 2**28)
SNIPPET = 80
# a plan sharing no measure with any other has a nearest neighbour only if this share of
# its text is found there word for word (common phrases make up a few per cent)
NEAREST_MIN_VERBATIM = 0.05


@dataclass
class PlanDigest:
    """What ``compare`` needs of one plan: small, picklable, made in a worker process."""

    path: str
    title: str | None
    region: str | None
    level: str | None
    date: str | None
    chars: int
    ids: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    snippets: list[str] = field(default_factory=list)
    keys: list[bytes] = field(default_factory=list)  # digest of the normalized text: exact copies
    sigs: list[bytes | None] = field(default_factory=list)  # similarity sketches
    grams: list[int] = field(default_factory=list)  # sampled hashes of verbatim 8-grams
    n_grams: int = 0  # distinct 8-grams before sampling


# Sketches of normalized measure texts already seen in this process: counties copy
# measures word for word, and tokenizing is the costliest step of a digest.
_SKETCHES: dict[bytes, bytes | None] = {}
_SKETCH_CACHE_MAX = 200_000


def _sketch_cached(key: bytes, content: str) -> bytes | None:
    sig = _SKETCHES.get(key, b"")
    if sig == b"":
        if len(_SKETCHES) >= _SKETCH_CACHE_MAX:
            _SKETCHES.clear()
        sig = _SKETCHES[key] = sketch_text(content)
    return sig


def digest_plan(plan: Plan, path: str | None = None) -> PlanDigest:
    """The digest of a plan: per measure a key and a sketch, per plan sampled 8-grams."""
    norm = normalizer(plan)
    d = plan.document
    strings = [measure_string(m) for m in plan.measures]
    dig = PlanDigest(path=path or plan.source.path, title=d.title, region=d.region, level=d.level,
                     date=d.date, chars=sum(len(s) for s in strings))
    contents = [norm.content(s) for s in strings]
    for m, content in zip(plan.measures, contents):
        key = hashlib.blake2b(content.encode("utf-8"), digest_size=12).digest()
        dig.ids.append(m.id)
        dig.headings.append(m.heading)
        dig.snippets.append(m.text[:SNIPPET])
        dig.keys.append(key)
        dig.sigs.append(_sketch_cached(key, content))
    grams = _plan_verbatim(contents)
    limit = 1 << (32 - VERBATIM_SAMPLE_BITS)
    dig.grams = sorted(h for h in grams if h < limit)
    dig.n_grams = len(grams)
    return dig


def digest_file(path: str) -> tuple[str, list[PlanDigest], str | None]:
    """Worker: (path, digests of the plans in it, error message or None)."""
    from .errors import GovparseError
    from .planio import load_plans

    try:
        plans = load_plans(path)
        if len(plans) == 1:
            return path, [digest_plan(plans[0], path)], None
        return path, [digest_plan(p, f"{path}#{n}") for n, p in enumerate(plans, 1)], None
    except GovparseError as e:
        return path, [], str(e)
    except RecursionError:
        return path, [], f"{path}: document too deeply nested to read"
    except MemoryError:
        return path, [], f"{path}: document too large to hold in memory"


def _written_by_us(path: str) -> bool:
    """An HTML page that govparse wrote (a diff or compare report left in the folder)."""
    from .writers.html import GENERATOR

    try:
        with open(path, "rb") as fh:
            head = fh.read(2048)
    except OSError:
        return False
    return f'<meta name="generator" content="{GENERATOR}">'.encode() in head


def collect_paths(args: Iterable[str]) -> tuple[list[str], list[str]]:
    """The plan files named by ``args``: files as given, folders walked (sorted, hidden
    entries and symlinked folders skipped) for PLAN_SUFFIXES.  Returns (paths, errors)."""
    paths: list[str] = []
    errors: list[str] = []
    for arg in args:
        if arg != "-" and os.path.isdir(arg):
            found = []
            for root, dirs, files in os.walk(arg):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if f.startswith(".") or not f.lower().endswith(PLAN_SUFFIXES):
                        continue
                    p = os.path.join(root, f)
                    if f.lower().endswith((".html", ".htm")) and _written_by_us(p):
                        continue
                    found.append(p)
            if not found:
                errors.append(f"{arg}: no plan files (.txt .docx .html .yaml) in this folder")
            paths.extend(found)
        elif arg == "-" or os.path.exists(arg):
            paths.append(arg)
        else:
            errors.append(f"{arg}: no such file or folder")
    return list(dict.fromkeys(paths)), errors


def _digest_all(paths: Sequence[str], jobs: int, progress: Callable[[int, int], None] | None):
    """(digests in input order, error messages), parsing in ``jobs`` worker processes."""
    digests: list[PlanDigest] = []
    errors: list[str] = []
    total = len(paths)

    def take(result, done):
        _path, ds, err = result
        if err:
            errors.append(err)
        digests.extend(ds)
        if progress:
            progress(done, total)

    if jobs <= 1 or total <= 2:
        for n, p in enumerate(paths, 1):
            take(digest_file(p), n)
        return digests, errors
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(8, total // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=min(jobs, total)) as pool:
        for n, result in enumerate(pool.map(digest_file, paths, chunksize=chunk), 1):
            take(result, n)
    return digests, errors


def compare_files(args: Iterable[str], *, jobs: int = 0, threshold: float = DEFAULT_THRESHOLD,
                  progress: Callable[[int, int], None] | None = None) -> tuple[dict | None, list[str]]:
    """``compare_digests`` of the plans in files and folders ``args``; (result, errors).
    The result is None when fewer than two plans could be read."""
    paths, errors = collect_paths(args)
    digests, errs = _digest_all(paths, jobs or (os.cpu_count() or 1), progress)
    errors += errs
    if len(digests) < 2:
        return None, errors
    return compare_digests(digests, threshold=threshold), errors


def _cluster(digests: Sequence[PlanDigest], threshold: float) -> tuple[list[list[int]], list[tuple[int, int]]]:
    """Cluster the measures of all plans: (cluster of each measure per plan (-1: none),
    leader (plan, measure) of each cluster).

    Identical normalized measures are one item.  Items are taken most frequent first;
    each joins the most similar cluster leader found through the LSH bands if that
    is at least ``threshold`` alike, else leads a new cluster.  Every member is thus
    close to its leader, and no chain of small steps joins unrelated measures.
    """
    item_of: dict[bytes, int] = {}
    members: list[list[tuple[int, int]]] = []
    sigs: list[bytes] = []
    for p, d in enumerate(digests):
        for m, (key, sig) in enumerate(zip(d.keys, d.sigs)):
            if sig is None:
                continue
            it = item_of.get(key)
            if it is None:
                it = item_of[key] = len(members)
                members.append([])
                sigs.append(sig)
            members[it].append((p, m))
    order = sorted(range(len(members)), key=lambda it: (-len({p for p, _ in members[it]}), it))
    ints = [int.from_bytes(s, "little") for s in sigs]
    nbands = len(sigs[0]) // BAND_ROWS if sigs else 0
    bands: list[dict[bytes, list[int]]] = [{} for _ in range(nbands)]
    leaders: list[int] = []  # item of each cluster's leader
    cluster_of_item = [-1] * len(members)
    # Leaders are less than ``threshold`` alike and 1 - similarity is a distance (a mean
    # of Jaccard distances), so a measure at least ``sure`` alike to a leader is closer to
    # it than to any other leader: the search stops there.
    need, sure = agreement_needed(threshold), agreement_needed((1 + threshold) / 2)
    nbytes = len(sigs[0]) if sigs else 0
    for it in order:
        sig, x = sigs[it], ints[it]
        seen: set[int] = set()
        best, best_agree = -1, need
        for band in range(nbands):
            o = band * BAND_ROWS
            for c in bands[band].get(sig[o:o + BAND_ROWS], ()):
                if c in seen:
                    continue
                seen.add(c)
                agree = (x ^ ints[leaders[c]]).to_bytes(nbytes, "little").count(0)  # sketch_similarity
                if agree >= best_agree:
                    best, best_agree = c, agree
            if best_agree >= sure:
                break  # no other leader can be as close
        if best < 0:
            best = len(leaders)
            leaders.append(it)
            for band in range(nbands):
                o = band * BAND_ROWS
                bands[band].setdefault(sig[o:o + BAND_ROWS], []).append(best)
        cluster_of_item[it] = best
    of_measure = [[-1] * len(d.keys) for d in digests]
    for it, ms in enumerate(members):
        for p, m in ms:
            of_measure[p][m] = cluster_of_item[it]
    return of_measure, [members[it][0] for it in leaders]


def _bitsets(sets: Sequence[Iterable[int]]) -> list[int]:
    """Each set of small non-negative ints as the bits of one Python int."""
    out = []
    for items in sets:
        items = list(items)
        if not items:
            out.append(0)
            continue
        buf = bytearray(max(items) // 8 + 1)
        for i in items:
            buf[i >> 3] |= 1 << (i & 7)
        out.append(int.from_bytes(buf, "little"))
    return out


def _share(x: int, total: int) -> float:
    return round(x / total, 3) if total else 0.0


def compare_digests(digests: Sequence[PlanDigest], *, threshold: float = DEFAULT_THRESHOLD,
                    top_pairs: int = 200) -> dict:
    """Compare many plans (the JSON of ``govparse compare``).

    * ``plans``: each plan with its nearest neighbour (highest ``similarity``), the
      share of its measures found in it and of its text found there verbatim, and
      how many of its measures no other plan has;
    * ``matrix``: plan-by-plan similarity, (measures of A found in B + measures of
      B found in A) / (measures of A + measures of B);
    * ``found``: row plan's share of measures found in the column plan;
    * ``verbatim``: row plan's share of text found verbatim in the column plan;
    * ``pairs``: the ``top_pairs`` most similar pairs with the shares both ways;
    * ``common``: clusters of alike measures in two or more plans, most plans first;
      ``unique``: measures found in no other plan.

    A measure of A is *found* in B when B has a measure of its cluster (see
    ``_cluster``: similarity estimated from sketches, at least ``threshold``).
    Verbatim: the share of A's distinct character 8-grams (text normalized:
    numerals, places and levels folded, punctuation dropped) that B has, estimated
    on a 1-in-16 hash sample.
    """
    n = len(digests)
    of_measure, leaders = _cluster(digests, threshold)
    sizes = [len(d.keys) for d in digests]

    # measures found: bits of the clusters each plan has; a cluster that a plan has
    # twice or more adds its extra measures wherever the cluster is found
    clusters = [set(x for x in cl if x >= 0) for cl in of_measure]
    cbits = _bitsets(clusters)
    extra = []
    for cl in of_measure:
        cnt = Counter(x for x in cl if x >= 0)
        extra.append([(c, k - 1) for c, k in cnt.items() if k > 1])
    plans_of: dict[int, list[int]] = defaultdict(list)
    for p, cs in enumerate(clusters):
        for c in cs:
            plans_of[c].append(p)

    # verbatim: bits of the sampled 8-grams that two or more plans have
    df = Counter(h for d in digests for h in d.grams)
    index = {h: i for i, h in enumerate(h for h, k in df.items() if k > 1)}
    vbits = _bitsets([index[h] for h in d.grams if h in index] for d in digests)
    vsizes = [len(d.grams) for d in digests]

    sim_m = [[0.0] * n for _ in range(n)]
    found_m = [[0.0] * n for _ in range(n)]
    verb_m = [[0.0] * n for _ in range(n)]
    for a in range(n):
        ca, va = cbits[a], vbits[a]
        sim_m[a][a] = found_m[a][a] = 1.0 if sizes[a] else 0.0
        verb_m[a][a] = 1.0 if vsizes[a] else 0.0
        row_s, row_f, row_v = sim_m[a], found_m[a], verb_m[a]
        for b in range(a + 1, n):
            common = (ca & cbits[b]).bit_count()
            fab = fba = common
            if extra[a] or extra[b]:
                fab += sum(k for c, k in extra[a] if (cbits[b] >> c) & 1)
                fba += sum(k for c, k in extra[b] if (ca >> c) & 1)
            if common:
                row_s[b] = sim_m[b][a] = _share(fab + fba, sizes[a] + sizes[b])
                row_f[b] = _share(fab, sizes[a])
                found_m[b][a] = _share(fba, sizes[b])
            vc = (va & vbits[b]).bit_count()
            if vc:
                row_v[b] = _share(vc, vsizes[a])
                verb_m[b][a] = _share(vc, vsizes[b])

    unique_count = [0] * n
    unique = []
    for p, cl in enumerate(of_measure):
        for m, c in enumerate(cl):
            if c < 0 or len(plans_of[c]) == 1:
                unique_count[p] += 1
                unique.append({"plan": p, "id": digests[p].ids[m], "heading": digests[p].headings[m]})

    plans = []
    for a, d in enumerate(digests):
        others = [b for b in range(n) if b != a]
        nearest = None
        if others:
            b = max(others, key=lambda b: (sim_m[a][b], found_m[a][b], verb_m[a][b], -b))
            if sim_m[a][b] > 0 or verb_m[a][b] >= NEAREST_MIN_VERBATIM:
                nearest = {"plan": b, "path": digests[b].path, "similarity": sim_m[a][b],
                           "found_share": found_m[a][b], "found_share_reverse": found_m[b][a],
                           "verbatim_share": verb_m[a][b], "verbatim_share_reverse": verb_m[b][a]}
        plans.append({"index": a, "path": d.path, "title": d.title, "region": d.region, "level": d.level,
                      "date": d.date, "measures": sizes[a], "chars": d.chars,
                      "unique_measures": unique_count[a], "nearest": nearest})

    pairs = sorted(((sim_m[a][b], max(verb_m[a][b], verb_m[b][a]), a, b)
                    for a in range(n) for b in range(a + 1, n) if sim_m[a][b] or verb_m[a][b]),
                   key=lambda r: (-r[0], -r[1], r[2], r[3]))[:top_pairs]
    pairs = [pair_row(a, b, sim_m, found_m, verb_m) for _s, _v, a, b in pairs]

    by_cluster: dict[int, list[dict]] = defaultdict(list)
    for p, cl in enumerate(of_measure):
        for m, c in enumerate(cl):
            if c >= 0 and len(plans_of[c]) >= 2:
                by_cluster[c].append({"plan": p, "id": digests[p].ids[m]})
    common_clusters = []
    for c in sorted(by_cluster, key=lambda c: (-len(plans_of[c]), c)):
        lp, lm = leaders[c]
        common_clusters.append({"cluster": len(common_clusters) + 1, "plans": len(plans_of[c]),
                                "share": _share(len(plans_of[c]), n), "heading": digests[lp].headings[lm],
                                "text": digests[lp].snippets[lm], "members": by_cluster[c]})

    return {
        "plans": plans,
        "matrix": sim_m,
        "found": found_m,
        "verbatim": verb_m,
        "pairs": pairs,
        "common": common_clusters,
        "unique": unique,
        "settings": {"threshold": threshold, "verbatim_ngram": VERBATIM_N,
                     "verbatim_sample": f"1/{1 << VERBATIM_SAMPLE_BITS}", "plans": n,
                     "measures": sum(sizes), "clusters": len(leaders)},
    }


def pair_row(a: int, b: int, sim_m, found_m, verb_m) -> dict:
    return {"a": a, "b": b, "similarity": sim_m[a][b], "found_a_in_b": found_m[a][b],
            "found_b_in_a": found_m[b][a], "verbatim_a_in_b": verb_m[a][b], "verbatim_b_in_a": verb_m[b][a]}


def all_pairs(result: dict):
    """Every pair (a < b) of a ``compare_digests`` result, as ``pair_row`` dicts."""
    n = len(result["plans"])
    for a in range(n):
        for b in range(a + 1, n):
            yield pair_row(a, b, result["matrix"], result["found"], result["verbatim"])
