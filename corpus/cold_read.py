#!/usr/bin/env python3
"""Score the extractor on newly annotated documents *before anything is changed for them*
and append one row per document to cold-reads.tsv: the project's honest estimate of how
taizhang reads the next document.

    python3 corpus/cold_read.py corpus/105_some-news.txt [more.txt ...]
    python3 corpus/cold_read.py --taizhang /path/to/frozen/.venv/bin/taizhang --tsv rows.tsv DOC.txt

Each document must have its gold (`NNN_slug.targets.jsonl`, checked with validate_gold.py
first) and its sidecar (`NNN_slug.json`, whose `date` is the reference date). The extractor
is the `taizhang` command given (default: this checkout's .venv); the commit recorded is the
HEAD of the checkout that command was installed from, and it is refused when that checkout
has uncommitted changes under src/ (a cold read must name the code that made it). A document
that already has a row is refused: a document is read cold once. A document with no hard
target counts as read right (precision, recall and ledger F1 1.0) when nothing false was found
in it; the last four columns let the figures be pooled over documents.
Standard library only.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = ("document", "added", "commit", "hard", "detect_precision", "detect_recall", "ledger_f1",
           "predictions", "false_positives", "hard_found", "full_right")


def shared_eval() -> Path:
    for base in (HERE.parent.parent / "shared", HERE.parent / "shared"):
        if (base / "eval" / "score.py").exists():
            return base / "eval"
    sys.exit("cold_read: cannot find ../shared/eval/score.py")


def checkout_of(taizhang: Path) -> Path:
    """The source checkout a `taizhang` console script was installed from (editable install)."""
    out = subprocess.run(
        [str(taizhang.parent / "python"), "-c", "import taizhang,sys; print(taizhang.__file__)"],
        capture_output=True, text=True, check=True,
    )
    return Path(out.stdout.strip()).resolve().parents[2]


def commit_of(checkout: Path) -> str:
    dirty = subprocess.run(["git", "-C", str(checkout), "status", "--porcelain", "--", "src"],
                           capture_output=True, text=True, check=True).stdout.strip()
    if dirty:
        sys.exit(f"cold_read: {checkout} has uncommitted changes under src/; commit or use a clean checkout")
    return subprocess.run(["git", "-C", str(checkout), "rev-parse", "--short=10", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()


def score_one(doc: Path, gold_path: Path, taizhang: Path, evaldir: Path) -> dict[str, object]:
    """One document scored as the reference scorer scores it (its matching, its fields)."""
    sys.path.insert(0, str(evaldir))
    import score  # the reference scorer's own functions

    text = score.read_text(doc)
    gold = [json.loads(line) for line in score.read_text(gold_path).splitlines() if line.strip()]
    raw, _ = score.run_cmd(f"{taizhang} extract --format jsonl --date {{date}} {{file}}", doc, score.doc_date(doc))
    preds = score.parse_preds(raw, doc.name)
    pairs, fp, _missed = score.match_doc(text, gold, preds)
    hard = sum(1 for g in gold if g.get("strength", "hard") == "hard")
    hard_pairs = [(g, p) for g, p in pairs if g.get("strength", "hard") == "hard"]
    full = sum(all(score.same(f, g, p) for f in score.FULL) for g, p in hard_pairs)
    precision = len(pairs) / len(preds) if preds else 1.0
    recall = len(hard_pairs) / hard if hard else 1.0
    if hard:
        full_p = (full + len(pairs) - len(hard_pairs)) / len(preds) if preds else 0.0
        full_r = full / hard
        ledger = 2 * full_p * full_r / (full_p + full_r) if full_p + full_r else 0.0
    else:  # nothing to find: right when nothing false was found
        ledger = 1.0 if not fp else 0.0
    return {"hard": hard, "detect_precision": round(precision, 4), "detect_recall": round(recall, 4),
            "ledger_f1": round(ledger, 4), "predictions": len(preds), "false_positives": len(fp),
            "hard_found": len(hard_pairs), "full_right": full}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("documents", nargs="+", type=Path)
    ap.add_argument("--taizhang", type=Path, default=HERE.parent / ".venv" / "bin" / "taizhang")
    ap.add_argument("--tsv", type=Path, default=HERE / "cold-reads.tsv")
    a = ap.parse_args()
    evaldir = shared_eval()
    commit = commit_of(checkout_of(a.taizhang))
    rows = []
    if a.tsv.exists():
        with open(a.tsv, encoding="utf-8") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
    seen = {r["document"] for r in rows}
    new = []
    for doc in a.documents:
        stem = doc.name.removesuffix(".txt")
        if stem in seen:
            print(f"cold_read: {stem} already has a cold read; skipped", file=sys.stderr)
            continue
        gold = doc.with_name(stem + ".targets.jsonl")
        side = doc.with_name(stem + ".json")
        for need in (doc, gold, side):
            if not need.exists():
                sys.exit(f"cold_read: missing {need}")
        with tempfile.TemporaryDirectory() as tmp:
            for f in (doc, gold, side):
                (Path(tmp) / f.name).symlink_to(f.resolve())
            check = subprocess.run([sys.executable, str(evaldir / "validate_gold.py"), tmp],
                                   capture_output=True, text=True)
            if check.returncode:
                sys.exit(f"cold_read: gold of {stem} does not validate:\n{check.stdout}")
        row = {"document": stem, "added": dt.date.today().isoformat(), "commit": commit,
               **score_one(doc, gold, a.taizhang, evaldir)}
        new.append(row)
        seen.add(stem)
        print("\t".join(str(row[c]) for c in COLUMNS))
    if new:
        fresh = not a.tsv.exists()
        with open(a.tsv, "a", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS, delimiter="\t", lineterminator="\n")
            if fresh:
                w.writeheader()
            w.writerows(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
