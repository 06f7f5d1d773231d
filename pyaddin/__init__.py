"""QualityBook: an Excel add-in for service-quality monitoring (see README.md)."""

__version__ = "0.1.0"
