"""Session bundles (.zip): export a session with its audio and notes; import safely, atomically, without duplicates."""

import hashlib
import json
import os
import zipfile
from pathlib import Path

from sqlite_utils import Database

from coach_app import __version__
from coach_app.core import Scorecard
from coach_app.errors import StorageError
from coach_app.files import replacing, sha256_file
from coach_app.storage.db import now_iso
from coach_app.storage.records import StoredSession
from coach_app.storage.sessions import audio_file, load_session
from coach_app.storage.word_packing import transcript_checksum

FORMAT = "listening-coach-session"
FORMAT_VERSION = 1
JSON_FILES = ("transcript.json", "scorecard.json", "findings.json", "comments.json")
CHUNK_BYTES = 1024**2


def _dimensions_json(card: Scorecard) -> list[dict]:
    return [
        {k: getattr(d, k) for k in ("dimension", "label", "score", "weight", "explanation", "tip", "base")}
        | {"evidence": list(d.evidence), "items": [[item.finding, item.points] for item in d.items]}
        for d in card.dimensions
    ]


def export_bundle(db: Database, session_id: int, out_path: str | os.PathLike) -> Path:
    """Write one session as a .zip with a manifest of SHA-256 checksums (atomically, readable only by the user)."""
    stored = load_session(db, session_id)
    files = _bundle_json(stored)
    audio = None
    if stored.summary.audio_path:
        audio = audio_file(db, stored.summary.audio_path)
        if not audio.is_file():
            raise StorageError(
                f"The recording of session {session_id} is missing ({audio}): export without it "
                "is not possible; restore the file or delete the session's audio."
            )
    manifest_files = {
        name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)} for name, data in files.items()
    }
    if audio is not None:
        manifest_files[f"audio/recording{audio.suffix.lower()}"] = {
            "sha256": sha256_file(audio),
            "size": audio.stat().st_size,
        }
    s = stored.summary
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "created_at": now_iso(),
        "session": {k: getattr(s, k) for k in ("title", "rep", "started_at", "scenario", "rubric_version")}
        | {"tags": list(s.tags)},
        "transcript_sha256": transcript_checksum(stored.transcript),
        "files": manifest_files,
    }
    out_path = Path(out_path)
    with replacing(out_path, StorageError) as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
        for name, data in files.items():
            bundle.writestr(name, data)
        if audio is not None:
            bundle.write(audio, f"audio/recording{audio.suffix.lower()}", compress_type=zipfile.ZIP_STORED)
    return out_path


def _bundle_json(stored: StoredSession) -> dict[str, bytes]:
    auto = stored.automatic
    scorecard = {
        "metrics": auto.metrics,
        "findings": [
            f.finding.to_dict() | {"start_s": f.finding.start_s, "end_s": f.finding.end_s}
            for f in stored.findings
            if f.origin == "automatic"
        ],
        "dimensions": _dimensions_json(auto),
        "overall": auto.overall,
        "rubric_version": auto.rubric_version,
        "extras": auto.extras,
        "corrected": None,
    }
    if stored.corrected is not None:
        corrected = stored.corrected
        scorecard["corrected"] = {
            "metrics": corrected.metrics,
            "dimensions": _dimensions_json(corrected),
            "overall": corrected.overall,
        }
    findings = [
        {
            "origin": f.origin,
            "rejected": f.rejected,
            "finding": f.finding.to_dict() | {"start_s": f.finding.start_s, "end_s": f.finding.end_s},
        }
        for f in stored.findings
    ]
    position = {f.id: i for i, f in enumerate(stored.findings)}
    corrections = [
        {
            "finding": position[c.finding_id],
            "action": c.action,
            "note": c.note,
            "author": c.author,
            "created_at": c.created_at,
        }
        for c in stored.corrections
    ]
    comments = [c.to_dict() for c in stored.comments]
    return {
        "transcript.json": json.dumps(stored.transcript.to_dict(), ensure_ascii=False).encode(),
        "scorecard.json": json.dumps(scorecard, ensure_ascii=False, default=str).encode(),
        "findings.json": json.dumps({"findings": findings, "corrections": corrections}, ensure_ascii=False).encode(),
        "comments.json": json.dumps(comments, ensure_ascii=False).encode(),
    }
