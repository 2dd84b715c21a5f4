"""Import a session bundle: refuse hostile archives, verify checksums, skip duplicates, commit all or nothing."""

import errno
import hashlib
import os
import shutil
import sqlite3
import stat
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sqlite_utils import Database

from coach_app.core import DimensionScore, Finding, Scorecard, ScoreItem
from coach_app.errors import StorageError, TranscriptError
from coach_app.files import DISK_FULL, MAX_AUDIO_BYTES, open_input
from coach_app.json_files import parse_json
from coach_app.scoring.rubric import MAX_WEIGHT
from coach_app.storage.bundles import CHUNK_BYTES, FORMAT, FORMAT_VERSION, JSON_FILES
from coach_app.storage.db import writing
from coach_app.storage.sessions import (
    insert_findings,
    library_dir,
    person_id,
    save_session,
    write_metrics,
    write_scores,
)
from coach_app.transcript_io import transcript_from_dict
from coach_app.values import MAX_ID, MAX_SECONDS, is_finite_number, is_seconds, parse_datetime

MAX_BUNDLE_BYTES = 2 * 1024**3
MAX_JSON_BYTES = 64 * 1024**2
MAX_TURNS = 10_000_000
MAX_POINTS = 1_000_000  # a breakdown's base or points: far beyond any rubric, finite and an int
MAX_TOTAL_BYTES = MAX_AUDIO_BYTES + len(JSON_FILES) * MAX_JSON_BYTES
MAX_COMPRESSION_RATIO = 100  # real transcripts compress ~10x and audio ~1–3x; zip bombs reach thousands
AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".mp3", ".m4a", ".opus")


@dataclass(frozen=True)
class ImportResult:
    """The id the bundle's session has in this library, and whether it was already there."""

    session_id: int
    duplicate: bool


def import_bundle(db: Database, bundle_path: str | os.PathLike) -> ImportResult:
    """Add a bundle's session (audio, findings, corrections, comments) unless the library already has it."""
    bundle_path = Path(bundle_path)
    try:
        with (
            open_input(bundle_path, "session bundle", MAX_BUNDLE_BYTES, StorageError) as stream,
            zipfile.ZipFile(stream) as bundle,
        ):
            entries = _checked_entries(bundle, bundle_path)
            manifest = _manifest(bundle, entries, bundle_path)
            existing = db.execute(
                "SELECT id FROM sessions WHERE transcript_sha256 = ? ORDER BY id LIMIT 1",
                [manifest["transcript_sha256"]],
            ).fetchone()
            if existing:
                return ImportResult(existing[0], duplicate=True)
            docs = {name: _json(bundle, entries[name], manifest, bundle_path) for name in JSON_FILES}
            audio_names = [n for n in entries if n.startswith("audio/")]
            staged = _stage_audio(db, bundle, entries[audio_names[0]], manifest, bundle_path) if audio_names else None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a damaged archive or a damaged member
        raise StorageError(f"{bundle_path} is not a readable session bundle ({exc}): ask for the .zip again.") from None
    except OSError as exc:  # a corrupt directory points outside the file, or the library cannot take the recording
        raise StorageError(_unpack_failure(bundle_path, exc)) from None
    try:
        return ImportResult(_store(db, docs, manifest, staged, bundle_path), duplicate=False)
    finally:
        if staged is not None:
            shutil.rmtree(staged.parent, ignore_errors=True)


def _unpack_failure(path: Path, exc: OSError) -> str:
    """Why unpacking failed, with the advice that fits: free space, folder permissions, or a new copy."""
    if exc.errno in DISK_FULL:
        advice = "the disk is full or the file-size limit was reached; free some space and import it again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        where = f" {exc.filename}" if exc.filename else ""
        advice = f"the library folder{where} cannot be written; check its permissions"
    else:
        advice = "ask for the .zip again"
    return f"Could not unpack {path} ({exc.strerror or exc}); nothing was imported: {advice}."


def _checked_entries(bundle: zipfile.ZipFile, where: Path) -> dict[str, zipfile.ZipInfo]:
    """Every entry must be a plain file with an expected, relative name and a believable size."""
    entries: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in bundle.infolist():
        name = info.filename
        refuse = f"Refusing bundle {where}: entry {name!r}"
        if name.startswith(("/", "\\")) or "\\" in name or (len(name) > 1 and name[1] == ":"):
            raise StorageError(f"{refuse} has an absolute path; a bundle may only hold relative paths.")
        if any(part in ("..", "") for part in PurePosixPath(name).parts) or ".." in name.split("/"):
            raise StorageError(f"{refuse} points outside the bundle ('..'); the file may be malicious.")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise StorageError(f"{refuse} is a symbolic link; bundles hold only plain files.")
        if info.is_dir():
            continue
        if name in entries:
            raise StorageError(f"{refuse} appears twice; the bundle is damaged or tampered with.")
        allowed = name == "manifest.json" or name in JSON_FILES or _is_audio_name(name)
        if not allowed:
            raise StorageError(f"{refuse} is not part of a session bundle; only the files a bundle holds are accepted.")
        limit = MAX_AUDIO_BYTES if name.startswith("audio/") else MAX_JSON_BYTES
        if info.file_size > limit:
            raise StorageError(f"{refuse} is {info.file_size / 1024**2:.0f} MB, over the {limit // 1024**2} MB limit.")
        if info.file_size > CHUNK_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise StorageError(
                f"{refuse} expands {info.file_size // max(info.compress_size, 1)}-fold: "
                "it looks like a zip bomb and was not unpacked."
            )
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise StorageError(f"Refusing bundle {where}: it unpacks to more than {MAX_TOTAL_BYTES // 1024**3} GB.")
        entries[name] = info
    if sum(1 for n in entries if n.startswith("audio/")) > 1:
        raise StorageError(f"Refusing bundle {where}: it holds more than one recording.")
    return entries


def _is_audio_name(name: str) -> bool:
    parts = name.split("/")
    return len(parts) == 2 and parts[0] == "audio" and Path(parts[1]).suffix.lower() in AUDIO_SUFFIXES


def _read_limited(bundle: zipfile.ZipFile, info: zipfile.ZipInfo, out, where: Path) -> str:
    """Copy an entry, never past its declared size (headers can lie), and return its SHA-256."""
    digest, written = hashlib.sha256(), 0
    with bundle.open(info) as src:
        while chunk := src.read(CHUNK_BYTES):
            written += len(chunk)
            if written > info.file_size:
                raise StorageError(f"Refusing bundle {where}: {info.filename} is larger than its header says.")
            digest.update(chunk)
            out(chunk)
    return digest.hexdigest()


def _manifest(bundle: zipfile.ZipFile, entries: dict, where: Path) -> dict:
    if "manifest.json" not in entries:
        raise StorageError(f"{where} has no manifest.json: it is not a Listening Coach session bundle.")
    chunks: list[bytes] = []
    _read_limited(bundle, entries["manifest.json"], chunks.append, where)
    manifest = parse_json(b"".join(chunks), StorageError, f"The manifest in {where}")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise StorageError(f"{where} is not a Listening Coach session bundle (unknown manifest format).")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise StorageError(f"{where} was made by a newer Listening Coach (bundle format {version}): update the app.")
    listed = manifest.get("files")
    if not isinstance(listed, dict) or set(listed) != set(entries) - {"manifest.json"}:
        raise StorageError(f"The files in {where} do not match its manifest: the bundle is damaged or tampered with.")
    if not isinstance(manifest.get("transcript_sha256"), str) or not isinstance(manifest.get("session"), dict):
        raise StorageError(f"The manifest in {where} lacks the session details: the bundle is damaged.")
    return manifest


def _verify(name: str, digest: str, manifest: dict, where: Path) -> None:
    if manifest["files"][name].get("sha256") != digest:
        raise StorageError(f"Checksum mismatch for {name} in {where}: the bundle is damaged; ask for it again.")


def _json(bundle: zipfile.ZipFile, info: zipfile.ZipInfo, manifest: dict, where: Path) -> object:
    chunks: list[bytes] = []
    _verify(info.filename, _read_limited(bundle, info, chunks.append, where), manifest, where)
    return parse_json(b"".join(chunks), StorageError, f"{info.filename} in {where}")


def _stage_audio(db: Database, bundle, info: zipfile.ZipInfo, manifest: dict, where: Path) -> Path:
    """Unpack the recording into a private staging folder inside the library; it moves in only on success."""
    staging = library_dir(db) / "recordings" / f".import-{uuid.uuid4().hex}"
    staging.mkdir(parents=True, mode=0o700)
    target = staging / f"{uuid.uuid4().hex}{Path(info.filename).suffix.lower()}"
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            digest = _read_limited(bundle, info, out.write, where)
        _verify(info.filename, digest, manifest, where)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _store(db: Database, docs: dict, manifest: dict, staged: Path | None, where: Path) -> int:
    """One transaction for every row; the recording is moved in just before the commit."""
    try:
        transcript = transcript_from_dict(docs["transcript.json"], source=f"{where}: transcript.json")
        card = docs["scorecard.json"]
        findings = [_finding(f) for f in card["findings"]]
        extras = card.get("extras") or {}
        if not isinstance(extras, dict):
            raise TypeError("the scorecard's extras are not an object")
        automatic = Scorecard(
            card["metrics"],
            tuple(findings),
            _dimensions(card["dimensions"], findings),
            int(_number(card["overall"], 0, 100, "overall score")),
            _text(card["rubric_version"], "rubric version"),
            extras,
        )
        _check_metrics(automatic.metrics)
        session = manifest["session"]
        if parse_datetime(session["started_at"]) is None:
            raise ValueError(f"start time {str(session['started_at'])[:40]!r} is not an ISO date and time")
        rep, title = _text(session["rep"], "rep"), _text(session["title"], "title")
        scenario = None if session.get("scenario") is None else _text(session["scenario"], "scenario")
        tags = session.get("tags", [])
        if not isinstance(tags, list):
            raise TypeError("the tags are not a list")
        tags = tuple(_text(tag, "tag") for tag in tags)
        notes = docs["findings.json"]
        comments = docs["comments.json"]
        if not isinstance(notes, dict) or not isinstance(comments, list):
            raise TypeError("findings.json must hold an object and comments.json a list")
    except (KeyError, IndexError, TypeError, ValueError, OverflowError, AttributeError, TranscriptError) as exc:
        raise StorageError(
            f"The session data in {where} is incomplete or malformed ({exc}): ask for it again."
        ) from None
    final = staged.parent.parent / staged.name if staged is not None else None
    try:
        with writing(db):
            session_id = save_session(
                db,
                transcript,
                automatic,
                rep,
                title,
                scenario=scenario,
                source="bundle",
                started_at=session["started_at"],
                tags=tags,
            )
            _store_notes(db, session_id, notes, card.get("corrected"), comments)
            if final is not None:
                stored_path = str(final.relative_to(library_dir(db)))
                db.execute("UPDATE sessions SET audio_path = ? WHERE id = ?", [stored_path, session_id])
                os.replace(staged, final)
    except BaseException as exc:
        if final is not None:
            final.unlink(missing_ok=True)
        malformed = KeyError | TypeError | ValueError | IndexError | OverflowError | AttributeError
        if isinstance(exc, malformed | sqlite3.InterfaceError):
            raise StorageError(f"The notes in {where} are malformed ({exc!r}): the bundle was not imported.") from None
        raise
    return session_id


def _number(value: object, low: float, high: float, what: str) -> float:
    """A JSON number within [low, high]; anything else (text, NaN, 1e400, a 30-digit id) is malformed."""
    if not is_finite_number(value, low, high):
        raise ValueError(f"{what} {str(value)[:24]!r} is not a number from {low:g} to {high:g}")
    return value  # type: ignore[return-value]


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"the {what} {str(value)[:24]!r} is not text")
    return value


def _seconds(value: object, what: str) -> float:
    if not is_seconds(value):
        raise ValueError(f"{what} {str(value)[:24]!r} is not a time in seconds from 0 to {MAX_SECONDS:,}")
    return float(value)  # type: ignore[arg-type]


def _check_metrics(metrics: object) -> None:
    if not isinstance(metrics, dict):
        raise ValueError("the metrics are not an object")
    for name, value in metrics.items():
        if value is not None and not is_finite_number(value, -1e12, 1e12):
            raise ValueError(f"metric {name[:40]!r} is {str(value)[:24]!r}, not a number")


def _finding(data: dict) -> Finding:
    return Finding(
        str(data["kind"]),
        int(_number(data["turn"], -1, MAX_TURNS, "finding turn")),
        _seconds(data["start_s"], "finding start"),
        _seconds(data["end_s"], "finding end"),
        str(data["quote"]),
        str(data["reason"]),
        str(data["tip"]),
    )


def _dimensions(items: list, findings: list[Finding]) -> tuple[DimensionScore, ...]:
    """Dimension scores as the sender had them; bundles made before breakdowns were kept have no base or items."""
    return tuple(
        DimensionScore(
            str(d["dimension"]),
            str(d["label"]),
            int(_number(d["score"], 0, 100, "score")),
            float(_number(d["weight"], 0, MAX_WEIGHT, "weight")),
            tuple(int(_number(i, 0, MAX_ID, "evidence")) for i in d["evidence"]),
            str(d["explanation"]),
            str(d.get("tip", "")),
            None if d.get("base") is None else int(_number(d["base"], -MAX_POINTS, MAX_POINTS, "base score")),
            tuple(_score_item(item, findings) for item in d.get("items", [])),
        )
        for d in items
    )


def _score_item(item: list, findings: list[Finding]) -> ScoreItem:
    """One [finding index, points] pair of a stored breakdown."""
    index, points = item
    position = int(_number(index, 0, len(findings) - 1, "breakdown finding"))
    finding = findings[position]
    return ScoreItem(position, finding.kind, finding.turn, int(_number(points, -MAX_POINTS, MAX_POINTS, "points")))


def _store_notes(db: Database, session_id: int, notes: dict, corrected: dict | None, comments: list) -> None:
    """Rejections, trainer-added findings, the corrected view, corrections and comments, as the sender had them."""
    ids = [row[0] for row in db.execute("SELECT id FROM findings WHERE session_id = ? ORDER BY idx", [session_id])]
    for position, item in enumerate(notes["findings"]):
        if item["origin"] == "trainer":
            ids.insert(position, insert_findings(db, session_id, [_finding(item["finding"])], origin="trainer")[0])
        if item["rejected"]:
            db.execute("UPDATE findings SET rejected = 1 WHERE id = ?", [ids[position]])
    for c in notes["corrections"]:
        author = person_id(db, str(c["author"]), role="trainer") if c.get("author") else None
        db.execute(
            "INSERT INTO corrections (session_id, finding_id, action, note, author_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                session_id,
                ids[int(_number(c["finding"], 0, MAX_TURNS, "finding"))],
                str(c["action"]),
                str(c.get("note", "")),
                author,
                str(c["created_at"]),
            ],
        )
    if corrected is not None:
        kept = [i for i, item in enumerate(notes["findings"]) if not item["rejected"]]
        kept_findings = [_finding(notes["findings"][i]["finding"]) for i in kept]
        dimensions = _dimensions(corrected["dimensions"], kept_findings)
        write_scores(db, session_id, "corrected", dimensions, [ids[i] for i in kept])
        _check_metrics(corrected["metrics"])
        write_metrics(db, session_id, "corrected", corrected["metrics"])
        overall = int(_number(corrected["overall"], 0, 100, "corrected overall score"))
        db.execute("UPDATE sessions SET corrected_overall = ? WHERE id = ?", [overall, session_id])
    for c in comments:
        author = person_id(db, str(c["author"]), role="trainer") if c.get("author") else None
        at_s = None if c.get("at_s") is None else _seconds(c["at_s"], "comment time")
        turn = None if c.get("turn") is None else int(_number(c["turn"], 0, MAX_TURNS, "comment turn"))
        db.execute(
            "INSERT INTO comments (session_id, author_id, body, at_s, turn, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [session_id, author, str(c["body"]), at_s, turn, str(c["created_at"])],
        )
