"""The Parquet lake: every warehouse table as plain Hive-partitioned Parquet with a manifest, the exchange
format DuckDB and Spark both read in place (`layout` says how it is cut, `export` writes it from a
warehouse, `reader` opens it with DuckDB, `spark` opens and writes it with Spark)."""
