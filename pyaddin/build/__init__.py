"""Building the workbook and the templates from the schema (``qualitybook new`` and scripts/build_workbook.py)."""
