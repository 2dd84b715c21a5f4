"""Full-text search over turns and comments, kept in sync as sessions and comments come and go."""

from session_factory import make_scorecard, make_transcript

from coach_app.storage.db import open_db
from coach_app.storage.search import search_text
from coach_app.storage.sessions import add_comment, delete_session, save_session


def test_search_finds_turns_and_comments_with_snippets(tmp_path):
    """Words from a turn and from a comment are found, highlighted, and filtered by rep."""
    db = open_db(tmp_path / "coach.db")
    t = make_transcript(6)
    sam = save_session(db, t, make_scorecard(t), "Sam", "drone")
    ana = save_session(db, t, make_scorecard(t), "Ana", "drone too")
    add_comment(db, sam, "Lovely paraphrase of the birthday worry", turn=3)
    hits = search_text(db, "courier")
    assert {h.session_id for h in hits} == {sam, ana}
    assert all("[courier]" in h.snippet and h.source == "turn" for h in hits)
    paraphrase = search_text(db, "paraphrase")
    assert [(h.session_id, h.source, h.turn) for h in paraphrase] == [(sam, "comment", 3)]
    assert {h.session_id for h in search_text(db, "birthday", rep="Ana")} == {ana}
    assert search_text(db, 'express "delivery') and search_text(db, "AND OR ( *") == []
    delete_session(db, sam)
    assert {h.session_id for h in search_text(db, "courier")} == {ana}
    assert search_text(db, "paraphrase") == []
    db.close()
