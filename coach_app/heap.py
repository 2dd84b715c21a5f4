"""Giving freed heap memory back to the system after a large, short-lived load (the encoders' weight files)."""

import ctypes
import sys


def release_freed_memory() -> None:
    """Return the C heap's free pages to the system (glibc's `malloc_trim`); elsewhere there is nothing to do.

    glibc keeps freed blocks for reuse once a large free has raised its mmap threshold, so the float16 arrays read to
    build the encoders' graphs would otherwise stay in the process's memory (about 35 MB) for good."""
    if not sys.platform.startswith("linux"):
        return
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)
