"""Trainer corrections and rescoring on real sample conversations analysed by the real engine."""

import re
import threading
from pathlib import Path

import pytest

from coach_app.analysis import analyze
from coach_app.core import Finding
from coach_app.errors import Cancelled, StorageError
from coach_app.scoring.rubric import load_rubric
from coach_app.storage.corrections import add_missed_finding, reject_finding, rescore_all
from coach_app.storage.db import open_db
from coach_app.storage.sessions import load_session, save_session
from coach_app.transcript_io import load_transcript

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "coach.db")
    yield database
    database.close()


def _save_sample(db, name: str) -> int:
    transcript = load_transcript(SAMPLES / name)
    return save_session(db, transcript, analyze(transcript), rep="Sam", title=name)


def test_rejecting_a_finding_keeps_automatic_view_and_lowers_corrected(db):
    """Marking the empathy findings wrong lowers the corrected empathy score; the automatic view is unchanged. (One
    of five in a short call may not: rewards are a rate per rep turn, and four in eight turns is still the most.)"""
    session_id = _save_sample(db, "birthday_gift_good.json")
    before = load_session(db, session_id)
    empathies = [f for f in before.findings if f.finding.kind == "empathy"]
    for empathy in empathies:
        reject_finding(db, empathy.id, note="that was sarcastic", author="Tess")
    after = load_session(db, session_id)
    assert after.automatic == before.automatic
    assert after.corrected is not None
    corrected = {d.dimension: d.score for d in after.corrected.dimensions}
    automatic = {d.dimension: d.score for d in after.automatic.dimensions}
    assert corrected["empathy"] < automatic["empathy"]
    assert not any(empathy.finding in after.corrected.findings for empathy in empathies)
    assert after.summary.overall == after.corrected.overall <= after.summary.automatic_overall
    assert [(c.action, c.note, c.author) for c in after.corrections] == [
        ("rejected", "that was sarcastic", "Tess")
    ] * len(empathies)


def test_adding_a_missed_reflection_counts_and_scores(db):
    """A trainer-added reflection raises the corrected reflections count and reflecting score."""
    session_id = _save_sample(db, "birthday_gift_poor.json")
    stored = load_session(db, session_id)
    rep_turn = next(i for i, t in enumerate(stored.transcript.turns) if t.speaker == "rep")
    turn = stored.transcript.turns[rep_turn]
    missed = Finding("reflection", rep_turn, turn.start_s, turn.end_s, turn.text[:30], "restated", "keep doing it")
    finding_id = add_missed_finding(db, session_id, missed, author="Tess")
    after = load_session(db, session_id)
    assert after.corrected.metrics["reflections"] == stored.automatic.metrics["reflections"] + 1
    dims = {d.dimension: d.score for d in after.corrected.dimensions}
    assert (
        dims["reflecting_summarising"]
        > {d.dimension: d.score for d in after.automatic.dimensions}["reflecting_summarising"]
    )
    added = next(f for f in after.findings if f.id == finding_id)
    assert added.origin == "trainer" and added.finding == missed
    with pytest.raises(StorageError, match="No finding has id"):
        reject_finding(db, 999_999)


def test_rescore_all_applies_new_rubric_and_keeps_corrections(db, tmp_path):
    """Rescoring with a changed rubric updates every session's scores while rejections and additions survive."""
    ids = [_save_sample(db, name) for name in ("birthday_gift_good.json", "telecom_complaint_poor_asr.json")]
    first = load_session(db, ids[0])
    rejected = [f for f in first.findings if f.finding.kind == "empathy"]
    for finding in rejected:
        reject_finding(db, finding.id)
    text = (SAMPLES.parents[1] / "resources" / "rubrics" / "default.toml").read_text()
    changed = tmp_path / "strict.toml"
    changed.write_text(
        re.sub(r"^base = \d+", "base = 10", text.replace('version = "', 'version = "strict-'), flags=re.M)
    )
    progress: list[float] = []
    assert rescore_all(db, load_rubric(changed), on_progress=lambda f, m: progress.append(f)) == 2
    assert progress == [0.5, 1.0]
    after = load_session(db, ids[0])
    assert after.summary.rubric_version.startswith("strict-")
    assert after.summary.automatic_overall < first.summary.automatic_overall
    still = next(f for f in after.findings if f.id == rejected[0].id)
    assert still.rejected and still.finding not in after.corrected.findings
    corrected = {d.dimension: d.score for d in after.corrected.dimensions}
    automatic = {d.dimension: d.score for d in after.automatic.dimensions}
    assert corrected["empathy"] < automatic["empathy"]  # the rejection still counts under the new rubric
    assert after.corrected.overall <= after.automatic.overall


def test_rescore_all_can_be_cancelled(db):
    """A set cancel event stops rescoring with a Cancelled error before touching any session."""
    session_id = _save_sample(db, "subscription_cancel_poor.json")
    cancel = threading.Event()
    cancel.set()
    before = load_session(db, session_id)
    with pytest.raises(Cancelled):
        rescore_all(db, cancel=cancel)
    assert load_session(db, session_id) == before


def test_rescore_keeps_voice_findings_from_the_audio(db):
    """Findings from voice analysis cannot be re-derived from the transcript, so rescoring keeps them."""
    transcript = load_transcript(SAMPLES / "birthday_gift_good.json")
    voice = Finding("voice_pace_fast", 1, 4.0, 9.0, "", "spoke fast", "slow down")
    session_id = save_session(db, transcript, analyze(transcript, extra_findings=[voice]), "Sam", "voice")
    rescore_all(db)
    assert voice in load_session(db, session_id).automatic.findings
