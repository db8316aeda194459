"""Gazetteer load time, size of its name pattern, and the speed of finding names.

Each measurement runs in a fresh child process (the gazetteer is cached per process), so the
load time is what the first `extract` of a CLI run pays. `--compare DIR` runs the same child
against another source tree (e.g. `git worktree add /tmp/old extract` → `/tmp/old/src`) in the
same run, taking turns, so that before and after are measured under the same load.

Reported per tree: median load time over --runs children, number of names in the pattern,
length of the pattern source, and the time of `mentions()` over the dev + test corpus.

Usage: python benchmarks/bench_gazetteer.py [--runs 7] [--compare OTHER_SRC]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [ROOT.parent / "shared" / "corpus" / "dev", ROOT.parent / "shared" / "corpus" / "test"]

CHILD = """
import json, sys, time
from pathlib import Path
from taizhang.extract.gazetteer import gazetteer
start = time.perf_counter()
g = gazetteer()
load = time.perf_counter() - start
texts = [Path(p).read_text(encoding="utf-8") for p in sys.argv[1:]] or ["江阴市"]
start = time.perf_counter()
found = sum(len(g.mentions(t)) for t in texts)
scan = time.perf_counter() - start
# the names the pattern finds on their own (its source is no flat list of names any more)
names = sum(1 for n in g.by_name if g.pattern.fullmatch(n))
print(json.dumps({"load": load, "names": names,
                  "pattern_chars": len(g.pattern.pattern), "scan": scan,
                  "chars": sum(map(len, texts)), "mentions": found}))
"""


def child(src: Path, files: list[str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, *files],
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=True,
    )
    return dict(json.loads(out.stdout))


def summary(results: list[dict[str, float]]) -> dict[str, float]:
    first = results[0]
    return {
        "load_ms": 1000 * statistics.median(r["load"] for r in results),
        "names": first["names"],
        "pattern_chars": first["pattern_chars"],
        "scan_chars_per_s": first["chars"] / statistics.median(r["scan"] for r in results),
        "mentions": first["mentions"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--compare", type=Path, help="another source tree (its src/ folder)")
    args, _ = parser.parse_known_args()
    files = [str(p) for d in CORPORA if d.is_dir() for p in sorted(d.glob("*.txt"))]
    trees = {"this tree": ROOT / "src"}
    if args.compare:
        trees["compared"] = args.compare
    print(f"gazetteer: {args.runs} fresh processes each, corpus {len(files)} files")
    print(f"{'tree':<10} {'load ms':>8} {'names':>7} {'pattern chars':>14} {'scan chars/s':>13} {'mentions':>9}")
    results: dict[str, list[dict[str, float]]] = {label: [] for label in trees}
    for _ in range(args.runs):  # the trees take turns, so that a busy moment hits both
        for label, src in trees.items():
            results[label].append(child(src, files))
    for label, runs in results.items():
        m = summary(runs)
        print(f"{label:<10} {m['load_ms']:8.1f} {m['names']:7d} {m['pattern_chars']:14d} "
              f"{m['scan_chars_per_s'] / 1e6:12.2f}M {m['mentions']:9d}")


if __name__ == "__main__":
    main()
