"""Recordings interrupted by a crash, power cut or kill: found at start, repaired, and offered back; never deleted."""

import logging
from dataclasses import dataclass
from pathlib import Path

from coach_app import paths
from coach_app.audio.capture import PARTIAL_SUFFIX
from coach_app.audio.wavfile import is_being_written, recover_partial
from coach_app.errors import AudioError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PartialRecording:
    """An interrupted recording whose header has been repaired, ready to be kept as a normal recording."""

    path: Path
    duration_s: float
    size_bytes: int

    @property
    def recovered_path(self) -> Path:
        return self.path.with_name(self.path.name.removesuffix(PARTIAL_SUFFIX) + ".wav")


def find_partial_recordings(folder: Path | None = None) -> list[PartialRecording]:
    """Repair the header of every `*.partial.wav` in `folder` (the recordings folder by default), oldest first.

    Files still being recorded (by this or another process) are left alone; files too damaged to repair are
    skipped and stay on disk untouched.
    """
    folder = Path(folder) if folder is not None else paths.recordings_dir()
    found = []
    for path in sorted(folder.glob(f"*{PARTIAL_SUFFIX}"), key=lambda p: p.stat().st_mtime):
        if is_being_written(path):
            continue
        try:
            repair = recover_partial(path)
        except AudioError as exc:
            log.warning("left an unrepairable partial recording in place: %s", exc)
            continue
        found.append(PartialRecording(path, repair.duration_s, path.stat().st_size))
    return found


def recover(partial: PartialRecording) -> Path:
    """Keep a repaired partial recording as a normal one (`name.wav`, or `name-recovered.wav` if that is taken)."""
    target = partial.recovered_path
    number = 1
    while target.exists():
        suffix = "-recovered" if number == 1 else f"-recovered-{number}"
        target = partial.recovered_path.with_name(partial.recovered_path.stem + suffix + ".wav")
        number += 1
    try:
        partial.path.rename(target)
    except OSError as exc:
        raise AudioError(
            f"Cannot keep the recovered recording {partial.path} as {target} ({exc.strerror}): check the folder is "
            "writable and the file is not open in another program."
        ) from exc
    return target
