#!/usr/bin/env python3
"""How far two annotators agree: the first annotation (`NNN_slug.targets.jsonl`) is read as
gold and a second, independent one (`agreement/NNN_slug.<who>.targets.jsonl`) as predictions,
matched and compared exactly as the reference scorer compares the extractor's output
(../shared/eval/score.py: value span overlap, then value, unit, comparator, deadline, subject).

    python3 corpus/agreement.py            # every second annotation in corpus/agreement/

Standard library only.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for base in (HERE.parent.parent / "shared", HERE.parent / "shared"):
    if (base / "eval" / "score.py").exists():
        sys.path.insert(0, str(base / "eval"))
import score  # noqa: E402  (the reference scorer's own matching and fields)


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in score.read_text(path).splitlines() if line.strip()]


def main() -> int:
    tot = dict(docs=0, hard1=0, hard2=0, matched=0, full=0)
    fields = {f: 0 for f in score.FIELDS}
    for second in sorted((HERE / "agreement").glob("*.targets.jsonl")):
        stem, who = second.name.removesuffix(".targets.jsonl").rsplit(".", 1)
        text = score.read_text(HERE / f"{stem}.txt")
        first = [r for r in records(HERE / f"{stem}.targets.jsonl")]
        preds = []
        for r in records(second):
            if r.get("strength") != "hard":
                continue
            s, e = score.locate(text, r)
            preds.append(r | {"value_span": (s, e)})
        pairs, fp, missed = score.match_doc(text, first, preds)
        hard_pairs = [(g, p) for g, p in pairs if g.get("strength") == "hard"]
        hard1 = sum(1 for g in first if g.get("strength") == "hard")
        full = sum(all(score.same(f, g, p) for f in score.FULL) for g, p in hard_pairs)
        for g, p in hard_pairs:
            for f in score.FIELDS:
                fields[f] += score.same(f, g, p)
        print(f"{stem:55s} {who}: hard {hard1:3d} / {len(preds):3d}  matched {len(hard_pairs):3d}  all fields {full:3d}")
        tot["docs"] += 1
        tot["hard1"] += hard1
        tot["hard2"] += len(preds)
        tot["matched"] += len(hard_pairs)
        tot["full"] += full
    if not tot["docs"]:
        print("no second annotations in corpus/agreement/")
        return 1
    p = tot["matched"] / tot["hard2"] if tot["hard2"] else 0.0
    r = tot["matched"] / tot["hard1"] if tot["hard1"] else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    fp = tot["full"] / tot["hard2"] if tot["hard2"] else 0.0
    fr = tot["full"] / tot["hard1"] if tot["hard1"] else 0.0
    full_f1 = 2 * fp * fr / (fp + fr) if fp + fr else 0.0
    print(f"{tot['docs']} documents, {tot['hard1']} and {tot['hard2']} hard records")
    print(f"agreement on which quantities are hard targets: F1 {f1:.3f}; on all of value, unit, "
          f"comparator, deadline and subject as well: F1 {full_f1:.3f}")
    print("field agreement on matched records: " + "  ".join(
        f"{f} {fields[f] / tot['matched']:.3f}" for f in score.FIELDS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
