"""Whether a process still runs: what a run asks before removing what a killed run left behind (its engine folder,
its own names for the columnar copies).  Standard library only."""
from __future__ import annotations

import os


def alive(pid: int) -> bool:
    """POSIX only: signal 0 asks whether the process exists and sends nothing (on Windows ``os.kill`` would end it;
    callers sweep nothing there)."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: it exists
        return True
    return True
