"""Corpus-scale work for researchers and journalists: batch extraction into a Parquet dataset,
a panel of targets and results, promise versus delivery, and amplification across levels.

Needs the `research` extra (pyarrow, dask[distributed], duckdb, pandas); the pure functions of
`panel` and `amplification` need only the standard library. The standard indicator table is
`taizhang.extract.indicators` (the ledger uses it too).
"""
