"""Corpus-scale work for researchers and journalists: batch extraction into a Parquet dataset,
a panel of targets and results, promise versus delivery, and amplification across levels.

Needs the `research` extra (pyarrow, dask[distributed], duckdb, pandas); `indicators` and the
pure functions of `panel` and `amplification` need only the standard library.
"""
