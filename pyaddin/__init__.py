"""QualityBook: an Excel add-in for service-quality monitoring (see README.md)."""

__version__ = "0.1.0"

import os as _os

# Arrow's own allocator keeps freed memory for reuse; with a million-row table that retention
# is what decides whether a run stays under its memory target.  The system allocator gives
# memory back as it is freed.  Set before pyarrow is first imported; a user's setting wins.
_os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")


def _return_large_blocks() -> None:
    """glibc raises its mmap threshold each time a large block is freed; from then on the big buffers of a
    million-row table come from the heap and are not given back, and the run's peak grows with each phase.
    A fixed threshold (1 MiB) keeps large blocks mapped and returned when freed.  A user's setting wins."""
    import sys

    if not sys.platform.startswith("linux") or "MALLOC_MMAP_THRESHOLD_" in _os.environ:
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(-3, 1 << 20)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):  # not glibc (musl…): its own policy stands
        pass


_return_large_blocks()
