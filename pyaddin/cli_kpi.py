"""The kpi command (issue 4)."""
