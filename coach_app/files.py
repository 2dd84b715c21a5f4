"""The user's files, read and written safely.

Inputs must be regular files (after following links), opened without blocking on a FIFO and read with a size cap.
Outputs go to a private temporary file beside the target, renamed over it only when the target is absent or a
regular file, so a device, FIFO, folder or link is never replaced and a failed write leaves nothing behind.
"""

import contextlib
import errno
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from coach_app.errors import CoachError, FileError

MAX_AUDIO_BYTES = 2 * 1024**3  # about 18 hours of 16 kHz stereo WAV: the cap for every recording read
DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _size(n: int) -> str:
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{n / 1024:.0f} kB" if n >= 1024 else f"{n} bytes"


def check_input(
    path: str | os.PathLike, what: str, max_bytes: int, error: type[CoachError] = FileError
) -> os.stat_result:
    """Refuse (with `error`) anything but an existing regular file of at most `max_bytes`, links followed.

    For libraries that open files by name (zip archives); readers of their own use `open_input`.
    """
    with open_input(path, what, max_bytes, error) as stream:
        return os.fstat(stream.fileno())


@contextlib.contextmanager
def open_input(
    path: str | os.PathLike, what: str, max_bytes: int, error: type[CoachError] = FileError
) -> Iterator[BinaryIO]:
    """Open a regular file for reading (a FIFO never blocks, a device is refused); `what` names it ("rubric").

    The size is checked on the opened file, so a link swapped in between cannot slip past; read at most
    `max_bytes` (see `read_input`).
    """
    path = Path(path)
    try:
        kind = _kind(os.stat(path).st_mode)  # refuse before opening: opening some devices has side effects
        if kind is not None:
            raise error(f"{path} is {kind}, not {_a(what)}: give the path of a regular file.")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise error(f"The {what} {path} does not exist: check the path.") from None
    except OSError as exc:
        raise error(f"Cannot read the {what} {path} ({exc.strerror}): check the path and its permissions.") from None
    stream = os.fdopen(fd, "rb")
    with stream:
        info = os.fstat(stream.fileno())
        kind = _kind(info.st_mode)
        if kind is not None:
            raise error(f"{path} is {kind}, not {_a(what)}: give the path of a regular file.")
        if info.st_size > max_bytes:
            raise error(
                f"{path} is {_size(info.st_size)}, over the {_size(max_bytes)} limit for {_a(what)}: "
                f"it is probably not {_a(what)}; check you chose the right file."
            )
        os.set_blocking(fd, True)
        yield stream


def read_input(path: str | os.PathLike, what: str, max_bytes: int, error: type[CoachError] = FileError) -> bytes:
    """The bytes of a regular file of at most `max_bytes` (one that grows past it while read is refused too)."""
    with open_input(path, what, max_bytes, error) as stream:
        try:
            data = stream.read(max_bytes + 1)
        except OSError as exc:
            raise error(f"Cannot read the {what} {path} ({exc.strerror}): check the disk and the file.") from None
    if len(data) > max_bytes:
        raise error(f"{path} is over the {_size(max_bytes)} limit for {_a(what)}: check you chose the right file.")
    return data


def read_input_text(path: str | os.PathLike, what: str, max_bytes: int, error: type[CoachError] = FileError) -> str:
    """A regular UTF-8 text file (a byte-order mark is allowed) of at most `max_bytes`."""
    data = read_input(path, what, max_bytes, error)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(
            f"The {what} {path} is not UTF-8 text (bad byte at offset {exc.start}): save it as UTF-8, "
            "or check you chose the right file."
        ) from None


def check_output(path: str | os.PathLike, error: type[CoachError] = FileError) -> Path:
    """Refuse an output path that is a folder, device, FIFO, socket or link: only a regular file is replaced."""
    path = Path(path)
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise error(f"Cannot write {path} ({exc.strerror}): choose another file name.") from None
    kind = _kind(mode)
    if kind == "a folder":
        raise error(f"{path} is a folder: give a file name inside it, e.g. {path / 'out'}{path.suffix}.")
    if kind is not None:
        raise error(f"{path} is {kind}; Listening Coach only replaces regular files: choose another file name.")
    return path


def write_failure(path: Path, exc: OSError, error: type[CoachError] = FileError) -> CoachError:
    """The error for a failed write of `path`, with the right advice (free space, permissions, the folder)."""
    if exc.errno == errno.EFBIG:
        return error(
            f"Could not write {path}: it would pass the file-size limit (ulimit -f); raise the limit or free "
            "space on another disk and write there; nothing was written."
        )
    if exc.errno in DISK_FULL:
        return error(f"Could not write {path}: the disk is full; free some space and try again; nothing was written.")
    if exc.errno == errno.ENOENT:
        return error(
            f"Could not write {path}: the folder {path.parent} does not exist; check the path, or create the folder."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return error(f"Could not write {path}: {exc.strerror} in {path.parent}; choose a folder you can write to.")
    return error(f"Could not write {path} ({exc.strerror or exc}); nothing was written: check the disk and path.")


@contextlib.contextmanager
def replacing(path: str | os.PathLike, error: type[CoachError] = FileError) -> Iterator[BinaryIO]:
    """Write `path` through a private (0600) temporary file beside it, renamed into place only on success.

    A crash or a full disk leaves the old file (or none), never half of one, and removes the temporary file.
    """
    path = check_output(path, error)
    try:
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise write_failure(path, exc, error) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        check_output(path, error)  # the target may have been swapped for a link or device meanwhile
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_failure(path, exc, error) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_private(path: str | os.PathLike, data: bytes, error: type[CoachError] = FileError) -> Path:
    """Replace the regular file `path` (or create it) with `data` in one step; see `replacing`."""
    with replacing(path, error) as out:
        out.write(data)
    return Path(path)


def sha256_file(path: str | os.PathLike, chunk_bytes: int = 1 << 20) -> str:
    """Hex SHA-256 of a file, read in chunks (large recordings and models never sit in memory whole)."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(chunk_bytes):
            digest.update(chunk)
    return digest.hexdigest()
