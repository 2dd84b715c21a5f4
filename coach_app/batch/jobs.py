"""One file's work in a worker process (local or on a Dask worker): transcribe and score it, never save it.

Every outcome is plain picklable data; a file that cannot be scored becomes a `Failed` with the reason, so one bad
file never stops the batch.
"""

import logging
import os
import signal
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from coach_app.core import Scorecard, Transcript
from coach_app.errors import CoachError
from coach_app.scoring.rubric import Rubric
from coach_app.session import score_file
from coach_app.settings import Settings

log = logging.getLogger(__name__)

# Set by `start_worker`: the batch's cancel flag, shared with the parent process.
_cancel: "threading.Event | None" = None


@dataclass(frozen=True)
class Scored:
    item_id: int
    transcript: Transcript
    scorecard: Scorecard
    cpu_s: float


@dataclass(frozen=True)
class Failed:
    item_id: int
    reason: str


Outcome = Scored | Failed


def start_worker(model: str | None, cancel) -> None:
    """Process-pool initializer: load the speech model once for this process; Ctrl-C is the parent's to handle."""
    global _cancel
    _cancel = cancel
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if model is not None:
        from coach_app.transcription.engine import load_model

        load_model(model)


def score_path(item_id: int, path: str, settings: Settings, rubric: Rubric) -> Outcome:
    """Transcribe (if audio) and score the file at `path`."""
    cancel = _cancel if _cancel is not None else threading.Event()
    started = time.process_time()
    try:
        transcript, scorecard = score_file(Path(path), settings, rubric, on_progress=_ignore, cancel=cancel)
    except CoachError as exc:
        return Failed(item_id, str(exc))
    except Exception as exc:  # a bug must not end the batch: the file is reported failed and the batch goes on
        log.exception("Scoring %s failed", path)
        return Failed(item_id, f"could not be scored ({type(exc).__name__}: {exc}); see the log")
    return Scored(item_id, transcript, scorecard, time.process_time() - started)


def score_bytes(item_id: int, name: str, data: bytes, settings: Settings, rubric: Rubric) -> Outcome:
    """`score_path` for a file sent as bytes (to a machine that cannot see the original); its reasons and notes
    name the file as `name` (the path the user knows), as a local run's do."""
    suffix = Path(name).suffix.lower()
    fd, temporary = tempfile.mkstemp(prefix="coach-batch-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        outcome = score_path(item_id, temporary, settings, rubric)
    finally:
        os.unlink(temporary)
    if isinstance(outcome, Failed):
        return Failed(item_id, _named(outcome.reason, temporary, name))
    notes = tuple(_named(note, temporary, name) for note in outcome.transcript.notes)
    return replace(outcome, transcript=replace(outcome.transcript, notes=notes))


def _named(text: str, temporary: str, name: str) -> str:
    """A reason or note about the temporary copy, naming the file the user knows instead."""
    return text.replace(temporary, name).replace(Path(temporary).name, name)


def _ignore(fraction: float, message: str) -> None:
    """Progress inside one file is not shown: the batch reports whole files."""
