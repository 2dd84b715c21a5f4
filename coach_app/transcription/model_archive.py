"""Safe unpacking of speech-model archives and folders: no path tricks, no zip bombs; progress and cancel."""

import shutil
import stat
import threading
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from coach_app.errors import Cancelled, ModelError

ProgressFn = Callable[[float, str], None]

CHUNK_BYTES = 1 << 20
MAX_UNPACKED_BYTES = 8 << 30  # the largest official Vosk models unpack to about 4 GB
MAX_COMPRESSION_RATIO = 100  # model files compress 1–5×; far beyond that is a zip bomb
SPACE_MARGIN_BYTES = 64 << 20
ABANDONED_AFTER_S = 12 * 3600  # staging folders this old belong to a crashed import
STAGING_PREFIX = ".staging-"  # hidden folders where models are unpacked before the final rename


def sweep_abandoned(root: Path) -> None:
    """Delete staging folders left behind by an import that crashed long ago (never a running one)."""
    for folder in root.glob(f"{STAGING_PREFIX}*"):
        if time.time() - folder.stat().st_mtime > ABANDONED_AFTER_S:
            shutil.rmtree(folder, ignore_errors=True)


def copy_tree(source: Path, dest: Path, report: ProgressFn, cancel: threading.Event | None) -> None:
    """Copy an unpacked model folder (regular files only) with byte-level progress."""
    files = [file for file in sorted(source.rglob("*")) if file.is_file()]
    links = [file for file in sorted(source.rglob("*")) if file.is_symlink()]
    if links:
        raise ModelError(f"{links[0]} is a symbolic link; copy the real model files into {source} and import again.")
    total = sum(file.stat().st_size for file in files)
    _require_space(dest.parent, total)
    copied = 0
    for file in files:
        target = dest / file.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        with file.open("rb") as reader, target.open("wb") as writer:
            copied = _pump(reader, writer, copied, total, f"Copying {source.name}", report, cancel)


def extract_model(archive_path: Path, dest: Path, report: ProgressFn, cancel: threading.Event | None) -> str:
    """Unpack the model inside a zip into `dest`; returns the zip's top folder name ("" if files are at the root)."""
    try:
        with zipfile.ZipFile(archive_path) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            for info in members:
                _refuse_unsafe(archive_path, info)
            prefix = _model_prefix(archive_path, members)
            chosen = [info for info in members if _parts(info)[: len(prefix)] == prefix]
            total = _checked_size(archive_path, chosen)
            _require_space(dest.parent, total)
            done = 0
            for info in chosen:
                target = dest.joinpath(*_parts(info)[len(prefix) :])
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as reader, target.open("wb") as writer:
                    done = _pump(reader, writer, done, total, f"Unpacking {archive_path.name}", report, cancel)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ModelError(
            f"{archive_path} is not a readable zip file or is damaged ({exc}); download the model again."
        ) from exc
    return prefix[0] if prefix else ""


def _parts(info: zipfile.ZipInfo) -> tuple[str, ...]:
    return PurePosixPath(info.filename.replace("\\", "/")).parts


def _refuse_unsafe(archive_path: Path, info: zipfile.ZipInfo) -> None:
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or (parts and parts[0].endswith(":")) or ".." in parts:
        problem = f"an unsafe path ({info.filename})"
    elif stat.S_ISLNK(info.external_attr >> 16):
        problem = f"a symbolic link ({info.filename})"
    elif info.flag_bits & 0x1:
        problem = f"an encrypted file ({info.filename})"
    else:
        return
    raise ModelError(
        f"{archive_path} contains {problem}, so it was not imported; download the model from the publisher again."
    )


def _model_prefix(archive_path: Path, members: list[zipfile.ZipInfo]) -> tuple[str, ...]:
    """The folder inside the zip holding `am/final.mdl`: the root or one top-level folder."""
    roots = {_parts(info)[:-2] for info in members if _parts(info)[-2:] == ("am", "final.mdl")}
    roots = {root for root in roots if len(root) <= 1 and "__MACOSX" not in root}
    if not roots:
        raise ModelError(
            f"{archive_path} does not contain a Vosk speech model (no am/final.mdl at its top level or in one "
            "top folder); download a model from https://alphacephei.com/vosk/models."
        )
    if len(roots) > 1:
        names = ", ".join(sorted("/".join(root) or "(top level)" for root in roots))
        raise ModelError(f"{archive_path} holds several models ({names}); unpack it and import one folder at a time.")
    return roots.pop()


def _checked_size(archive_path: Path, members: list[zipfile.ZipInfo]) -> int:
    total = sum(info.file_size for info in members)
    bomb = any(
        info.file_size > CHUNK_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        for info in members
    )
    if bomb or total > MAX_UNPACKED_BYTES:
        raise ModelError(
            f"{archive_path} would unpack to {total / 2**30:.1f} GB or compresses implausibly well, so it was "
            "refused as unsafe; download the model from the publisher again."
        )
    return total


def _require_space(folder: Path, needed_bytes: int) -> None:
    free = shutil.disk_usage(folder).free
    if free < needed_bytes + SPACE_MARGIN_BYTES:
        raise ModelError(
            f"Not enough disk space in {folder}: the model needs {needed_bytes / 2**20:.0f} MB and "
            f"{free / 2**20:.0f} MB are free; free some space and try again."
        )


def _pump(reader, writer, done: int, total: int, label: str, report: ProgressFn, cancel) -> int:
    """Copy one stream in chunks, reporting overall progress; returns the new running byte count."""
    while chunk := reader.read(CHUNK_BYTES):
        if cancel is not None and cancel.is_set():
            raise Cancelled(f"{label} was cancelled; nothing was installed.")
        writer.write(chunk)
        done += len(chunk)
        report(done / total if total else 1.0, f"{label}: {done / 2**20:.0f} of {total / 2**20:.0f} MB")
    return done
