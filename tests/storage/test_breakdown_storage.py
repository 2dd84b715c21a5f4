"""Score breakdowns survive saving, trainer corrections, `sessions show --json` and a bundle round trip."""

import json
from pathlib import Path

import pytest

from coach_app.analysis import analyze
from coach_app.cli import main
from coach_app.storage.bundle_import import import_bundle
from coach_app.storage.bundles import export_bundle
from coach_app.storage.corrections import reject_finding
from coach_app.storage.db import open_db
from coach_app.storage.sessions import load_session, save_session
from coach_app.transcript_io import load_transcript

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "coach.db")
    yield database
    database.close()


def adds_up(breakdown: dict) -> bool:
    return all(
        max(0, min(100, d["base"] + sum(i["points"] for i in d["items"]))) == d["score"] for d in breakdown.values()
    )


def test_saved_session_keeps_the_analysis_breakdown(db):
    """Loading a saved session gives back the very breakdown the analysis produced."""
    transcript = load_transcript(SAMPLES / "birthday_gift_good.json")
    card = analyze(transcript)
    session_id = save_session(db, transcript, card, rep="Sam", title="gift")
    stored = load_session(db, session_id)
    assert stored.automatic.to_dict()["breakdown"] == card.to_dict()["breakdown"]
    assert any(d.items for d in stored.automatic.dimensions)


def test_corrected_view_has_its_own_breakdown(db):
    """After a trainer rejects an empathy finding, the corrected breakdown no longer lists it and still adds up."""
    transcript = load_transcript(SAMPLES / "birthday_gift_good.json")
    session_id = save_session(db, transcript, analyze(transcript), rep="Sam", title="gift")
    empathy = next(f for f in load_session(db, session_id).findings if f.finding.kind == "empathy")
    reject_finding(db, empathy.id, author="Tess")
    corrected = load_session(db, session_id).corrected.to_dict()["breakdown"]
    automatic = load_session(db, session_id).automatic.to_dict()["breakdown"]
    assert adds_up(corrected)
    assert len(corrected["empathy"]["items"]) == len(automatic["empathy"]["items"]) - 1


def test_sessions_show_json_prints_the_breakdown(capsys):
    """`coach-app sessions show ID --json` has a top-level `breakdown` beside `scores`, and it adds up."""
    transcript = load_transcript(SAMPLES / "billing_double_charge_good.json")
    library = open_db()
    try:
        session_id = save_session(library, transcript, analyze(transcript), rep="Sam", title="bill")
    finally:
        library.close()
    assert main(["sessions", "show", str(session_id), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)["scorecard"]
    assert set(shown["breakdown"]) == set(shown["scores"]) - {"overall"}
    assert adds_up(shown["breakdown"])


def test_bundles_carry_the_breakdown(db, tmp_path):
    """An exported bundle imports elsewhere with the same breakdown."""
    transcript = load_transcript(SAMPLES / "billing_double_charge_good.json")
    session_id = save_session(db, transcript, analyze(transcript), rep="Sam", title="bill")
    bundle = export_bundle(db, session_id, tmp_path / "bill.zip")
    other = open_db(tmp_path / "other.db")
    try:
        imported = import_bundle(other, bundle).session_id
        assert (
            load_session(other, imported).automatic.to_dict()["breakdown"]
            == load_session(db, session_id).automatic.to_dict()["breakdown"]
        )
    finally:
        other.close()
