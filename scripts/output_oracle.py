"""Extraction output oracle: did a change (a speed-up, a refactoring) keep every output the same?

    python scripts/output_oracle.py save out/oracle      # before the change
    python scripts/output_oracle.py check out/oracle     # after: exit 1 on any difference

Three outputs are recorded for every document of the corpora below (dated by its sidecar's
"date", as `taizhang extract --date`; a sidecar with a year alone, as `taizhang extract`):

- extract: the targets as `taizhang extract --format jsonl` writes them;
- analyse: every candidate with its decision (what `taizhang explain` prints), so that
  the rejected numbers are compared too;
- stream: all the documents written to one file and extracted chunk by chunk
  (`iter_text_chunks` + `extract_stream`, small chunks so that many chunk seams are crossed).

`check` compares byte for byte and prints the first lines that differ in each file.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [
    ROOT.parent / "shared" / "corpus" / "dev",
    ROOT.parent / "shared" / "corpus" / "test",
    ROOT / "corpus",
    ROOT.parent / "shared" / "corpus" / "provinces-2026",
]
STREAM_CHUNK = 20_000  # characters; chunks end at line breaks


def documents() -> Iterator[tuple[str, Path, date | None]]:
    for folder in CORPORA:
        for path in sorted(folder.glob("*.txt")):
            sidecar = path.with_suffix(".json")
            day = None
            if sidecar.is_file():
                given = json.loads(sidecar.read_text(encoding="utf-8")).get("date")
                # a year alone (2016) is left to the CLI's default: the document's own date
                day = date.fromisoformat(given) if given and len(given) == 10 else None
            yield f"{folder.name}/{path.name}", path, day


def extract_lines() -> Iterator[str]:
    from taizhang.cli.extract import _record, targets_of
    from taizhang.read import read_document

    for name, path, day in documents():
        for target in targets_of(read_document(path), day, None):
            record = _record(target, Path(name))
            yield json.dumps(record, ensure_ascii=False, sort_keys=True)


def analyse_lines() -> Iterator[str]:
    from taizhang.extract.pipeline import analyse
    from taizhang.read import read_document
    from taizhang.read.dates import resolve_document_date

    for name, path, day in documents():
        doc = read_document(path)
        when = resolve_document_date(given=day, meta=doc.meta, text=doc.text, source=doc.path).date
        for c in analyse(doc.text, date=when, meta=doc.meta):
            q, d = c.quantity, c.decision
            yield json.dumps(
                {
                    "document": name,
                    "span": [q.start, q.end],
                    "value": q.value,
                    "unit": q.unit,
                    "sentence": list(c.sentence),
                    "subject": c.subject,
                    "accepted": d.accepted,
                    "reason": d.reason,
                    "rules": list(d.rules),
                    "target": c.target.to_json() if c.target else None,
                },
                ensure_ascii=False,
                sort_keys=True,
                default=str,
            )


def stream_lines() -> Iterator[str]:
    from taizhang.extract import extract_stream
    from taizhang.read import iter_text_chunks

    texts = [path.read_text(encoding="utf-8") for _, path, _ in documents()]
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "all.txt"
        big.write_text("\n\n".join(texts) + "\n", encoding="utf-8")
        chunks = (c.text for c in iter_text_chunks(big, chunk_chars=STREAM_CHUNK))
        for target in extract_stream(chunks, date=date(2025, 1, 1)):
            yield json.dumps(target.to_json(), ensure_ascii=False, sort_keys=True)


OUTPUTS = {"extract.jsonl": extract_lines, "analyse.jsonl": analyse_lines, "stream.jsonl": stream_lines}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=["save", "check"])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--only", choices=sorted(OUTPUTS), action="append", help="record or check only these outputs")
    a = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    a.folder.mkdir(parents=True, exist_ok=True)
    different = 0
    for filename in a.only or OUTPUTS:
        text = "".join(line + "\n" for line in OUTPUTS[filename]())
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        path = a.folder / filename
        if a.action == "save":
            path.write_text(text, encoding="utf-8")
            print(f"{filename:14s} {text.count(chr(10)):7,d} lines  sha256 {digest}  saved")
            continue
        saved = path.read_text(encoding="utf-8")
        if saved == text:
            print(f"{filename:14s} {text.count(chr(10)):7,d} lines  sha256 {digest}  same")
            continue
        different += 1
        print(f"{filename:14s} DIFFERENT ({saved.count(chr(10)):,d} lines saved, {text.count(chr(10)):,d} now)")
        diff = difflib.unified_diff(saved.splitlines(), text.splitlines(), "saved", "now", n=0, lineterm="")
        for i, line in enumerate(diff):
            if i >= 20:
                print("  …")
                break
            print("  " + line[:400])
    if different:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
