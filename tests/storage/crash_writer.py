"""The crash test's writer: keeps saving, commenting, tagging, correcting and deleting sessions until killed."""

from collections.abc import Callable

from session_factory import make_scorecard, make_transcript

from coach_app.storage.corrections import reject_finding
from coach_app.storage.db import open_db
from coach_app.storage.sessions import add_comment, delete_session, save_session, set_tags


def main(path: str, on_ready: Callable[[], object]) -> None:
    db = open_db(path)
    transcript = make_transcript(40)
    scorecard = make_scorecard(transcript)
    on_ready()
    n = 0
    while True:
        n += 1
        session_id = save_session(db, transcript, scorecard, f"Rep {n % 3}", f"session {n}")
        add_comment(db, session_id, f"comment {n}", turn=n % 40)
        set_tags(db, session_id, [f"t{n % 5}", "crash"])
        if n % 3 == 0:  # a trainer correction: flag, correction row and corrected scores in one transaction
            first = db.execute("SELECT min(id) FROM findings WHERE session_id = ?", [session_id]).fetchone()[0]
            reject_finding(db, first, note=f"wrong {n}")
        if n % 4 == 0:
            delete_session(db, session_id)
