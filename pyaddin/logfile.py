"""The log file: the technical details of a failure, where a person's message points (``%TEMP%/qualitybook.log``).

Its own small module, so that any layer (the collection of department returns, the CLI, the ribbon)
can log without importing the Excel entry point.
"""
from __future__ import annotations

import logging
import tempfile
import traceback
from pathlib import Path

LOG_FILE = Path(tempfile.gettempdir()) / "qualitybook.log"


def log() -> logging.Logger:
    logger = logging.getLogger("qualitybook")
    if not logger.handlers:
        h = logging.FileHandler(LOG_FILE, encoding="utf-8")
        h.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(h)
        logger.setLevel(logging.INFO)
    return logger


def log_failure(name: str, exc: BaseException) -> None:
    log().error("%s failed\n%s", name, "".join(traceback.format_exception(exc)))
