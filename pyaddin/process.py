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


def left_by_dead_runs(where, prefix: str = "", suffix: str = "") -> list[str]:
    """The names in ``where`` of the form ``<prefix><process number>[-…]<suffix>`` whose process is gone: what
    killed runs left.  None on Windows (no process there is asked after)."""
    if os.name != "posix":
        return []
    try:
        names = os.listdir(where)
    except OSError:
        return []
    dead = []
    for name in names:
        if not (name.startswith(prefix) and name.endswith(suffix)) or len(name) <= len(prefix) + len(suffix):
            continue
        pid = name[len(prefix):len(name) - len(suffix)].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not alive(int(pid)):
            dead.append(name)
    return dead
