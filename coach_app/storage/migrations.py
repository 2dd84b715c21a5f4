"""Append-only schema steps for the sessions database; never edit a released step, add a new one."""

from sqlite_utils import Database
from sqlite_utils.db import Table
from sqlite_utils.migrations import Migrations

from coach_app.values import MAX_SECONDS, parse_datetime

MIGRATION_SET = "coach_app"
migrations = Migrations(MIGRATION_SET)


def _table(db: Database, name: str) -> Table:
    table = db[name]
    assert isinstance(table, Table)
    return table


@migrations()
def m001_people_sessions(db: Database) -> None:
    """Why: the library's core, one row per practised or imported conversation with its turns and scores."""
    db.executescript(
        """
        CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL DEFAULT 'rep' CHECK (role IN ('rep', 'trainer')),
            created_at TEXT NOT NULL
        );
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            person_id INTEGER NOT NULL REFERENCES people(id),
            title TEXT NOT NULL,
            scenario TEXT,
            source TEXT NOT NULL CHECK (source IN ('practice', 'imported_call', 'bundle')),
            audio_path TEXT,
            duration_s REAL NOT NULL,
            rubric_version TEXT NOT NULL,
            overall INTEGER NOT NULL,
            corrected_overall INTEGER,
            transcript_sha256 TEXT NOT NULL,
            extras_json TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX sessions_person_started ON sessions(person_id, started_at);
        CREATE INDEX sessions_started ON sessions(started_at);
        CREATE INDEX sessions_checksum ON sessions(transcript_sha256);
        CREATE TABLE turns (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            speaker TEXT NOT NULL CHECK (speaker IN ('rep', 'customer')),
            start_s REAL NOT NULL,
            end_s REAL NOT NULL,
            text TEXT NOT NULL,
            UNIQUE (session_id, idx)
        );
        CREATE TABLE words (
            turn_id INTEGER PRIMARY KEY REFERENCES turns(id) ON DELETE CASCADE,
            texts_json TEXT NOT NULL,  -- the turn's words as recognised, a JSON list
            timings BLOB NOT NULL  -- little-endian float64 (start_s, end_s, conf) per word; one row per turn
        );
        CREATE TABLE findings (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            kind TEXT NOT NULL,
            turn INTEGER NOT NULL,
            start_s REAL NOT NULL,
            end_s REAL NOT NULL,
            quote TEXT NOT NULL,
            reason TEXT NOT NULL,
            tip TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'automatic' CHECK (origin IN ('automatic', 'trainer')),
            rejected INTEGER NOT NULL DEFAULT 0 CHECK (rejected IN (0, 1))
        );
        CREATE INDEX findings_session ON findings(session_id, idx);
        CREATE INDEX findings_origin_kind ON findings(origin, kind);
        CREATE TABLE scores (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            view TEXT NOT NULL CHECK (view IN ('automatic', 'corrected')),
            position INTEGER NOT NULL,
            dimension TEXT NOT NULL,
            label TEXT NOT NULL,
            score INTEGER NOT NULL,
            weight REAL NOT NULL,
            explanation TEXT NOT NULL,
            tip TEXT NOT NULL DEFAULT '',
            evidence_json TEXT NOT NULL,
            PRIMARY KEY (session_id, view, dimension)
        ) WITHOUT ROWID;
        CREATE TABLE metrics (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            view TEXT NOT NULL CHECK (view IN ('automatic', 'corrected')),
            name TEXT NOT NULL,
            value,  -- no declared type: integers stay integers, counts and seconds keep their type
            PRIMARY KEY (session_id, view, name)
        ) WITHOUT ROWID;
        """
    )


@migrations()
def m002_comments_corrections(db: Database) -> None:
    """Why: trainers review sessions, pinning comments to a moment and correcting wrong or missed findings."""
    db.executescript(
        """
        CREATE TABLE comments (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            author_id INTEGER REFERENCES people(id),
            body TEXT NOT NULL,
            at_s REAL,
            turn INTEGER,
            created_at TEXT NOT NULL
        );
        CREATE INDEX comments_session ON comments(session_id);
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
            action TEXT NOT NULL CHECK (action IN ('rejected', 'added')),
            note TEXT NOT NULL DEFAULT '',
            author_id INTEGER REFERENCES people(id),
            created_at TEXT NOT NULL
        );
        CREATE INDEX corrections_session ON corrections(session_id);
        """
    )


@migrations()
def m003_tags_goals_settings(db: Database) -> None:
    """Why: reps organise sessions with tags and set goals; preferences that differ from defaults live here."""
    db.executescript(
        """
        CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE session_tags (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            PRIMARY KEY (session_id, tag_id)
        ) WITHOUT ROWID;
        CREATE TABLE goals (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            metric TEXT NOT NULL,
            op TEXT NOT NULL CHECK (op IN ('>=', '<=')),
            target REAL NOT NULL,
            label TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE settings (key TEXT PRIMARY KEY, value_json TEXT NOT NULL);
        """
    )


@migrations()
def m004_full_text_search(db: Database) -> None:
    """Why: find sessions by what was said or commented; FTS5 indexes kept in sync by triggers."""
    _table(db, "turns").enable_fts(["text"], create_triggers=True, tokenize="unicode61")
    _table(db, "comments").enable_fts(["body"], create_triggers=True, tokenize="unicode61")


@migrations()
def m005_repair_unreadable_values(db: Database) -> None:
    """Why: older versions stored any start time a bundle gave and comments pinned at inf or a negative time,
    which crashed progress and reports; such start times become the epoch (the text kept in extras_json) and
    such pins are dropped (the comment stays, for the whole session)."""
    db.conn.create_function("unreadable_time", 1, lambda text: parse_datetime(text) is None, deterministic=True)
    db.execute(
        "UPDATE sessions SET extras_json = json_set(coalesce(json(extras_json), '{}'), '$.unreadable_started_at', "
        "started_at), started_at = '1970-01-01T00:00:00+00:00' WHERE unreadable_time(started_at)"
    )
    db.execute("UPDATE comments SET at_s = NULL WHERE at_s < 0 OR at_s > ?", [MAX_SECONDS])


@migrations()
def m006_score_breakdown(db: Database) -> None:
    """Why: show how each finding moved a score; NULL for sessions scored before this step."""
    db.execute("ALTER TABLE scores ADD COLUMN breakdown_json TEXT")


@migrations()
def m007_batch_imports(db: Database) -> None:
    """Why: a folder of recordings is imported as a batch that a rerun resumes: each file's checksum and state."""
    db.executescript(
        """
        CREATE TABLE batches (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            tags_json TEXT NOT NULL DEFAULT '[]'  -- tags given to every session the batch saves
        );
        CREATE TABLE batch_items (
            id INTEGER PRIMARY KEY,
            batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            rep TEXT NOT NULL,  -- the rep the session is saved for
            checksum TEXT,  -- SHA-256 of the file's bytes; NULL when it could not be read
            state TEXT NOT NULL CHECK (state IN ('queued', 'done', 'failed', 'skipped')),
            error TEXT,  -- why it failed or was skipped
            session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (batch_id, path)
        );
        CREATE INDEX batch_items_checksum ON batch_items(checksum, state);
        """
    )


@migrations()
def m008_speaker_confidence_voice_prints(db: Database) -> None:
    """Why: Review flags turns whose speaker the voice separation was unsure of, and a rep's known voice (a mean
    speaker embedding from their own practice recordings) names the rep in one-track recordings."""
    db.executescript(
        """
        ALTER TABLE turns ADD COLUMN speaker_conf REAL CHECK (speaker_conf IS NULL OR speaker_conf BETWEEN 0 AND 1);
        CREATE TABLE voice_prints (
            person_id INTEGER PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
            embedding BLOB NOT NULL,  -- little-endian float32 × 256, unit length
            speech_s REAL NOT NULL,  -- how much of the rep's speech it averages
            updated_at TEXT NOT NULL
        );
        """
    )


@migrations()
def m009_transcript_notes(db: Database) -> None:
    """Why: what the user should check about how a recording was transcribed (only one voice heard, a third
    voice, a dead channel) is shown in Review whenever the session is opened, not only while it is imported."""
    db.execute("ALTER TABLE sessions ADD COLUMN transcript_notes_json TEXT NOT NULL DEFAULT '[]'")
