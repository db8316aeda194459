"""taizhang batch: the dataset, resumability, failures, and the same output on a Dask cluster."""

from __future__ import annotations

from pathlib import Path

import pytest

from taizhang.research.batch import expand_inputs, process_file, run_batch
from taizhang.research.dataset import TABLES, read_table, remove_orphans, sorted_rows


def test_local_run_writes_the_three_tables_with_provenance(small_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = run_batch([str(small_corpus)], out, workers=2)
    assert (summary.inputs, summary.processed, summary.failures) == (4, 3, [])
    assert summary.read_errors == [f"{small_corpus / 'empty.txt'}: empty document (0 bytes)"]
    docs = {d["path"]: d for d in read_table(out, "documents").to_pylist()}
    hebei = docs[str(small_corpus / "p26_hebei.txt")]
    assert (hebei["status"], hebei["region"], hebei["year"], str(hebei["date"])) == ("ok", "河北省", 2026, "2026-02-02")
    assert docs[str(small_corpus / "empty.txt")]["status"] == "read_error"
    text = (small_corpus / "p26_hebei.txt").read_text(encoding="utf-8")
    targets = [t for t in read_table(out, "targets").to_pylist() if t["document_id"] == hebei["sha256"]]
    gdp = [t for t in targets if t["indicator_key"] == "gdp_growth" and t["deadline"].year == 2026]
    assert [(t["value"], t["comparator"]) for t in gdp] == [(5.0, "ge")]
    results = [r for r in read_table(out, "results").to_pylist() if r["document_id"] == hebei["sha256"]]
    assert any(r["indicator_key"] == "gdp_growth" and r["value"] == 5.6 and r["period_end"].year == 2025 for r in results)
    for row in targets + results:  # every span points into the text the reader returned
        assert text[row["value_start"] : row["value_end"]] == row["value_text"]
        assert row["quote"] in text and row["path"] == str(small_corpus / "p26_hebei.txt")
    assert (out / "targets" / "year=2026").is_dir()


def test_a_second_run_skips_what_is_done_and_adds_new_documents(small_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([str(small_corpus)], out, workers=1)
    before = read_table(out, "targets").num_rows
    again = run_batch([str(small_corpus)], out, workers=1)
    assert (again.skipped, again.processed) == (4, 0)  # the empty file too: its bytes are known bad
    assert read_table(out, "targets").num_rows == before
    copy = small_corpus / "copy-of-hebei.txt"  # same bytes under another name: skipped by hash
    copy.write_bytes((small_corpus / "p26_hebei.txt").read_bytes())
    assert run_batch([str(copy)], out, workers=1).skipped == 1


def test_an_interrupted_flush_is_removed_and_redone(small_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([str(small_corpus)], out, workers=1)
    rows = read_table(out, "targets").num_rows
    for doc_file in (out / "documents").rglob("*.parquet"):
        doc_file.unlink()  # as if killed after writing targets and results, before documents
    assert remove_orphans(out) > 0
    run_batch([str(small_corpus)], out, workers=1)
    assert read_table(out, "targets").num_rows == rows


def test_a_failing_document_is_recorded_and_the_run_goes_on(small_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import taizhang.extract.results as results

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(results, "extract_findings", broken)
    row = process_file(str(small_corpus / "p26_hebei.txt"), "abc")
    assert row["document"]["status"] == "failed" and "extractor bug" in row["document"]["error"]
    assert row["targets"] == row["results"] == []


def test_globs_and_lists_of_paths(small_corpus: Path) -> None:
    found = [p for p, _ in expand_inputs([str(small_corpus / "**" / "p26_*.txt")])]
    assert sorted(Path(p).name for p in found) == ["p26_beijing.txt", "p26_hebei.txt", "p26_xizang.txt"]
    missing = list(expand_inputs([str(small_corpus / "nothing-*.txt")]))
    assert missing[0][1] is not None and "no file matches" in str(missing[0][1])


@pytest.mark.slow
def test_a_dask_local_cluster_gives_identical_parquet_content(small_corpus: Path, tmp_path: Path) -> None:
    from distributed import LocalCluster

    local = tmp_path / "local"
    run_batch([str(small_corpus)], local, workers=2)
    dask_out = tmp_path / "dask"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = run_batch([str(small_corpus)], dask_out, scheduler=cluster.scheduler_address)
    assert summary.processed == 3
    for table in TABLES:
        a, b = read_table(local, table), read_table(dask_out, table)
        assert a.schema == b.schema
        assert sorted_rows(a) == sorted_rows(b), table
    assert read_table(dask_out, "targets").num_rows > 100


def test_an_unreachable_scheduler_is_a_clear_error(small_corpus: Path, tmp_path: Path) -> None:
    from taizhang.errors import TaizhangError

    with pytest.raises(TaizhangError, match="cannot reach the Dask scheduler"):
        run_batch([str(small_corpus)], tmp_path / "o", scheduler="tcp://127.0.0.1:9")

