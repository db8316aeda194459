"""Extraction throughput and peak memory (characters per second, per core).

Three measurements, each in a child process so that its peak RSS is its own:

1. in memory: the documents of the corpus (../shared/corpus dev + test, or the bundled sample)
   repeated until they reach --memory-mb of UTF-8, each extracted as one document;
2. the floor: the same documents through the bare quantity regex (extraction / floor is printed);
3. streamed: one file of --stream-mb written to a temporary folder, read in 1M-character
   chunks (taizhang.read.iter_text_chunks) and extracted chunk by chunk
   (taizhang.extract.extract_stream), end to end from the bytes on disk. A smaller file is
   streamed first: equal peaks show that memory does not grow with the input.

Each line gives wall-clock and CPU time: on a machine shared with other work, CPU time (and
its rate) is the steadier figure.

Usage: python benchmarks/bench_extract.py [--memory-mb 20] [--stream-mb 100]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [ROOT.parent / "shared" / "corpus" / "dev", ROOT.parent / "shared" / "corpus" / "test"]


def corpus_texts() -> list[str]:
    paths = [p for d in CORPORA if d.is_dir() for p in sorted(d.glob("*.txt"))]
    if not paths:
        paths = sorted((ROOT / "examples").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


def repeated_corpus(megabytes: float) -> list[str]:
    """The corpus documents, repeated until they reach `megabytes` of UTF-8."""
    texts = corpus_texts()
    docs: list[str] = []
    size = 0
    while size < megabytes * 1e6:
        for t in texts:
            docs.append(t)
            size += len(t.encode("utf-8"))
    return docs


def in_memory(megabytes: float) -> dict[str, float]:
    from taizhang.extract import extract_targets

    docs = repeated_corpus(megabytes)
    chars = sum(map(len, docs))
    extract_targets(docs[0], date=date(2025, 1, 1))  # load lexicons outside the clock
    start, cpu = time.perf_counter(), time.process_time()
    found = sum(len(extract_targets(t, date=date(2025, 1, 1))) for t in docs)
    seconds = time.perf_counter() - start
    return {"chars": chars, "seconds": seconds, "cpu": time.process_time() - cpu, "targets": found}


def regex_pass(megabytes: float) -> dict[str, float]:
    """The floor: the same documents through the quantity regex alone (numbers, magnitudes,
    units, comparators), nothing read around them. Issue 7 asks extraction to stay within 6×."""
    from taizhang.extract.quantities import QUANTITY

    docs = repeated_corpus(megabytes)
    chars = sum(map(len, docs))
    start, cpu = time.perf_counter(), time.process_time()
    found = sum(1 for t in docs for _ in QUANTITY.finditer(t))
    seconds = time.perf_counter() - start
    return {"chars": chars, "seconds": seconds, "cpu": time.process_time() - cpu, "targets": found}


def streamed(path: str) -> dict[str, float]:
    from taizhang.extract import extract_stream
    from taizhang.read import iter_text_chunks

    chars = 0

    def chunks():
        nonlocal chars
        for chunk in iter_text_chunks(path, chunk_chars=1_000_000):
            chars += len(chunk.text)
            yield chunk.text

    start, cpu = time.perf_counter(), time.process_time()
    found = sum(1 for _ in extract_stream(chunks(), date=date(2025, 1, 1)))
    seconds = time.perf_counter() - start
    return {"chars": chars, "seconds": seconds, "cpu": time.process_time() - cpu, "targets": found}


def write_file(folder: Path, megabytes: float) -> Path:
    path = folder / f"corpus-{megabytes:g}MB.txt"
    block = "\n\n".join(corpus_texts()).encode("utf-8") + b"\n\n"
    with open(path, "wb") as f:
        written = 0
        while written < megabytes * 1e6:
            f.write(block)
            written += len(block)
    return path


def child(mode: str, arg: str) -> dict[str, float]:
    """Run one measurement in a fresh interpreter; add its peak RSS in MiB."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, arg], capture_output=True, text=True, check=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def report(label: str, r: dict[str, float]) -> str:
    rate = r["chars"] / r["seconds"]
    return (
        f"{label:34s} {r['chars'] / 1e6:8.1f} M chars  {r['seconds']:7.2f} s  "
        f"{rate / 1e6:5.2f} M chars/s  (CPU {r['cpu']:6.2f} s, {r['chars'] / r['cpu'] / 1e6:5.2f} M chars/s)  "
        f"peak RSS {r['peak_mib']:6.0f} MiB  targets {r['targets']:,.0f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--memory-mb", type=float, default=20)
    ap.add_argument("--stream-mb", type=float, default=100)
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        mode, arg = a.child
        r = in_memory(float(arg)) if mode == "memory" else regex_pass(float(arg)) if mode == "regex" else streamed(arg)
        r["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(r))
        return
    print(f"taizhang extract benchmark — python {sys.version.split()[0]}, one core")
    memory = child("memory", str(a.memory_mb))
    print(report(f"in memory, corpus to {a.memory_mb:g} MB", memory))
    bare = child("regex", str(a.memory_mb))
    print(report("bare quantity regex, same text", bare).replace("targets", "matches"))
    print(
        f"{'extraction / bare regex pass':34s} {memory['seconds'] / bare['seconds']:8.1f} ×  "
        f"(by CPU time {memory['cpu'] / bare['cpu']:.1f} ×)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        small = write_file(Path(tmp), a.stream_mb / 5)
        print(report(f"streamed file, {a.stream_mb / 5:g} MB", child("stream", str(small))))
        small.unlink()
        big = write_file(Path(tmp), a.stream_mb)
        print(report(f"streamed file, {a.stream_mb:g} MB", child("stream", str(big))))


if __name__ == "__main__":
    main()
