"""Write user files atomically (temporary file, fsync, rename) and readable only by the user."""

import os
from pathlib import Path


def write_private(path: str | os.PathLike, data: bytes) -> Path:
    """Replace `path` with `data` in one step; a crash leaves either the old file or the new one, never half."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
