"""Full-text search (SQLite FTS5) over what was said in sessions and what trainers wrote about them."""

from sqlite_utils import Database

from coach_app.storage.records import SearchHit

SNIPPET_TOKENS = 12


def fts_query(text: str) -> str:
    """Turn what the user typed into an FTS5 query that matches all words, so quotes or symbols never break it."""
    words = [w for w in text.split() if any(ch.isalnum() for ch in w)]
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def search_text(db: Database, text: str, rep: str | None = None, limit: int = 50) -> list[SearchHit]:
    """Turns and comments containing every word of `text`, best matches first, with `[highlighted]` snippets."""
    query = fts_query(text)
    if not query:
        return []
    rep_filter, params = ("AND p.name = ?", [rep]) if rep is not None else ("", [])
    sql = f"""
    SELECT * FROM (
        SELECT s.id, s.title, p.name, s.started_at, 'turn', t.idx, t.start_s,
               snippet(turns_fts, 0, '[', ']', '…', {SNIPPET_TOKENS}), turns_fts.rank
        FROM turns_fts JOIN turns t ON t.id = turns_fts.rowid JOIN sessions s ON s.id = t.session_id
        JOIN people p ON p.id = s.person_id
        WHERE turns_fts MATCH ? {rep_filter}
        UNION ALL
        SELECT s.id, s.title, p.name, s.started_at, 'comment', c.turn, c.at_s,
               snippet(comments_fts, 0, '[', ']', '…', {SNIPPET_TOKENS}), comments_fts.rank
        FROM comments_fts JOIN comments c ON c.id = comments_fts.rowid JOIN sessions s ON s.id = c.session_id
        JOIN people p ON p.id = s.person_id
        WHERE comments_fts MATCH ? {rep_filter}
    ) ORDER BY 9, 4 DESC LIMIT ?
    """
    rows = db.execute(sql, [query, *params, query, *params, limit]).fetchall()
    return [SearchHit(*row[:8]) for row in rows]
