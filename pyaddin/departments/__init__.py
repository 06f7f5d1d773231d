"""Workbooks that go out to departments and come back (DOMAIN.md §10): writing them, and reading returns safely."""
