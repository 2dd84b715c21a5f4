"""Trainer label corrections and rescoring: the automatic view is kept, the corrected view is recomputed."""

import threading
from collections.abc import Callable

from sqlite_utils import Database

from coach_app.analysis import COUNTED_KINDS, analyze
from coach_app.core import Finding, Transcript
from coach_app.errors import Cancelled, StorageError
from coach_app.scoring.rubric import Rubric, load_rubric
from coach_app.scoring.scorecard import score
from coach_app.storage.db import now_iso, writing
from coach_app.storage.sessions import (
    get_summary,
    insert_findings,
    person_id,
    read_transcript,
    write_metrics,
    write_scores,
)
from coach_app.storage.word_packing import transcript_checksum

FINDING_COLUMNS = "kind, turn, start_s, end_s, quote, reason, tip"


def reject_finding(
    db: Database, finding_id: int, rubric: Rubric | None = None, note: str = "", author: str | None = None
) -> int:
    """Mark an automatic finding as wrong and re-score its session; returns the corrected overall score."""
    with writing(db):
        row = db.execute("SELECT session_id, rejected FROM findings WHERE id = ?", [finding_id]).fetchone()
        if row is None:
            raise StorageError(f"No finding has id {finding_id}: run `coach-app sessions show SESSION` to see ids.")
        session_id, rejected = row
        if not rejected:
            db.execute("UPDATE findings SET rejected = 1 WHERE id = ?", [finding_id])
            _record(db, session_id, finding_id, "rejected", note, author)
        return _rescore_corrected(db, session_id, rubric or load_rubric())


def add_missed_finding(
    db: Database,
    session_id: int,
    finding: Finding,
    rubric: Rubric | None = None,
    note: str = "",
    author: str | None = None,
) -> int:
    """Add a finding the analysis missed, then re-score the session; returns the new finding's id."""
    with writing(db):
        get_summary(db, session_id)
        (finding_id,) = insert_findings(db, session_id, [finding], origin="trainer")
        _record(db, session_id, finding_id, "added", note, author)
        _rescore_corrected(db, session_id, rubric or load_rubric())
    return finding_id


def undo_correction(db: Database, correction_id: int, rubric: Rubric | None = None) -> int:
    """Take back one correction (a rejected finding counts again, an added one goes) and re-score; returns the
    session's overall score. With no correction left the session shows its automatic scores again."""
    with writing(db):
        row = db.execute(
            "SELECT session_id, finding_id, action FROM corrections WHERE id = ?", [correction_id]
        ).fetchone()
        if row is None:
            raise StorageError(f"No correction has id {correction_id}: it may have been undone already.")
        session_id, finding_id, action = row
        if action == "added":
            db.execute("DELETE FROM findings WHERE id = ?", [finding_id])  # its correction row goes with it
        else:
            db.execute("DELETE FROM corrections WHERE id = ?", [correction_id])
            still = db.execute(
                "SELECT 1 FROM corrections WHERE finding_id = ? AND action = 'rejected' LIMIT 1", [finding_id]
            ).fetchone()
            if not still:
                db.execute("UPDATE findings SET rejected = 0 WHERE id = ?", [finding_id])
        if db.execute("SELECT 1 FROM corrections WHERE session_id = ? LIMIT 1", [session_id]).fetchone():
            return _rescore_corrected(db, session_id, rubric or load_rubric())
        db.execute("DELETE FROM scores WHERE session_id = ? AND view = 'corrected'", [session_id])
        db.execute("DELETE FROM metrics WHERE session_id = ? AND view = 'corrected'", [session_id])
        db.execute("UPDATE sessions SET corrected_overall = NULL WHERE id = ?", [session_id])
        return get_summary(db, session_id).overall


def _record(db, session_id, finding_id, action, note, author) -> None:
    author_id = person_id(db, author, role="trainer") if author else None
    db.execute(
        "INSERT INTO corrections (session_id, finding_id, action, note, author_id, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [session_id, finding_id, action, note, author_id, now_iso()],
    )


def _rescore_corrected(db: Database, session_id: int, rubric: Rubric) -> int:
    """Score the findings a trainer let stand plus those they added; counts in the metrics follow the findings."""
    rows = db.execute(
        f"SELECT id, {FINDING_COLUMNS} FROM findings WHERE session_id = ? AND rejected = 0 ORDER BY idx",
        [session_id],
    ).fetchall()
    findings = [Finding(*row[1:]) for row in rows]
    metrics = dict(
        db.execute("SELECT name, value FROM metrics WHERE session_id = ? AND view = 'automatic'", [session_id])
    )
    for key, kinds in COUNTED_KINDS.items():
        if key in metrics:
            metrics[key] = sum(1 for f in findings if f.kind in kinds)
    dimensions, overall = score(findings, metrics, rubric)
    write_scores(db, session_id, "corrected", dimensions, [row[0] for row in rows])
    write_metrics(db, session_id, "corrected", metrics)
    db.execute("UPDATE sessions SET corrected_overall = ? WHERE id = ?", [overall, session_id])
    return overall


def rescore_all(
    db: Database,
    rubric: Rubric | None = None,
    on_progress: Callable[[float, str], None] | None = None,
    cancel: threading.Event | None = None,
) -> int:
    """Re-analyse every session with `rubric` (one transaction each), keeping trainer corrections; returns count."""
    rubric = rubric or load_rubric()
    ids = [row[0] for row in db.execute("SELECT id FROM sessions ORDER BY id")]
    for done, session_id in enumerate(ids):
        if cancel is not None and cancel.is_set():
            raise Cancelled(f"Rescoring cancelled after {done} of {len(ids)} sessions; the rest keep their scores.")
        with db.atomic():  # one consistent read; the analysis then runs without holding the write lock
            transcript = read_transcript(db, session_id)
            voice = [
                Finding(*row)
                for row in db.execute(
                    f"SELECT {FINDING_COLUMNS} FROM findings WHERE session_id = ? AND origin = 'automatic' "
                    "AND kind LIKE 'voice\\_%' ESCAPE '\\' ORDER BY idx",
                    [session_id],
                )
            ]  # voice findings come from the audio: the transcript cannot re-derive them
        if transcript.turns:  # no turns: the session was deleted meanwhile
            scorecard = analyze(transcript, rubric, extra_findings=voice)
            with writing(db):
                _replace_automatic(db, session_id, scorecard, rubric)
        if on_progress is not None:
            on_progress((done + 1) / len(ids), f"Rescored session {done + 1} of {len(ids)}")
    return len(ids)


def correct_speakers(db: Database, session_id: int, transcript: Transcript, scorecard, rubric: Rubric) -> None:
    """Store who said each turn after the user fixed the speakers (swapped them, reassigned a turn), with the
    re-analysis of the fixed transcript, in one transaction; trainer corrections stay."""
    with writing(db):
        stored = db.execute("SELECT count(*) FROM turns WHERE session_id = ?", [session_id]).fetchone()[0]
        if stored != len(transcript.turns):
            raise StorageError(
                f"Session {session_id} has {stored} turns but the corrected transcript has {len(transcript.turns)}: "
                "reopen the session and correct the speakers again."
            )
        db.conn.executemany(
            "UPDATE turns SET speaker = ?, speaker_conf = ? WHERE session_id = ? AND idx = ?",
            [(turn.speaker, turn.speaker_conf, session_id, index) for index, turn in enumerate(transcript.turns)],
        )
        db.execute(
            "UPDATE sessions SET transcript_sha256 = ? WHERE id = ?", [transcript_checksum(transcript), session_id]
        )
        _replace_automatic(db, session_id, scorecard, rubric)


def _replace_automatic(db: Database, session_id: int, scorecard, rubric: Rubric) -> None:
    """Replace the automatic findings and scores; a finding that survives keeps its id, so rejections stick."""
    old = db.execute(
        f"SELECT id, {FINDING_COLUMNS} FROM findings WHERE session_id = ? AND origin = 'automatic'", [session_id]
    ).fetchall()
    old_ids = {(row[1], row[2], row[5]): row[0] for row in old}
    kept: list[int] = []
    db.execute("UPDATE findings SET idx = -1 - idx WHERE session_id = ?", [session_id])  # free the positions
    for position, f in enumerate(scorecard.findings):
        finding_id = old_ids.pop((f.kind, f.turn, f.quote), None)
        if finding_id is None:
            finding_id = insert_findings(db, session_id, [f], origin="automatic")[0]
        db.execute(
            "UPDATE findings SET idx = ?, start_s = ?, end_s = ?, reason = ?, tip = ? WHERE id = ?",
            [position, f.start_s, f.end_s, f.reason, f.tip, finding_id],
        )
        kept.append(finding_id)
    if old_ids:
        db.execute(f"DELETE FROM findings WHERE id IN ({', '.join('?' * len(old_ids))})", list(old_ids.values()))
    trainer = [
        r[0]
        for r in db.execute("SELECT id FROM findings WHERE session_id = ? AND idx < 0 ORDER BY idx DESC", [session_id])
    ]
    for offset, finding_id in enumerate(trainer):
        db.execute("UPDATE findings SET idx = ? WHERE id = ?", [len(kept) + offset, finding_id])
    write_scores(db, session_id, "automatic", scorecard.dimensions, kept)
    write_metrics(db, session_id, "automatic", scorecard.metrics)
    db.execute(
        "UPDATE sessions SET overall = ?, rubric_version = ? WHERE id = ?",
        [scorecard.overall, scorecard.rubric_version, session_id],
    )
    if db.execute("SELECT 1 FROM corrections WHERE session_id = ? LIMIT 1", [session_id]).fetchone():
        _rescore_corrected(db, session_id, rubric)
