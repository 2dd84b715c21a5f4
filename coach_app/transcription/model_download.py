"""The app's only network access: a user-started, resumable, cancellable model download over HTTP(S)."""

import re
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from http.client import HTTPException
from pathlib import Path
from urllib.parse import urlsplit

from coach_app import __version__
from coach_app.errors import Cancelled, ModelError

ProgressFn = Callable[[float, str], None]

CHUNK_BYTES = 256 << 10
TIMEOUT_S = 30.0
_CONTENT_RANGE = re.compile(r"bytes (\d+)-\d+/(\d+|\*)")
_UNSATISFIABLE_RANGE = re.compile(r"bytes \*/(\d+)")


def download(url: str, part: Path, on_progress: ProgressFn, cancel: threading.Event | None) -> None:
    """Fetch `url` into `part`, continuing from the bytes already there (HTTP Range) when the server allows.

    On return `part` holds the complete file. A cut connection or a cancel leaves `part` in place, so the
    next call resumes; both raise (ModelError, Cancelled) with a message saying so.
    """
    offset = part.stat().st_size if part.exists() else 0
    headers = {"User-Agent": f"ListeningCoach/{__version__}"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    request = urllib.request.Request(url, headers=headers)
    label = Path(urlsplit(url).path).name
    try:
        response = urllib.request.urlopen(request, timeout=TIMEOUT_S)
    except urllib.error.HTTPError as exc:
        complete = _UNSATISFIABLE_RANGE.fullmatch(exc.headers.get("Content-Range", "") or "")
        if exc.code == 416 and complete and int(complete.group(1)) == offset:
            return  # the earlier attempt had already received every byte
        raise ModelError(
            f"Downloading {url} failed: the server answered {exc.code} {exc.reason}; try again later, or download "
            "it on another computer and run `coach-app models import FILE.zip`."
        ) from exc
    except (urllib.error.URLError, OSError, HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        raise ModelError(
            f"Could not reach {urlsplit(url).netloc} to download {label} ({reason}); check the internet "
            f"connection, or download {url} on another computer and run `coach-app models import FILE.zip`."
        ) from exc
    with response:
        resumed = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", "") or "")
        if response.status == 206 and resumed and int(resumed.group(1)) == offset:
            total = int(resumed.group(2)) if resumed.group(2) != "*" else 0
        else:
            offset = 0  # the server ignored the range: start again from the beginning
            total = int(response.headers.get("Content-Length") or 0)
        _require_space(part.parent, total - offset)
        done = _receive(response, part, offset, total, label, on_progress, cancel)
    if total and done != total:
        raise ModelError(
            f"The download of {label} was cut off at {done / 2**20:.1f} of {total / 2**20:.1f} MB; run the same "
            "command again to resume where it stopped."
        )


def _receive(response, part: Path, offset: int, total: int, label: str, report: ProgressFn, cancel) -> int:
    done = offset
    with part.open("ab" if offset else "wb") as out:
        while True:
            if cancel is not None and cancel.is_set():
                raise Cancelled(
                    f"The download of {label} was cancelled at {done / 2**20:.1f} MB; run the install again to resume."
                )
            try:
                chunk = response.read(CHUNK_BYTES)
            except (OSError, HTTPException):
                break  # connection lost: the caller reports how far it got
            if not chunk:
                break
            out.write(chunk)
            done += len(chunk)
            megabytes = f"{done / 2**20:.1f} of {total / 2**20:.1f} MB" if total else f"{done / 2**20:.1f} MB"
            report(done / total if total else 0.0, f"Downloading {label}: {megabytes}")
    return done


def _require_space(folder: Path, needed_bytes: int) -> None:
    free = shutil.disk_usage(folder).free
    # The zip and the unpacked model exist side by side for a moment, so ask for twice the download.
    if free < 2 * needed_bytes:
        raise ModelError(
            f"Not enough disk space in {folder} to download {needed_bytes / 2**20:.0f} MB and unpack it; "
            "free some space and try again."
        )
