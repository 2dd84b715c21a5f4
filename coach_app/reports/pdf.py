"""PDF reports with matplotlib's PDF backend: chart pages, then wrapped text pages (findings, comments, transcript)."""

import io
import os
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from coach_app.files import write_private
from coach_app.reports.charts import behaviour_figure, radar_figure, scorecard_figure, timeline_figure, trend_figure
from coach_app.reports.html import clock
from coach_app.scoring.kinds import kind_label
from coach_app.storage.progress import Progress
from coach_app.storage.records import SessionSummary, StoredSession

A4_INCHES = (8.27, 11.69)
LINES_PER_PAGE = 64
WRAP_CHARS = 105


def text_pages(title: str, lines: Iterable[str]) -> list[Figure]:
    """A4 pages of wrapped text; a line starting with '# ' is a heading."""
    wrapped: list[str] = []
    for line in lines:
        pieces = textwrap.wrap(line, WRAP_CHARS, subsequent_indent="    ") if line else [""]
        wrapped.extend(pieces)
    pages = []
    for start in range(0, max(len(wrapped), 1), LINES_PER_PAGE):
        fig = Figure(figsize=A4_INCHES)
        fig.text(0.06, 0.97, title, fontsize=11, weight="bold", va="top", parse_math=False)
        for i, line in enumerate(wrapped[start : start + LINES_PER_PAGE]):
            heading = line.startswith("# ")
            fig.text(
                0.06,
                0.94 - i * 0.0138,
                line[2:] if heading else line,
                fontsize=9.5 if heading else 8,
                weight="bold" if heading else "normal",
                va="top",
                parse_math=False,
            )
        pages.append(fig)
    return pages


def _write(figures: Sequence[Figure], path: str | os.PathLike, title: str) -> Path:
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": title, "Creator": "Listening Coach"}) as pdf:
        for fig in figures:
            pdf.savefig(fig)
    return write_private(path, buffer.getvalue())


def session_report_pdf(stored: StoredSession, path: str | os.PathLike) -> Path:
    """Scorecard and timeline charts, then dimensions, every finding, trainer comments and the transcript."""
    s, card = stored.summary, stored.scorecard
    header = f"{s.title} · {s.rep} · {s.started_at[:16]} · overall {card.overall}/100"
    scores = scorecard_figure(stored.automatic, stored.corrected)
    scores.suptitle(header, fontsize=10)
    lines = [f"Note: {note}" for note in stored.transcript.notes]
    lines += ["# Dimensions"]
    for d in card.dimensions:
        lines += [f"{d.label}: {d.score}/100. {d.explanation}", f"To improve: {d.tip}"]
    lines += ["", "# Findings"]
    for f in stored.findings:
        x = f.finding
        mark = (
            " [marked wrong by a trainer]" if f.rejected else " [added by a trainer]" if f.origin == "trainer" else ""
        )
        lines += [
            f"{clock(x.start_s)}  {kind_label(x.kind)}{mark}: \u201c{x.quote}\u201d",
            f"    Why: {x.reason}",
            f"    Tip: {x.tip}",
        ]
    if stored.comments:
        lines += ["", "# Trainer comments"]
        for c in stored.comments:
            where = clock(c.at_s) if c.at_s is not None else f"turn {c.turn}" if c.turn is not None else "general"
            lines.append(f"[{where}] {c.author or 'trainer'}: {c.body}")
    lines += ["", "# Transcript"]
    lines += [f"{clock(t.start_s)}  {t.speaker}: {t.text}" for t in stored.transcript.turns]
    figures = [scores, timeline_figure(stored.transcript, card.findings), *text_pages(header, lines)]
    return _write(figures, path, f"Session report: {s.title}")


def progress_report_pdf(
    progress: Progress, summaries: Sequence[SessionSummary], period: str, path: str | os.PathLike
) -> Path:
    """Trend, radar and behaviour charts, then bests, goals, most-missed findings and the sessions list."""
    header = f"Progress of {progress.rep} · {period}"
    lines = [
        f"{len(progress.session_ids)} sessions; current streak {progress.current_streak_days} days "
        f"(longest {progress.longest_streak_days})."
    ]
    if progress.weakest_this_week:
        key, mean = progress.weakest_this_week
        lines.append(f"Weakest this week: {progress.dimension_labels.get(key, key)} (mean {mean:.0f}).")
    lines += ["", "# Personal bests"]
    for key, (score, session_id) in progress.personal_bests.items():
        lines.append(
            f"{'Overall' if key == 'overall' else progress.dimension_labels.get(key, key)}: {score} "
            f"(session {session_id})"
        )
    if progress.goals:
        lines += ["", "# Goals"]
        lines += [f"{g.goal.label}: met in {g.met_recent} of the last {g.recent} sessions" for g in progress.goals]
    if progress.most_missed:
        lines += ["", "# Most often missed", ", ".join(f"{kind_label(k)} ({n})" for k, n in progress.most_missed)]
    lines += ["", "# Sessions"] + [f"{s.id:>5}  {s.started_at[:16]}  {s.overall:>3}  {s.title}" for s in summaries]
    charts = (
        [trend_figure(progress), radar_figure(progress), behaviour_figure(progress)] if progress.session_ids else []
    )
    return _write([*charts, *text_pages(header, lines)], path, header)
