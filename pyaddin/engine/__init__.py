"""The analyses as SQL, written once (``metrics``), run by DuckDB embedded (``duck``) on the workbook's own tables
or on an outside source (Parquet, a DuckDB file), so that a department's workbook and the group's dashboard compute
every figure with the same definition."""
