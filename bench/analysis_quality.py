"""Benchmark: dev-set quality of every labelling task, next to simple baselines from the same run.

    python bench/analysis_quality.py [--goemotions ../shared/data/goemotions] [--json results.json]

For each task with a dev set (``bench/data/TASK*.dev.jsonl``, developer-written and fictional;
GoEmotions dev for emotions) it labels every row through ``reverie label``'s code path and
reports precision, recall and F1 per label and macro-F1, against a majority-class baseline and a
keyword baseline. Valence is compared with VADER on GoEmotions dev's sentiment grouping.
"""

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "bench" / "data"

from reverie.analysis.labelling import Labeller, available_tasks, parse_row  # noqa: E402
from reverie.analysis.labelsets import TASKS, read_rows  # noqa: E402

KEYWORDS: dict[str, list[tuple[str, str]]] = {
    # (label, regex): the first that matches wins; the last entry is the fallback.
    "dream": [("dream", r"\b(dream|dreamt|dreamed|nightmare)"), ("", r"")],
    "transference": [("transference", r"\byou\b"), ("", r"")],
    "temporal": [("childhood", r"\bwhen i was (little|a kid|young|\d+|small)|\bas a (kid|child)|\bschool\b"), ("past", r"\blast (year|month|week)|\bused to\b|\bago\b"), ("future", r"\bwill\b|\bgoing to\b|\bnext\b|\btomorrow\b"), ("present", r"")],
    "intervention": [("advice", r"\byou should|\btry\b|\bwhy don't you"), ("interpretation", r"\bi wonder|\bperhaps|\bmaybe (it|you|the)"), ("question", r"\?\s*$"), ("information", r"\bminutes\b|\bnext week\b|\bsession\b"), ("other", r"^\W*(mm+|hm+|ok(ay)?|hello|hi|right)\W*$"), ("reflection", r"")],
    "resistance": [("dont_know", r"\bi don'?t know\b|\bidk\b"), ("minimising", r"\bnot a big deal|\bno big deal|\bit'?s nothing|\bit was nothing|\bjust\b"), ("topic_shift", r"\banyway\b|\bby the way\b"), ("deflecting_question", r"\?\s*$"), ("intellectualising", r"\btheory|\btextbook|\bclassic\b|\bpsycholog"), ("none", r"")],
    "defense": [("3", r"\bi'?m fine\b|\bdoesn'?t matter|\bnot a big deal|\bit'?s normal"), ("7", r"\bi notice|\bi realise|\bi realize|\bi told (him|her|them)"), ("6", r"\btheory|\bstatistically|\bobjectively"), ("0", r"")],
    "theme": [("family", r"\b(mum|mom|dad|mother|father|brother|sister|family|parents?)\b"), ("partner", r"\b(husband|wife|partner|boyfriend|girlfriend)\b"), ("work", r"\b(work|job|boss|office|colleague)\b"), ("body", r"\b(sleep|ill|sick|pain|body|eat|weight|doctor)\b"), ("loss", r"\b(died|death|funeral|grief|lost)\b"), ("self_worth", r"\b(useless|stupid|worthless|not good enough|failure)\b"), ("sexuality", r"\b(sex|sexual|gay|attracted)\b"), ("money", r"\b(money|debt|rent|bills?|pay)\b"), ("friendship", r"\b(friend|friends|mate)\b"), ("therapy", r"\b(therapy|session|therapist)\b")],
    "people": [("mother", r"\b(mum|mom|mother)\b"), ("father", r"\b(dad|father)\b"), ("sibling", r"\b(brother|sister)\b"), ("partner", r"\b(husband|wife|partner|boyfriend|girlfriend)\b"), ("friend", r"\bfriend"), ("boss", r"\bboss|\bmanager\b"), ("colleague", r"\bcolleague"), ("child", r"\b(son|daughter|kids?)\b"), ("grandparent", r"\b(gran|grandma|grandad|grandfather|grandmother|nan)\b"), ("therapist", r"\byou\b")],
}


def keyword_labels(task: str, text: str) -> list[str]:
    low = text.lower()
    if TASKS[task].multi_label and task not in ("dream", "transference"):
        return sorted({label for label, rx in KEYWORDS[task] if rx and re.search(rx, low)})
    for label, rx in KEYWORDS[task]:
        if re.search(rx, low):
            return [label] if label else []
    return []


def scores(gold: list[list[str]], predicted: list[list[str]], labels: tuple[str, ...]) -> dict[str, Any]:
    per: dict[str, dict[str, float]] = {}
    for label in labels:
        tp = sum(label in g and label in p for g, p in zip(gold, predicted, strict=True))
        fp = sum(label not in g and label in p for g, p in zip(gold, predicted, strict=True))
        fn = sum(label in g and label not in p for g, p in zip(gold, predicted, strict=True))
        support = tp + fn
        if support == 0 and fp == 0:
            continue
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[label] = {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), "support": support}
    scored = [v["f1"] for k, v in per.items() if v["support"]]
    exact = sum(set(g) == set(p) for g, p in zip(gold, predicted, strict=True)) / max(1, len(gold))
    return {"macro_f1": round(sum(scored) / max(1, len(scored)), 3), "exact_match": round(exact, 3), "per_label": per}


def evaluate(task: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    labeller = Labeller(task)
    docs = [(str(r["id"]), parse_row(json.dumps(r), n, task)[1]) for n, r in enumerate(rows, start=1)]
    start = time.perf_counter()
    out = labeller.label(docs)
    elapsed = time.perf_counter() - start
    gold = [list(r["labels"]) for r in rows]
    predicted = [o["labels"] for o in out]
    spec = TASKS[task]
    majority_label = Counter(label for g in gold for label in g).most_common(1)[0][0]
    majority = [[majority_label] for _ in rows]
    result = {"rows": len(rows), "seconds": round(elapsed, 2), "reverie": scores(gold, predicted, spec.labels), "majority": scores(gold, majority, spec.labels)}
    if task in KEYWORDS:
        result["keyword"] = scores(gold, [keyword_labels(task, r["text"]) for r in rows], spec.labels)
    return result


def goemotions_rows(folder: Path) -> list[dict[str, Any]]:
    names = (folder / "emotions.txt").read_text(encoding="utf-8").split()
    rows = []
    for line in (folder / "dev.tsv").read_text(encoding="utf-8").splitlines():
        text, labels, row_id = line.split("\t")
        rows.append({"id": row_id, "text": text, "labels": [names[int(x)] for x in labels.split(",")]})
    return rows


def valence_vs_vader(rows: list[dict[str, Any]], emotion_out: list[dict[str, Any]], folder: Path) -> dict[str, Any]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from reverie.analysis.affect import NEGATIVE, POSITIVE

    vader = SentimentIntensityAnalyzer()
    keep = []
    for r, o in zip(rows, emotion_out, strict=True):
        gold = {"positive" if e in POSITIVE else "negative" if e in NEGATIVE else "other" for e in r["labels"]}
        if gold in ({"positive"}, {"negative"}):
            ours = sum(o["scores"][e] for e in POSITIVE) - sum(o["scores"][e] for e in NEGATIVE)
            theirs = vader.polarity_scores(r["text"])["compound"]
            keep.append((gold.pop(), ours, theirs))
    ours_acc = sum((v > 0) == (g == "positive") for g, v, _ in keep) / len(keep)
    vader_acc = sum((v > 0) == (g == "positive") for g, _, v in keep) / len(keep)
    return {"rows": len(keep), "reverie_sign_accuracy": round(ours_acc, 3), "vader_sign_accuracy": round(vader_acc, 3)}


def risk_figures(path: Path) -> dict[str, Any]:
    """Crisis response (ideation or above) and check-ins (indicator or above) on one risk file."""
    rank = {"none": 0, "indicator": 1, "ideation": 2, "behavior": 3, "attempt": 4}
    rows = read_rows(path)
    out = Labeller("risk").label([(str(r["id"]), parse_row(json.dumps(r), n, "risk")[1]) for n, r in enumerate(rows, start=1)])
    risky = [(r, o) for r, o in zip(rows, out, strict=True) if rank[r["labels"][0]] >= 2]
    safe = [(r, o) for r, o in zip(rows, out, strict=True) if r["labels"][0] == "none"]
    return {
        "rows": len(rows),
        "ideation_or_above": len(risky),
        "caught": sum(rank[o["labels"][0]] >= 2 for _, o in risky),
        "checked_in": sum(rank[o["labels"][0]] >= 1 for _, o in risky),
        "negatives": len(safe),
        "false_alarms": sum(rank[o["labels"][0]] >= 2 for _, o in safe),
        "negatives_checked_in": sum(rank[o["labels"][0]] >= 1 for _, o in safe),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--goemotions", type=Path, default=ROOT.parent / "shared" / "data" / "goemotions")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    results: dict[str, Any] = {}
    for task in available_tasks():
        if task in ("emotion", "risk"):
            continue
        rows = [r for p in sorted(DEV.glob(f"{TASKS[task].files}*.dev.jsonl")) for r in read_rows(p)]
        if rows:
            results[task] = evaluate(task, rows)
    if (args.goemotions / "dev.tsv").exists():
        rows = goemotions_rows(args.goemotions)
        labeller = Labeller("emotion")
        out = labeller.label([(r["id"], parse_row(json.dumps(r), n, "emotion")[1]) for n, r in enumerate(rows, start=1)])
        gold = [r["labels"] for r in rows]
        majority = [["neutral"] for _ in rows]
        results["emotion"] = {"rows": len(rows), "reverie": scores(gold, [o["labels"] for o in out], TASKS["emotion"].labels), "majority": scores(gold, majority, TASKS["emotion"].labels)}
        results["valence"] = valence_vs_vader(rows, out, args.goemotions)
    print("| task | dev rows | Reverie macro-F1 | exact match | majority macro-F1 | keyword macro-F1 |")
    print("|---|---|---|---|---|---|")
    for task, r in results.items():
        if task == "valence":
            continue
        keyword = r.get("keyword", {}).get("macro_f1", "-")
        print(f"| {task} | {r['rows']} | {r['reverie']['macro_f1']} | {r['reverie']['exact_match']} | {r['majority']['macro_f1']} | {keyword} |")
    if "valence" in results:
        v = results["valence"]
        print(f"\nValence sign on {v['rows']} GoEmotions dev rows with a clearly positive or negative label: Reverie {v['reverie_sign_accuracy']}, VADER {v['vader_sign_accuracy']}")
    print("\n| risk set | ideation or above caught | at least a check-in | false crisis alarms on negatives | negatives checked in |")
    print("|---|---|---|---|---|")
    for name, path in (("tests/data/crisis.jsonl (developed on)", ROOT / "tests" / "data" / "crisis.jsonl"), ("bench/data/risk.dev.jsonl (held out)", DEV / "risk.dev.jsonl")):
        if path.exists():
            f = results[f"risk:{path.name}"] = risk_figures(path)
            print(f"| {name} | {f['caught']}/{f['ideation_or_above']} | {f['checked_in']}/{f['ideation_or_above']} | {f['false_alarms']}/{f['negatives']} | {f['negatives_checked_in']}/{f['negatives']} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
