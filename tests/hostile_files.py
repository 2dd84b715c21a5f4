"""Hostile things on disk for the hardening tests: FIFOs, device nodes, links, deep nesting, unwritable folders."""

import contextlib
import os
import re
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

HANG_S = 10  # an input that blocks this long is a hang


def fifo(path: Path) -> Path:
    """A named pipe nobody writes to: opening it for reading blocks forever unless the reader guards against it."""
    os.mkfifo(path)
    return path


def device(path: Path) -> Path:
    """A character device node (a copy of /dev/null) when allowed, else a link to /dev/null; never a real device."""
    try:
        os.mknod(path, 0o666 | 0o020000, os.makedev(1, 3))
    except PermissionError:
        path.symlink_to("/dev/null")
    return path


def deep_json(levels: int = 100_000) -> str:
    return '{"turns": ' + "[" * levels + "]" * levels + "}"


def deep_toml(levels: int = 5_000) -> str:
    return "version = " + "[" * levels + "]" * levels + "\n"


@contextlib.contextmanager
def unwritable(folder: Path) -> Iterator[Path]:
    """Make `folder` refuse changes to its entries, even for root (chattr +i), and undo it afterwards."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
        try:
            yield folder
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        mode = folder.stat().st_mode
        folder.chmod(0o500)
        try:
            yield folder
        finally:
            folder.chmod(mode)


class Hung(Exception):
    """The code under test blocked for HANG_S seconds."""


@contextlib.contextmanager
def no_hang(seconds: int = HANG_S) -> Iterator[None]:
    """Raise Hung if the body blocks longer than `seconds` (SIGALRM interrupts a blocking open or read)."""

    def ring(signum, frame):
        raise Hung(f"blocked for {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def with_first_weight(rubric_text: str, literal: str) -> str:
    """The rubric with its first dimension's weight replaced by `literal` (whatever the calibrated value is)."""
    changed, count = re.subn(r"^weight = [0-9.]+$", f"weight = {literal}", rubric_text, count=1, flags=re.MULTILINE)
    assert count == 1, "the rubric has no dimension weight to replace"
    return changed
