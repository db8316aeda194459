"""Score predicted targets against gold annotations, exactly as ../shared/eval/score.py does.

Gold format (GUIDELINES.md §5): NNN.txt + NNN.targets.jsonl (+ NNN.json with the date). A
prediction matches a gold record when its value span overlaps the gold value_text inside the
quote; recall counts `hard` records; a record is fully right when value, unit, comparator,
deadline and subject all agree.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIELDS = ("value", "unit", "comparator", "kind", "deadline", "subject")
FULL = ("value", "unit", "comparator", "deadline", "subject")

Record = dict[str, Any]


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def document_date(txt: Path) -> str:
    """The date from the sidecar NNN.json; a bare year becomes YYYY-12-31 (as the scorer)."""
    side = txt.with_suffix(".json")
    raw = ""
    if side.exists():
        raw = str(json.loads(read_text(side)).get("date") or "")
    if not raw:
        return "2000-12-31"
    if len(raw) == 4:
        return raw + "-12-31"
    if len(raw) == 7:
        return raw + "-28"
    return raw[:10]


def locate(text: str, rec: Record) -> tuple[int, int]:
    quote, vt, occ = rec["quote"], rec["value_text"], rec.get("occurrence", 1)
    pos = -1
    for _ in range(occ):
        pos = text.find(quote, pos + 1)
        if pos < 0:
            raise ValueError(f"quote not found (occurrence {occ}): {quote!r}")
    inner = quote.find(vt)
    if inner < 0:
        raise ValueError(f"value_text {vt!r} not in quote {quote!r}")
    return pos + inner, pos + inner + len(vt)


def same(name: str, gold: Record, pred: Record) -> bool:
    g, p = gold.get(name), pred.get(name)
    if name == "value":
        try:
            return g is not None and p is not None and math.isclose(float(g), float(p), rel_tol=1e-6)
        except (TypeError, ValueError):
            return False
    if name == "deadline":
        return (g or None) == (str(p)[:10] if p else None)
    return (g or None) == (p or None)


def match_document(text: str, gold: list[Record], preds: list[Record]) -> tuple[list[tuple[Record, Record]], list[Record], list[Record]]:
    """Greedy one-to-one matching by span overlap, in prediction order."""
    spans = [locate(text, g) for g in gold]
    used: set[int] = set()
    pairs: list[tuple[Record, Record]] = []
    false_pos: list[Record] = []
    for p in preds:
        s, e = p["value_span"]
        best, best_overlap, shared = None, 0, False
        for i, (gs, ge) in enumerate(spans):
            overlap = min(e, ge) - max(s, gs)
            if overlap <= 0:
                continue
            if i in used:
                shared = shared or "shared_value" in gold[i].get("flags", ())
                continue
            if overlap > best_overlap:
                best, best_overlap = i, overlap
        if best is None:
            if not shared:
                false_pos.append(p)
        else:
            used.add(best)
            pairs.append((gold[best], p))
    missed = [g for i, g in enumerate(gold) if i not in used]
    return pairs, false_pos, missed


@dataclass
class DocumentScore:
    name: str
    hard: int
    hard_hit: int
    full: int
    predictions: int
    false_positives: int
    details: list[str] = field(default_factory=list)


@dataclass
class Report:
    documents: list[DocumentScore]
    field_ok: dict[str, int]
    pred_ok: int

    def _sum(self, attr: str) -> int:
        return sum(getattr(d, attr) for d in self.documents)

    @property
    def summary(self) -> dict[str, Any]:
        hard, hit, pred = self._sum("hard"), self._sum("hard_hit"), self._sum("predictions")
        full = self._sum("full")
        recall = hit / hard if hard else 0.0
        precision = self.pred_ok / pred if pred else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        full_recall = full / hard if hard else 0.0
        full_precision = (full + self.pred_ok - hit) / pred if pred else 0.0
        ledger = 2 * full_precision * full_recall / (full_precision + full_recall) if full_precision + full_recall else 0.0
        return {
            "documents": len(self.documents), "hard": hard, "predictions": pred,
            "false_positives": self._sum("false_positives"),
            "detect_precision": round(precision, 4), "detect_recall": round(recall, 4),
            "detect_f1": round(f1, 4), "ledger_f1": round(ledger, 4),
            "field_accuracy": {f: round(self.field_ok[f] / hit, 4) if hit else 0.0 for f in FIELDS},
        }

    def lines(self) -> list[str]:
        out = [
            f"{d.name:45s} hard {d.hard_hit:3d}/{d.hard:<3d} full {d.full:3d}  preds {d.predictions:3d}  fp {d.false_positives:3d}"
            for d in self.documents
        ]
        s = self.summary
        out.append(f"detection  P {s['detect_precision']:.3f}  R {s['detect_recall']:.3f}  F1 {s['detect_f1']:.3f}")
        out.append("fields     " + "  ".join(f"{f} {v:.3f}" for f, v in s["field_accuracy"].items()))
        out.append(f"ledger F1  {s['ledger_f1']:.3f}   (a record counts only when value, unit, comparator, deadline and subject are all right)")
        return out


def evaluate(gold_dir: Path, predict: Callable[[Path, str], list[Record]], *, verbose: bool = False) -> Report:
    """Run `predict(txt_path, date)` on every annotated document of `gold_dir` and score it."""
    field_ok = dict.fromkeys(FIELDS, 0)
    pred_ok = 0
    docs: list[DocumentScore] = []
    for txt in sorted(gold_dir.glob("*.txt")):
        gold_path = txt.with_name(txt.stem + ".targets.jsonl")
        if not gold_path.exists():
            continue
        text = read_text(txt)
        gold = [json.loads(line) for line in read_text(gold_path).splitlines() if line.strip()]
        preds = predict(txt, document_date(txt))
        pairs, false_pos, missed = match_document(text, gold, preds)
        pred_ok += len(pairs)
        hard_pairs = [(g, p) for g, p in pairs if g.get("strength", "hard") == "hard"]
        score = DocumentScore(txt.stem, sum(g.get("strength", "hard") == "hard" for g in gold), len(hard_pairs), 0, len(preds), len(false_pos))
        for g, p in hard_pairs:
            for name in FIELDS:
                field_ok[name] += same(name, g, p)
            if all(same(name, g, p) for name in FULL):
                score.full += 1
            elif verbose:
                bad = {f: (g.get(f), p.get(f)) for f in FULL if not same(f, g, p)}
                score.details.append(f"  field  {txt.stem}: {g['quote'][:40]!r} {bad}")
        if verbose:
            score.details += [f"  miss   {txt.stem}: {g['quote'][:60]!r}" for g in missed if g.get("strength", "hard") == "hard"]
            for p in false_pos:
                s, e = p["value_span"]
                score.details.append(f"  fp     {txt.stem}: {text[max(0, s - 15):e + 5]!r} -> {p.get('value')} {p.get('unit')}")
        docs.append(score)
    return Report(docs, field_ok, pred_ok)
