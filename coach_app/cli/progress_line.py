"""The one progress display of the CLI: a single line on stderr, redrawn once per percent or new step."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

ProgressFn = Callable[[float, str], None]


@contextmanager
def progress_line(label: str) -> Iterator[ProgressFn]:
    """Yield an `on_progress(fraction, message)` that draws `label: NN% (message)`; ends the line on exit."""
    shown: list[tuple[int, str]] = []

    def report(fraction: float, message: str) -> None:
        state = (int(fraction * 100), message.split(":")[0])
        if not shown or shown[-1] != state:
            shown.append(state)
            sys.stderr.write(f"\r{label}: {state[0]:3d}% ({message[:80]})".ljust(110))
            sys.stderr.flush()

    try:
        yield report
    finally:
        if shown:
            sys.stderr.write("\n")
