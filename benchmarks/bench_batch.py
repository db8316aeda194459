"""Throughput of `taizhang batch`: documents/s and characters/s, local processes and Dask.

Builds a corpus of --copies copies of the 31 provincial reports of 2026 (../shared/corpus/
provinces-2026, sidecars included; a numbered first line makes every copy new bytes, so no
document is skipped as already done), then, side by side in one run:

1. the phases in one process, per document: hashing the file, reading it (taizhang.read),
   extracting targets and results (extract_findings), and writing the rows (one flush per
   100 documents) -- what a run of a million documents would spend its time on;
2. `run_batch` on 1 local process, on 2 local processes (the default on this 2-core machine),
   and on a `dask.distributed.LocalCluster` of 2 worker processes with 1 thread each.

Usage: python benchmarks/bench_batch.py [--copies 10]
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROVINCES = ROOT.parent / "shared" / "corpus" / "provinces-2026"


def make_corpus(folder: Path, copies: int) -> tuple[int, int]:
    n = chars = 0
    for copy in range(copies):
        sub = folder / f"c{copy:03d}"
        sub.mkdir(parents=True)
        for txt in sorted(PROVINCES.glob("*.txt")):
            text = f"（第{copy}份）\n" + txt.read_text(encoding="utf-8")
            (sub / txt.name).write_text(text, encoding="utf-8")
            shutil.copy(txt.with_suffix(".json"), sub / txt.with_suffix(".json").name)
            n += 1
            chars += len(text)
    return n, chars


def phases(folder: Path) -> dict[str, float]:
    from taizhang.extract.results import extract_findings, meta_date
    from taizhang.read import read_document
    from taizhang.research import dataset
    from taizhang.research.batch import _group, _result_row, _target_row

    paths = sorted(str(p) for p in folder.rglob("*.txt"))
    t = {"hash": 0.0, "read": 0.0, "extract": 0.0, "to Arrow": 0.0, "write": 0.0}
    rows: dict[str, list[dict]] = {"targets": [], "results": [], "documents": []}
    out = Path(tempfile.mkdtemp())
    for i, path in enumerate(paths):
        t0 = time.perf_counter()
        sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        t1 = time.perf_counter()
        doc = read_document(path)
        t2 = time.perf_counter()
        when = meta_date(doc.meta)
        found = extract_findings(doc.text, date=when, meta=doc.meta)
        t3 = time.perf_counter()
        base = {"document_id": sha, "path": path, "year": when.year if when else None}
        rows["targets"] += [base | {"seq": k} | _target_row(x) for k, x in enumerate(found.targets)]
        rows["results"] += [base | {"seq": k} | _result_row(x) for k, x in enumerate(found.results)]
        rows["documents"].append({"document_id": sha, "path": path, "sha256": sha, "status": "ok", "year": base["year"]})
        t4 = t5 = time.perf_counter()
        if len(rows["documents"]) == 100 or i == len(paths) - 1:
            group = _group(rows["documents"], rows["targets"], rows["results"])  # on a worker
            t4 = time.perf_counter()
            for table in ("targets", "results"):  # on the driver
                dataset.write_table(out, table, group[table], f"part-bench-{i:06d}")
            dataset.write_part(out, "documents", rows["documents"], f"part-bench-{i:06d}")
            rows = {"targets": [], "results": [], "documents": []}
            t5 = time.perf_counter()
        t["hash"] += t1 - t0
        t["read"] += t2 - t1
        t["extract"] += t3 - t2
        t["to Arrow"] += t4 - t3
        t["write"] += t5 - t4
    shutil.rmtree(out)
    return t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=10)
    args = parser.parse_args()
    if not PROVINCES.is_dir():
        raise SystemExit(f"needs the corpus at {PROVINCES}")
    from distributed import LocalCluster

    from taizhang.research.batch import run_batch

    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        docs, chars = make_corpus(work / "docs", args.copies)
        print(f"corpus: {docs} documents, {chars:,} characters ({chars / docs:,.0f} per document)")
        t = phases(work / "docs")
        total = sum(t.values())
        print("phases in one process (s, share):", ", ".join(f"{k} {v:.2f} ({v / total:.0%})" for k, v in t.items()))
        print(f"driver's share per document (hash + write): {(t['hash'] + t['write']) / docs * 1000:.2f} ms")
        for label, kwargs in (("local, 1 process", {"workers": 1}), ("local, 2 processes", {"workers": 2}), ("Dask LocalCluster, 2 workers", None)):
            out = work / f"out-{label.split(',')[0]}-{label[-11:].strip()}".replace(" ", "")
            if kwargs is None:
                with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
                    start = time.perf_counter()
                    s = run_batch([str(work / "docs")], out, scheduler=cluster.scheduler_address)
                    wall = time.perf_counter() - start
            else:
                start = time.perf_counter()
                s = run_batch([str(work / "docs")], out, **kwargs)
                wall = time.perf_counter() - start
            print(f"{label}: {s.processed} documents in {wall:.1f} s = {s.processed / wall:.1f} documents/s, {s.chars / wall / 1e6:.2f} M chars/s ({s.targets} targets, {s.results} results)")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
