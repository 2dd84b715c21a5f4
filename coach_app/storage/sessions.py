"""Save, load, list and delete stored sessions; each write is one transaction."""

import contextlib
import json
import os
import shutil
import uuid
from pathlib import Path

from sqlite_utils import Database

from coach_app.core import DimensionScore, Finding, Scorecard, ScoreItem, Transcript, Turn
from coach_app.errors import StorageError
from coach_app.files import MAX_AUDIO_BYTES, open_input, write_failure
from coach_app.storage.db import now_iso, writing
from coach_app.storage.records import Comment, Correction, SessionSummary, StoredFinding, StoredSession
from coach_app.storage.word_packing import pack_words, transcript_checksum, unpack_words
from coach_app.values import is_seconds, parse_datetime

SOURCES = ("practice", "imported_call", "bundle")
DELETED_SUFFIX = ".deleted"  # a recording marked for removal while its session is being deleted


def library_dir(db: Database) -> Path:
    """The folder holding the database file; recordings live in its `recordings/` subfolder."""
    row = db.execute("SELECT file FROM pragma_database_list WHERE name = 'main'").fetchone()
    return Path(row[0]).parent


def audio_file(db: Database, stored_path: str) -> Path:
    """Absolute path of a stored audio path (stored relative to the library folder)."""
    return library_dir(db) / stored_path


def person_id(db: Database, name: str, role: str = "rep") -> int:
    """The id of the person called `name`, adding them if new (call inside a write transaction)."""
    name = name.strip()
    if not name:
        raise StorageError("A session needs the rep's name: give one (for example --rep 'Sam').")
    row = db.execute("SELECT id FROM people WHERE name = ?", [name]).fetchone()
    if row:
        return row[0]
    return db.execute("INSERT INTO people (name, role, created_at) VALUES (?, ?, ?)", [name, role, now_iso()]).lastrowid


def save_session(
    db: Database,
    transcript: Transcript,
    scorecard: Scorecard,
    rep: str,
    title: str,
    audio_path: str | os.PathLike | None = None,
    scenario: str | None = None,
    source: str = "practice",
    started_at: str | None = None,
    tags: tuple[str, ...] = (),
) -> int:
    """Store a scored conversation in one transaction and return its id; outside audio is copied in (0600)."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    if started_at is not None and parse_datetime(started_at) is None:
        raise StorageError(f"The start time {started_at!r} is not an ISO date and time: give e.g. 2024-05-01T09:30:00.")
    stored_audio, copied = _adopt_audio(db, audio_path) if audio_path is not None else (None, None)
    try:
        with writing(db):
            session_id = _insert_session(
                db, transcript, scorecard, rep, title, stored_audio, scenario, source, started_at
            )
            finding_ids = insert_findings(db, session_id, scorecard.findings, origin="automatic")
            write_scores(db, session_id, "automatic", scorecard.dimensions, finding_ids)
            write_metrics(db, session_id, "automatic", scorecard.metrics)
            tag_session(db, session_id, tags)
    except BaseException:
        if copied is not None:
            copied.unlink(missing_ok=True)
        raise
    return session_id


def _adopt_audio(db: Database, audio_path: str | os.PathLike) -> tuple[str, Path | None]:
    """Audio inside the recordings folder is referenced; audio elsewhere is copied in so deleting stays safe.

    A failed copy (full disk, file-size limit) removes the partial copy and names both files.
    """
    source = Path(audio_path).resolve()
    root = library_dir(db).resolve()
    recordings = root / "recordings"
    with open_input(source, "audio file", MAX_AUDIO_BYTES, StorageError) as src:
        if source.is_relative_to(recordings):
            return str(source.relative_to(root)), None
        target = recordings / f"{uuid.uuid4().hex}{source.suffix.lower()}"
        try:
            recordings.mkdir(mode=0o700, exist_ok=True)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            raise write_failure(target, exc, StorageError) from None
        try:
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(src, out)
                out.flush()
                os.fsync(out.fileno())
        except BaseException as exc:
            target.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise StorageError(
                    f"Could not copy the recording {source} into the library: "
                    f"{write_failure(target, exc)} The session was not saved."
                ) from None
            raise
    return str(target.relative_to(root)), target


def _insert_session(db, transcript, scorecard, rep, title, audio, scenario, source, started_at) -> int:
    duration_s = max((t.end_s for t in transcript.turns), default=0.0)
    packed = [pack_words(t) for t in transcript.turns]
    session_id = db.execute(
        "INSERT INTO sessions (started_at, person_id, title, scenario, source, audio_path, duration_s, "
        "rubric_version, overall, transcript_sha256, extras_json, transcript_notes_json) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            started_at or now_iso(),
            person_id(db, rep),
            title.strip() or "Untitled session",
            scenario,
            source,
            audio,
            duration_s,
            scorecard.rubric_version,
            scorecard.overall,
            transcript_checksum(transcript, packed),
            json.dumps(scorecard.extras, default=str),
            json.dumps(list(transcript.notes), ensure_ascii=False),
        ],
    ).lastrowid
    first_turn_id = (db.execute("SELECT coalesce(max(id), 0) FROM turns").fetchone()[0]) + 1
    db.conn.executemany(
        "INSERT INTO turns (id, session_id, idx, speaker, start_s, end_s, text, speaker_conf) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (first_turn_id + i, session_id, i, t.speaker, t.start_s, t.end_s, t.text, t.speaker_conf)
            for i, t in enumerate(transcript.turns)
        ],
    )
    db.conn.executemany(
        "INSERT INTO words (turn_id, texts_json, timings) VALUES (?, ?, ?)",
        [(first_turn_id + i, *packed[i]) for i, t in enumerate(transcript.turns) if t.words],
    )
    return session_id


def insert_findings(db: Database, session_id: int, findings, origin: str) -> list[int]:
    """Insert findings after the session's existing ones and return their new ids, in order."""
    first_id = db.execute("SELECT coalesce(max(id), 0) FROM findings").fetchone()[0] + 1
    first_idx = db.execute("SELECT coalesce(max(idx), -1) FROM findings WHERE session_id = ?", [session_id]).fetchone()[
        0
    ]
    rows = [
        (first_id + i, session_id, first_idx + 1 + i, f.kind, f.turn, f.start_s, f.end_s, f.quote, f.reason, f.tip)
        for i, f in enumerate(findings)
    ]
    db.conn.executemany(
        "INSERT INTO findings (id, session_id, idx, kind, turn, start_s, end_s, quote, reason, tip, origin) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*row, origin) for row in rows],
    )
    return [row[0] for row in rows]


def write_scores(db, session_id: int, view: str, dimensions, finding_ids: list[int]) -> None:
    """Replace one view's dimension scores; evidence is stored as finding ids, not list positions, and the breakdown
    as the base with [finding id, points] pairs."""
    db.execute("DELETE FROM scores WHERE session_id = ? AND view = ?", [session_id, view])
    db.conn.executemany(
        "INSERT INTO scores (session_id, view, position, dimension, label, score, weight, explanation, tip, "
        "evidence_json, breakdown_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                session_id,
                view,
                position,
                d.dimension,
                d.label,
                d.score,
                d.weight,
                d.explanation,
                d.tip,
                json.dumps([finding_ids[i] for i in d.evidence]),
                None
                if d.base is None
                else json.dumps({"base": d.base, "items": [[finding_ids[it.finding], it.points] for it in d.items]}),
            )
            for position, d in enumerate(dimensions)
        ],
    )


def write_metrics(db: Database, session_id: int, view: str, metrics: dict) -> None:
    """Replace one view's metrics (numbers or None)."""
    db.execute("DELETE FROM metrics WHERE session_id = ? AND view = ?", [session_id, view])
    db.conn.executemany(
        "INSERT INTO metrics (session_id, view, name, value) VALUES (?, ?, ?, ?)",
        [(session_id, view, name, value) for name, value in metrics.items()],
    )


SUMMARY_SQL = """
SELECT s.id, s.started_at, p.name, s.title, coalesce(s.corrected_overall, s.overall), s.overall, s.scenario,
       s.source, s.duration_s, s.rubric_version, s.audio_path,
       (SELECT group_concat(t.name, char(31)) FROM session_tags st JOIN tags t ON t.id = st.tag_id
        WHERE st.session_id = s.id)
FROM sessions s JOIN people p ON p.id = s.person_id
"""


def _summary(row) -> SessionSummary:
    tags = tuple(sorted(row[11].split("\x1f"))) if row[11] else ()
    return SessionSummary(*row[:11], tags=tags)


def list_sessions(
    db: Database,
    rep: str | None = None,
    since: str | None = None,
    until: str | None = None,
    tag: str | None = None,
    limit: int | None = None,
) -> list[SessionSummary]:
    """Stored sessions, newest first; `since`/`until` are ISO dates or times (until is exclusive)."""
    where, params = [], []
    if rep is not None:
        where.append("p.name = ?")
        params.append(rep)
    for bound in (since, until):
        if bound is not None and parse_datetime(bound) is None:
            raise StorageError(f"{bound!r} is not a real date: use YYYY-MM-DD, e.g. 2024-05-01.")
    if since is not None:
        where.append("s.started_at >= ?")
        params.append(since)
    if until is not None:
        where.append("s.started_at < ?")
        params.append(until)
    if tag is not None:
        where.append(
            "s.id IN (SELECT st.session_id FROM session_tags st JOIN tags t ON t.id = st.tag_id WHERE t.name = ?)"
        )
        params.append(tag)
    sql = SUMMARY_SQL + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY s.started_at DESC, s.id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [_summary(row) for row in db.execute(sql, params)]


def get_summary(db: Database, session_id: int) -> SessionSummary:
    """One session's summary; a clear error for an unknown id."""
    row = db.execute(SUMMARY_SQL + " WHERE s.id = ?", [session_id]).fetchone()
    if row is None:
        raise StorageError(f"No stored session has id {session_id}: run `coach-app sessions list` to see the ids.")
    return _summary(row)


def load_session(db: Database, session_id: int) -> StoredSession:
    """Everything stored about one session, read in one snapshot."""
    with db.atomic():
        summary = get_summary(db, session_id)
        transcript = read_transcript(db, session_id)
        findings = tuple(
            StoredFinding(row[0], Finding(*row[1:8]), row[8], bool(row[9]))
            for row in db.execute(
                "SELECT id, kind, turn, start_s, end_s, quote, reason, tip, origin, rejected FROM findings "
                "WHERE session_id = ? ORDER BY idx",
                [session_id],
            )
        )
        (extras_json,) = db.execute("SELECT extras_json FROM sessions WHERE id = ?", [session_id]).fetchone()
        automatic_findings = [f for f in findings if f.origin == "automatic"]
        extras = json.loads(extras_json)
        automatic = _scorecard(db, session_id, "automatic", automatic_findings, summary, extras)
        corrected = None
        if db.execute(
            "SELECT 1 FROM scores WHERE session_id = ? AND view = 'corrected' LIMIT 1", [session_id]
        ).fetchone():
            effective = [f for f in findings if not f.rejected]
            corrected = _scorecard(db, session_id, "corrected", effective, summary, extras)
        comments = list_comments(db, session_id)
        corrections = tuple(
            Correction(*row)
            for row in db.execute(
                "SELECT c.id, c.finding_id, c.action, c.note, p.name, c.created_at FROM corrections c "
                "LEFT JOIN people p ON p.id = c.author_id WHERE c.session_id = ? ORDER BY c.id",
                [session_id],
            )
        )
    return StoredSession(summary, transcript, automatic, corrected, findings, comments, corrections)


def read_transcript(db: Database, session_id: int) -> Transcript:
    """A stored session's transcript, words and notes included (no turns for an unknown id)."""
    notes = db.execute("SELECT transcript_notes_json FROM sessions WHERE id = ?", [session_id]).fetchone()
    rows = db.execute(
        "SELECT t.speaker, t.start_s, t.end_s, t.text, w.texts_json, w.timings, t.speaker_conf FROM turns t "
        "LEFT JOIN words w ON w.turn_id = t.id WHERE t.session_id = ? ORDER BY t.idx",
        [session_id],
    )
    return Transcript(
        tuple(
            Turn(speaker, start_s, end_s, text, unpack_words(texts, timings) if texts is not None else (), conf)
            for speaker, start_s, end_s, text, texts, timings, conf in rows
        ),
        tuple(json.loads(notes[0])) if notes else (),
    )


def _scorecard(db, session_id, view, stored: list[StoredFinding], summary, extras) -> Scorecard:
    position = {f.id: i for i, f in enumerate(stored)}
    findings = tuple(f.finding for f in stored)
    dimensions = tuple(
        DimensionScore(
            dimension,
            label,
            score,
            weight,
            tuple(position[i] for i in json.loads(evidence) if i in position),
            explanation,
            tip,
            *_breakdown(breakdown, position, findings),
        )
        for dimension, label, score, weight, explanation, tip, evidence, breakdown in db.execute(
            "SELECT dimension, label, score, weight, explanation, tip, evidence_json, breakdown_json FROM scores "
            "WHERE session_id = ? AND view = ? ORDER BY position",
            [session_id, view],
        )
    )
    metrics = db.execute("SELECT name, value FROM metrics WHERE session_id = ? AND view = ?", [session_id, view])
    overall = summary.overall if view == "corrected" else summary.automatic_overall
    return Scorecard(dict(metrics), findings, dimensions, overall, summary.rubric_version, dict(extras))


def _breakdown(
    stored: str | None, position: dict[int, int], findings: tuple[Finding, ...]
) -> tuple[int | None, tuple[ScoreItem, ...]]:
    """A stored breakdown as (base, items); (None, ()) for a session scored before breakdowns were kept."""
    if stored is None:
        return None, ()
    data = json.loads(stored)
    items = tuple(
        ScoreItem(position[fid], findings[position[fid]].kind, findings[position[fid]].turn, points)
        for fid, points in data["items"]
        if fid in position
    )
    return data["base"], items


_COMMENTS = (
    "SELECT c.id, c.session_id, c.body, c.at_s, c.turn, p.name, c.created_at FROM comments c "
    "LEFT JOIN people p ON p.id = c.author_id"
)


def list_comments(db: Database, session_id: int) -> tuple[Comment, ...]:
    """A session's trainer comments in time order (unpinned ones first)."""
    return tuple(
        Comment(*row)
        for row in db.execute(
            f"{_COMMENTS} WHERE c.session_id = ? ORDER BY coalesce(c.at_s, -1), coalesce(c.turn, -1), c.id",
            [session_id],
        )
    )


def add_comment(
    db: Database,
    session_id: int,
    body: str,
    at_s: float | None = None,
    turn: int | None = None,
    author: str | None = None,
) -> int:
    """Pin a trainer's comment to a time, a turn, or (neither given) the whole session; returns its id."""
    if not body.strip():
        raise StorageError("A comment cannot be empty: type what the rep should hear.")
    if at_s is not None and not is_seconds(at_s):
        raise StorageError(f"Cannot pin a comment at {at_s!r} s: give seconds from the start of the call, 0 or more.")
    with writing(db):
        get_summary(db, session_id)
        turns = db.execute("SELECT count(*) FROM turns WHERE session_id = ?", [session_id]).fetchone()[0]
        if turn is not None and not 0 <= turn < turns:
            raise StorageError(f"Session {session_id} has no turn {turn}: its turns are numbered 0 to {turns - 1}.")
        author_id = person_id(db, author, role="trainer") if author else None
        return db.execute(
            "INSERT INTO comments (session_id, author_id, body, at_s, turn, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [session_id, author_id, body.strip(), at_s, turn, now_iso()],
        ).lastrowid


def edit_comment(db: Database, comment_id: int, body: str) -> None:
    """Replace a trainer comment's text; its pin, author and time stay."""
    if not body.strip():
        raise StorageError("A comment cannot be empty: type what the rep should hear, or delete the comment.")
    with writing(db):
        if not db.execute("UPDATE comments SET body = ? WHERE id = ?", [body.strip(), comment_id]).rowcount:
            raise StorageError(f"No comment has id {comment_id}: it may have been deleted.")


def delete_comment(db: Database, comment_id: int) -> Comment:
    """Delete a trainer comment and return it, so the caller can offer to put it back."""
    with writing(db):
        row = db.execute(f"{_COMMENTS} WHERE c.id = ?", [comment_id]).fetchone()
        if row is None:
            raise StorageError(f"No comment has id {comment_id}: it may have been deleted already.")
        db.execute("DELETE FROM comments WHERE id = ?", [comment_id])
    return Comment(*row)


def tag_session(db: Database, session_id: int, names) -> None:
    """Attach tags (created as needed) to a session; call inside a write transaction."""
    for name in {n.strip() for n in names if n.strip()}:
        db.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", [name])
        db.execute(
            "INSERT OR IGNORE INTO session_tags (session_id, tag_id) SELECT ?, id FROM tags WHERE name = ?",
            [session_id, name],
        )


def set_tags(db: Database, session_id: int, names) -> None:
    """Replace a session's tags."""
    with writing(db):
        get_summary(db, session_id)
        db.execute("DELETE FROM session_tags WHERE session_id = ?", [session_id])
        tag_session(db, session_id, names)


def delete_session(db: Database, session_id: int) -> None:
    """Delete a session with everything attached to it and its audio file, both or neither.

    The recording is first renamed to `<name>.deleted` (so a folder that refuses changes stops the delete before
    anything is gone), the rows are deleted, and only after the commit is the marked file removed; a failed commit
    renames it back. A crash right after the commit can leave a harmless `.deleted` file, never a lost recording.
    """
    marked: Path | None = None
    try:
        with writing(db):
            audio = get_summary(db, session_id).audio_path
            db.execute("DELETE FROM sessions WHERE id = ?", [session_id])
            shared = audio and db.execute("SELECT 1 FROM sessions WHERE audio_path = ?", [audio]).fetchone()
            if audio and not shared:
                marked = _mark_for_removal(audio_file(db, audio))
    except BaseException:
        if marked is not None:
            with contextlib.suppress(OSError):
                os.replace(marked, marked.with_suffix(""))
        raise
    if marked is not None:
        with contextlib.suppress(OSError):  # the session is gone: never report a failure after that
            marked.unlink()


def _mark_for_removal(recording: Path) -> Path | None:
    """Rename a recording to `<name>.deleted` (None if it is already gone); a refusal is a StorageError."""
    marked = recording.with_name(recording.name + DELETED_SUFFIX)
    try:
        os.replace(recording, marked)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(
            f"Cannot delete the recording {recording} ({exc.strerror}): nothing was deleted; check that you can "
            f"change the folder {recording.parent}, then try again."
        ) from None
    return marked


def latest_rep(db: Database) -> str | None:
    """The rep of the most recently started session (the usual rep on a personal machine), if any."""
    row = db.execute(
        "SELECT p.name FROM sessions s JOIN people p ON p.id = s.person_id ORDER BY s.started_at DESC, s.id DESC"
    ).fetchone()
    return row[0] if row else None
