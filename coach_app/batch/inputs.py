"""The files a batch takes: folders searched recursively, each file checked, checksummed and given its rep."""

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from coach_app.audio.convert import probe
from coach_app.errors import CoachError
from coach_app.files import sha256_file
from coach_app.session import AUDIO_SUFFIXES, TRANSCRIPT_SUFFIXES
from coach_app.storage.batches import PlannedFile

SUFFIXES = AUDIO_SUFFIXES + TRANSCRIPT_SUFFIXES
MIN_AUDIO_S = 2.0  # shorter than this holds no conversation to score


def find_files(paths: Iterable[Path]) -> list[Path]:
    """The files named and those inside the folders named (any depth, hidden ones left out), in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(_walk(path)))
        elif path.exists():
            found.append(path)
        else:
            raise CoachError(f"{path} does not exist: check the path of the recording or folder to import.")
    unique = list(dict.fromkeys(p.resolve() for p in found))
    if not unique:
        raise CoachError(
            f"No files were found in {', '.join(str(p) for p in paths)}: give recordings (WAV, FLAC, OGG, MP3), "
            "transcripts (.json) or folders holding them."
        )
    return unique


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder, onerror=None):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith("."):
                yield Path(root) / name


def rep_for_path(path: Path, rep: str | None, rep_from: re.Pattern | None, default: str) -> str | None:
    """The rep a file belongs to: given, read from its path by `rep_from` (first group or whole match), or default."""
    if rep_from is None:
        return rep or default
    found = rep_from.search(str(path))
    if found is None:
        return None
    name = found.group(1) if found.groups() else found.group(0)
    return name.strip() or None


def rep_pattern(text: str | None) -> re.Pattern | None:
    if text is None:
        return None
    try:
        return re.compile(text)
    except re.error as exc:
        raise CoachError(f"--rep-from {text!r} is not a valid regular expression ({exc}); fix the pattern.") from None


def inspect(path: Path, rep: str | None) -> PlannedFile:
    """Check one file before it is queued; a file that cannot be imported carries the reason, the batch goes on."""
    name = str(path)
    if rep is None:
        return PlannedFile(name, "", None, "no rep name found in its path by --rep-from; rename it or give --rep")
    if path.suffix.lower() not in SUFFIXES:
        return PlannedFile(name, rep, None, "not a recording (WAV, FLAC, OGG, MP3) or transcript (.json)")
    try:
        size = path.stat().st_size
        checksum = sha256_file(path)
    except OSError as exc:
        return PlannedFile(name, rep, None, f"cannot be read ({exc.strerror}); check its permissions")
    if size == 0:
        return PlannedFile(name, rep, checksum, "is empty (0 bytes); export or copy it again")
    if path.suffix.lower() in AUDIO_SUFFIXES:
        try:
            duration_s = probe(path).duration_s
        except CoachError as exc:
            return PlannedFile(name, rep, checksum, _reason(str(exc), path))
        if duration_s < MIN_AUDIO_S:
            return PlannedFile(
                name,
                rep,
                checksum,
                f"too short ({duration_s:.1f} s) to hold a conversation (at least {MIN_AUDIO_S:g} s)",
            )
    return PlannedFile(name, rep, checksum)


def _reason(message: str, path: Path) -> str:
    """An error message without the path, which the batch shows next to it anyway."""
    return message.replace(f"Audio file {path} ", "").replace(f"{path} ", "")
