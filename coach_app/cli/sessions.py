"""`coach-app sessions list|show|delete|search|tag|comment|speakers`: browse and manage the sessions library."""

import argparse
import json
import threading

from coach_app import session
from coach_app.cli.analyze import render_text
from coach_app.cli.arguments import count, iso_date, seconds, session_id, turn_index
from coach_app.errors import CoachError
from coach_app.reports.csv_export import write_sessions_csv
from coach_app.settings import load_settings
from coach_app.storage.db import open_db
from coach_app.storage.records import StoredSession
from coach_app.storage.search import search_text
from coach_app.storage.sessions import add_comment, delete_session, list_sessions, load_session, set_tags


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sessions", help="list, show, search and delete stored sessions")
    commands = parser.add_subparsers(title="actions", metavar="ACTION", required=True)

    listing = commands.add_parser("list", help="list stored sessions, newest first")
    listing.add_argument("--rep", help="only this rep's sessions")
    listing.add_argument("--since", type=iso_date, metavar="DATE", help="only sessions from this date (YYYY-MM-DD)")
    listing.add_argument("--until", type=iso_date, metavar="DATE", help="only sessions before this date (YYYY-MM-DD)")
    listing.add_argument("--tag", help="only sessions with this tag")
    listing.add_argument("--limit", type=count, help="at most this many sessions")
    listing.add_argument("--json", action="store_true", help="print a JSON list of sessions")
    listing.add_argument("--csv", metavar="OUT.csv", help="write the sessions and their scores to a CSV file")
    listing.set_defaults(func=run_list)

    show = commands.add_parser("show", help="show a stored session's scorecard, findings and comments")
    show.add_argument("session", type=session_id, metavar="SESSION", help="session id (see `sessions list`)")
    show.add_argument("--json", action="store_true", help="print the session as JSON")
    show.set_defaults(func=run_show)

    delete = commands.add_parser("delete", help="delete a session and its recording")
    delete.add_argument("session", type=session_id, metavar="SESSION")
    delete.set_defaults(func=run_delete)

    search = commands.add_parser("search", help="find sessions by words said or written in comments")
    search.add_argument("text", help="words to find (all must match)")
    search.add_argument("--rep", help="only this rep's sessions")
    search.add_argument("--json", action="store_true", help="print a JSON list of matches")
    search.set_defaults(func=run_search)

    tag = commands.add_parser("tag", help="replace a session's tags")
    tag.add_argument("session", type=session_id, metavar="SESSION")
    tag.add_argument("tags", nargs="*", metavar="TAG", help="the tags to keep (none removes every tag)")
    tag.set_defaults(func=run_tag)

    comment = commands.add_parser("comment", help="add a trainer comment to a session")
    comment.add_argument("session", type=session_id, metavar="SESSION")
    comment.add_argument("text", help="the comment")
    pin = comment.add_mutually_exclusive_group()
    pin.add_argument("--at", type=seconds, metavar="SECONDS", help="pin the comment to this moment")
    pin.add_argument("--turn", type=turn_index, help="pin the comment to this turn (0 = first)")
    comment.add_argument("--author", help="who wrote it")
    comment.set_defaults(func=run_comment)

    speakers = commands.add_parser("speakers", help="correct who said what, then re-score the session")
    speakers.add_argument("session", type=session_id, metavar="SESSION")
    fix = speakers.add_mutually_exclusive_group(required=True)
    fix.add_argument("--swap", action="store_true", help="exchange rep and customer in every turn")
    fix.add_argument("--turn", type=turn_index, metavar="N", help="give turn N (0 = first) to --speaker")
    speakers.add_argument("--speaker", choices=("rep", "customer"), help="with --turn: who really said it")
    speakers.set_defaults(func=run_speakers)


def run_list(args: argparse.Namespace) -> int:
    with open_db() as db, db.atomic():
        summaries = list_sessions(db, rep=args.rep, since=args.since, until=args.until, tag=args.tag, limit=args.limit)
        if args.csv:
            write_sessions_csv(db, summaries, args.csv)
    if args.csv:
        print(f"Wrote {len(summaries)} sessions to {args.csv}.")
    elif args.json:
        print(json.dumps([s.to_dict() for s in summaries], indent=2, ensure_ascii=False))
    elif not summaries:
        print("No sessions stored yet: save one with `coach-app analyze TRANSCRIPT.json --save`.")
    else:
        print(f"{'ID':>5}  {'STARTED':<19}  {'SCORE':>5}  {'REP':<16}  TITLE")
        for s in summaries:
            print(f"{s.id:>5}  {s.started_at[:19]:<19}  {s.overall:>5}  {s.rep[:16]:<16}  {s.title}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    with open_db() as db:
        stored = load_session(db, args.session)
    print(json.dumps(session_to_dict(stored), indent=2, ensure_ascii=False) if args.json else _show_text(stored))
    return 0


def session_to_dict(stored: StoredSession) -> dict:
    """A stored session as JSON: summary, the scorecard shown (and the automatic one), findings with ids, notes."""
    return {
        **stored.summary.to_dict(),
        "scorecard": stored.scorecard.to_dict(),
        "automatic_scorecard": stored.automatic.to_dict(),
        "findings": [
            {"id": f.id, **f.finding.to_dict(), "origin": f.origin, "rejected": f.rejected} for f in stored.findings
        ],
        "comments": [c.to_dict() for c in stored.comments],
        "transcript": stored.transcript.to_dict(),
    }


def _show_text(stored: StoredSession) -> str:
    s = stored.summary
    lines = [f"Session {s.id}: {s.title}", f"Rep: {s.rep}   Started: {s.started_at}   Length: {s.duration_s:.0f} s"]
    if stored.corrected is not None:
        lines.append(f"Corrected by a trainer (automatic overall was {s.automatic_overall}).")
    lines += [f"Note: {note}" for note in stored.transcript.notes]
    lines += ["", render_text(stored.scorecard)]
    if stored.comments:
        lines += ["", "Trainer comments:"]
        for c in stored.comments:
            where = (
                f"at {c.at_s:.0f} s" if c.at_s is not None else f"turn {c.turn}" if c.turn is not None else "general"
            )
            lines.append(f"  [{where}] {c.author or 'trainer'}: {c.body}")
    return "\n".join(lines)


def run_delete(args: argparse.Namespace) -> int:
    with open_db() as db:
        delete_session(db, args.session)
    print(f"Deleted session {args.session} and its recording.")
    return 0


def run_search(args: argparse.Namespace) -> int:
    with open_db() as db:
        hits = search_text(db, args.text, rep=args.rep)
    if args.json:
        print(json.dumps([h.to_dict() for h in hits], indent=2, ensure_ascii=False))
    elif not hits:
        print(f"Nothing found for {args.text!r}.")
    else:
        for h in hits:
            where = f"turn {h.turn}" if h.source == "turn" else "comment"
            print(f"{h.session_id:>5}  {h.started_at[:10]}  {h.rep[:16]:<16}  {where:<8}  {h.snippet}")
    return 0


def run_comment(args: argparse.Namespace) -> int:
    with open_db() as db:
        comment_id = add_comment(db, args.session, args.text, at_s=args.at, turn=args.turn, author=args.author)
    print(f"Added comment {comment_id} to session {args.session}.")
    return 0


def run_tag(args: argparse.Namespace) -> int:
    with open_db() as db:
        set_tags(db, args.session, args.tags)
    print(f"Session {args.session} tags: {', '.join(sorted(set(args.tags))) or 'none'}.")
    return 0


def run_speakers(args: argparse.Namespace) -> int:
    if args.turn is not None and args.speaker is None:
        raise CoachError("Say who spoke the turn: add --speaker rep or --speaker customer.")
    with open_db() as db:
        settings = load_settings(db)
    quiet, cancel = (lambda fraction, message: None), threading.Event()
    if args.swap:
        overall = session.swap_speakers(args.session, settings, on_progress=quiet, cancel=cancel)
    else:
        overall = session.reassign_turn(
            args.session, args.turn, args.speaker, settings, on_progress=quiet, cancel=cancel
        )
    print(f"Session {args.session} re-scored with the corrected speakers: overall {overall}/100.")
    return 0
