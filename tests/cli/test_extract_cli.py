"""`taizhang extract`, `explain`: what a user sees, including on bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from taizhang.cli import cli
from taizhang.cli.extract import STREAM_BYTES

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "wuxi-district-leaders-2024.txt"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_table_is_the_default() -> None:
    code, out, _ = run("extract", str(SAMPLE))
    assert code == 0
    assert "江阴" in out and "1200" in out and "责任单位" in out


def test_jsonl_records_point_into_the_text() -> None:
    code, out, _ = run("extract", "--format", "jsonl", str(SAMPLE))
    assert code == 0
    text = SAMPLE.read_text(encoding="utf-8")
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) >= 14
    for r in records:
        s, e = r["value_span"]
        assert text[s:e] == r["value_text"]
        qs, qe = r["quote_span"]
        assert text[qs:qe] == r["quote"]
        assert r["document"] == str(SAMPLE)
    first = records[0]
    assert (first["subject"], first["value"], first["unit"], first["comparator"], first["deadline"]) == (
        "江阴", 1200, "家", "gt", "2024-12-31",
    )


def test_sidecar_date_is_used_without_date_option(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("将确保全年落地各类产业项目超300个。", encoding="utf-8")
    (tmp_path / "doc.json").write_text('{"date": "2023-05-01", "issuer": "无锡市人民政府"}', encoding="utf-8")
    code, out, _ = run("extract", "--format", "jsonl", str(doc))
    record = json.loads(out)
    assert code == 0 and record["deadline"] == "2023-12-31" and record["subject"] == "无锡"


def test_csv_has_a_header_and_one_row_per_target() -> None:
    code, out, _ = run("extract", "--format", "csv", str(SAMPLE))
    lines = out.strip().splitlines()
    assert code == 0 and lines[0].startswith("document,subject,indicator,value")
    assert len(lines) >= 15


def test_bad_files_are_reported_and_the_others_processed(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="gb18030")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "truncated.txt").write_bytes("全年有效高企突破1200家".encode("gbk")[:-1])
    (tmp_path / "zero.pdf").write_bytes(b"")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    (folder / "ok.txt").write_text("经开区将确保全年落地各类产业项目超300个。", encoding="utf-8")
    names = ["empty.txt", "binary.txt", "good.txt", "truncated.txt", "zero.pdf", "folder"]
    code, out, err = run("extract", "--format", "jsonl", "--date", "2024-06-28", *[str(tmp_path / n) for n in names])
    assert code == 1
    docs = {json.loads(line)["document"] for line in out.splitlines()}
    assert docs == {str(good), str(folder / "ok.txt")}
    for bad in ("empty.txt", "binary.txt", "truncated.txt", "zero.pdf", "dangling.txt"):
        assert bad in err, err


def test_unknown_option_value_is_explained() -> None:
    code, _, err = run("extract", "--date", "28/06/2024", str(SAMPLE))
    assert code == 2 and "2024-06-28" in err


@pytest.mark.slow
def test_a_100_mb_file_streams_in_flat_memory(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    block = (SAMPLE.read_text(encoding="utf-8") + "\n").encode("utf-8")
    with open(big, "wb") as f:
        for _ in range(100 * 2**20 // len(block) + 1):
            f.write(block)
    assert big.stat().st_size > max(100 * 2**20, STREAM_BYTES)
    # a process of its own writing to a file: its peak memory is the extractor's, not a
    # test runner's buffer of the output. It is started by a small Python that reports its
    # children's peak: a child forked straight from the test runner counts the runner's own
    # memory as its peak (Linux keeps the high-water mark across fork and exec), and a runner
    # that has imported every test module is past 250 MB by itself.
    out = tmp_path / "out.jsonl"
    starter = ("import resource, subprocess, sys\n"
               "code = subprocess.run(sys.argv[1:]).returncode\n"
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
               "sys.exit(code)\n")
    with open(out, "wb") as sink:
        done = subprocess.run(
            [sys.executable, "-c", starter, sys.executable, "-m", "taizhang", "extract",
             "--format", "jsonl", "--date", "2024-06-28", str(big)],
            stdout=sink, stderr=subprocess.PIPE, check=False,
        )
    assert done.returncode == 0, done.stderr
    peak_mib = int(done.stderr.split()[-1]) / 1024
    with open(out, "rb") as f:
        assert sum(1 for _ in f) > 5000 * 13
    assert peak_mib < 250  # the text is read in chunks


def test_a_large_text_is_written_while_it_is_extracted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each target is on stdout before the next is extracted: nothing collects them."""
    import taizhang.cli.extract as extract_cli

    big = tmp_path / "big.txt"
    big.write_text((SAMPLE.read_text(encoding="utf-8") + "\n") * 30, encoding="utf-8")
    monkeypatch.setattr(extract_cli, "STREAM_BYTES", 64 * 2**10)  # stream it like 200 MB
    assert big.stat().st_size > extract_cli.STREAM_BYTES
    produced: list[int] = []
    streamed = extract_cli.extract_stream

    def counting(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        for n, target in enumerate(streamed(*args, **kwargs), 1):  # type: ignore[arg-type]
            produced.append(n)
            yield target

    lag: list[int] = []

    class Spy(io.StringIO):
        def write(self, text: str) -> int:
            lag.append(len(produced) - self.getvalue().count("\n"))
            return super().write(text)

    monkeypatch.setattr(extract_cli, "extract_stream", counting)
    out = Spy()
    monkeypatch.setattr(sys, "stdout", out)
    with pytest.raises(SystemExit) as done:
        extract_cli.extract.main(["--format", "jsonl", "--date", "2024-06-28", str(big)])
    assert done.value.code == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == len(produced) >= 30 * 14
    assert set(lag) == {1}  # line n written right after target n was extracted, before n + 1


def test_a_table_is_refused_above_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import taizhang.cli.output as output

    monkeypatch.setattr(output, "TABLE_MAX_ROWS", 5)
    code, out, err = run("extract", str(SAMPLE))
    assert code == 1 and "--format csv (or jsonl)" in err and "江阴" not in out


def test_explain_shows_rules_and_decisions() -> None:
    code, out, _ = run("explain", "全年新招引超50亿元重大项目3个", "--section", "plan", "--date", "2024-06-28")
    assert code == 0
    assert "reject:threshold" in out and "TARGET" in out and "<increment verb><number>" in out


def test_help_teaches_with_examples() -> None:
    for command in ("extract", "explain", "eval"):
        code, out, _ = run(command, "--help")
        assert code == 0 and "Example" in out
