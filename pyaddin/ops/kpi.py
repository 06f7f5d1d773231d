"""KPI action (issue 4)."""
