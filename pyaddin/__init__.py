"""QualityBook: an Excel add-in for service-quality monitoring (see README.md)."""

__version__ = "0.1.0"

import os as _os

# Arrow's own allocator keeps freed memory for reuse; with a million-row table that retention
# is what decides whether a run stays under its memory target.  The system allocator gives
# memory back as it is freed.  Set before pyarrow is first imported; a user's setting wins.
_os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
