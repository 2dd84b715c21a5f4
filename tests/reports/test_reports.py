"""Session and progress reports as self-contained HTML and as PDF, and the sessions CSV export."""

import csv
import io
import re
from datetime import date
from html import escape
from pathlib import Path

import pytest

from coach_app.analysis import analyze
from coach_app.reports.csv_export import sessions_csv
from coach_app.reports.html import progress_report_html, session_report_html
from coach_app.reports.pdf import progress_report_pdf, session_report_pdf
from coach_app.storage.corrections import reject_finding
from coach_app.storage.db import open_db
from coach_app.storage.progress import rep_progress
from coach_app.storage.sessions import add_comment, list_sessions, load_session, save_session
from coach_app.transcript_io import load_transcript

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


@pytest.fixture
def library(tmp_path):
    db = open_db(tmp_path / "coach.db")
    for day, name in enumerate(sorted(SAMPLES.glob("*.json")), start=1):
        transcript = load_transcript(name)
        save_session(db, transcript, analyze(transcript), "Sam", name.stem, started_at=f"2026-11-{day:02d}T09:00:00")
    yield db
    db.close()


def test_session_html_has_every_finding_comment_and_turn(library):
    """The HTML report quotes every finding with its tip, shows comments and the transcript, and embeds charts."""
    session_id = list_sessions(library)[0].id
    add_comment(library, session_id, "Try a pause <here> & listen", at_s=5.0, author="Tess")
    stored = load_session(library, session_id)
    page = session_report_html(stored)
    for f in stored.findings:
        assert escape(f.finding.quote) in page
        assert escape(f.finding.tip) in page
        if f.finding.turn >= 0:  # whole-conversation findings (turn -1) have no turn to link to
            assert f'href="#turn-{f.finding.turn}"' in page and f'id="turn-{f.finding.turn}"' in page
    assert "Try a pause &lt;here&gt; &amp; listen" in page
    assert all(escape(t.text) in page for t in stored.transcript.turns)
    assert len(re.findall(r'src="data:image/png;base64,[A-Za-z0-9+/=]{1000,}"', page)) == 2
    assert "http://" not in page and "https://" not in page


def test_session_html_marks_corrections(library):
    """A finding a trainer marked wrong is labelled so, and the corrected score is explained."""
    stored = load_session(library, list_sessions(library)[0].id)
    reject_finding(library, stored.findings[0].id)
    page = session_report_html(load_session(library, stored.summary.id))
    assert "marked wrong by a trainer" in page and "automatic overall score was" in page


def test_session_pdf_is_a_real_pdf(library, tmp_path):
    """The PDF report is a multi-page PDF file readable only by the user."""
    stored = load_session(library, list_sessions(library)[0].id)
    path = session_report_pdf(stored, tmp_path / "report.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 3
    assert path.stat().st_mode & 0o077 == 0


def test_progress_reports(library, tmp_path):
    """The progress report covers the date range in HTML (with charts) and PDF."""
    progress = rep_progress(library, "Sam", since="2026-11-02", until="2026-11-06", today=date(2026, 11, 6))
    summaries = list_sessions(library, rep="Sam", since="2026-11-02", until="2026-11-06")
    assert len(progress.session_ids) == len(summaries) == 4
    page = progress_report_html(progress, summaries, "2026-11-02 to 2026-11-05")
    assert page.count("data:image/png;base64,") == 3
    assert all(escape(s.title) in page for s in summaries)
    pdf = progress_report_pdf(progress, summaries, "2026-11-02 to 2026-11-05", tmp_path / "progress.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_sessions_csv_has_a_row_per_session_and_dimension_columns(library):
    """The CSV lists every session with its overall and per-dimension scores."""
    rows = list(csv.DictReader(io.StringIO(sessions_csv(library, list_sessions(library)))))
    assert len(rows) == len(list(SAMPLES.glob("*.json")))
    assert {"id", "rep", "overall", "empathy", "turn_taking"} <= set(rows[0])
    stored = load_session(library, int(rows[0]["id"]))
    assert int(rows[0]["empathy"]) == next(d.score for d in stored.scorecard.dimensions if d.dimension == "empathy")
