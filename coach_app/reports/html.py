"""Self-contained HTML reports (charts embedded as base64 PNG): one session, or a rep's progress over a range."""

import base64
from collections.abc import Sequence
from html import escape

from matplotlib.figure import Figure

from coach_app.reports.charts import (
    behaviour_figure,
    figure_bytes,
    radar_figure,
    scorecard_figure,
    timeline_figure,
    trend_figure,
)
from coach_app.scoring.kinds import kind_label
from coach_app.storage.progress import Progress
from coach_app.storage.records import SessionSummary, StoredSession

STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.4}
h1{margin-bottom:.2rem} .meta{color:#555} img{max-width:100%} table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
.finding{border-left:4px solid #2c7fb8;padding:.2rem .8rem;margin:.6rem 0}
.rejected{opacity:.55;text-decoration:line-through} .trainer{border-color:#1a9850}
.quote{font-style:italic} .rep{color:#1b7a5a} .customer{color:#3b4f8c} .time{color:#777;font-size:.85em}
a.time{text-decoration:none}
"""


def _page(title: str, body: list[str]) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def _img(fig: Figure, alt: str) -> str:
    data = base64.b64encode(figure_bytes(fig, "png", dpi=90)).decode("ascii")
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes:02d}:{secs:02d}"


def session_report_html(stored: StoredSession) -> str:
    """Scorecard, every finding with quote, time, reason and tip, trainer comments, charts and the transcript."""
    s, card = stored.summary, stored.scorecard
    body = [
        f"<h1>{escape(s.title)}</h1>",
        f'<p class="meta">Rep {escape(s.rep)} · {escape(s.started_at)} · {s.duration_s / 60:.1f} min · '
        f"rubric {escape(s.rubric_version)}</p>",
        f"<h2>Overall {card.overall}/100</h2>",
    ]
    if stored.corrected is not None:
        body.append(f"<p>Corrected by a trainer; the automatic overall score was {s.automatic_overall}.</p>")
    body += [f"<p><b>Note:</b> {escape(note)}</p>" for note in stored.transcript.notes]
    body.append(_img(scorecard_figure(stored.automatic, stored.corrected), "Scores per dimension"))
    body.append("<table><tr><th>Dimension</th><th>Score</th><th>Why</th><th>To improve</th></tr>")
    for d in card.dimensions:
        body.append(
            f"<tr><td>{escape(d.label)}</td><td>{d.score}</td><td>{escape(d.explanation)}</td>"
            f"<td>{escape(d.tip)}</td></tr>"
        )
    body += ["</table>", "<h2>Timeline</h2>", _img(timeline_figure(stored.transcript, card.findings), "Timeline")]
    body.append("<h2>Findings</h2>")
    for f in stored.findings:
        css = "finding" + (" rejected" if f.rejected else "") + (" trainer" if f.origin == "trainer" else "")
        note = (
            " (marked wrong by a trainer)" if f.rejected else " (added by a trainer)" if f.origin == "trainer" else ""
        )
        x = f.finding
        time = clock(x.start_s)
        when = (
            f'<a class="time" href="#turn-{x.turn}">{time}</a>' if x.turn >= 0 else f'<span class="time">{time}</span>'
        )
        body.append(
            f'<div class="{css}">{when} '
            f"<b>{escape(kind_label(x.kind))}</b>{note}: "
            f'<span class="quote">\u201c{escape(x.quote)}\u201d</span><br>'
            f"Why: {escape(x.reason)}<br>Tip: {escape(x.tip)}</div>"
        )
    if stored.comments:
        body.append("<h2>Trainer comments</h2><ul>")
        for c in stored.comments:
            where = clock(c.at_s) if c.at_s is not None else f"turn {c.turn}" if c.turn is not None else "general"
            body.append(
                f'<li><span class="time">{where}</span> <b>{escape(c.author or "trainer")}</b>: {escape(c.body)}</li>'
            )
        body.append("</ul>")
    body.append("<h2>Transcript</h2><table>")
    for i, t in enumerate(stored.transcript.turns):
        body.append(
            f'<tr><td class="time">{clock(t.start_s)}</td><td class="{t.speaker}">{t.speaker}</td>'
            f'<td id="turn-{i}">{escape(t.text)}</td></tr>'
        )
    body.append("</table>")
    return _page(f"Session report: {s.title}", body)


def progress_report_html(progress: Progress, summaries: Sequence[SessionSummary], period: str) -> str:
    """A rep's progress over a period: charts, bests, streaks, goals, most-missed findings, sessions table."""
    body = [f"<h1>Progress of {escape(progress.rep)}</h1>", f'<p class="meta">{escape(period)}</p>']
    if not progress.session_ids:
        body.append("<p>No sessions in this period.</p>")
        return _page(f"Progress report: {progress.rep}", body)
    info = progress.to_dict()
    body.append(
        f"<p>{info['sessions']} sessions · latest overall {info['latest_overall']} · "
        f"current streak {progress.current_streak_days} days (longest {progress.longest_streak_days})</p>"
    )
    if progress.weakest_this_week:
        key, mean = progress.weakest_this_week
        label = progress.dimension_labels.get(key, key)
        body.append(f"<p>Weakest this week: <b>{escape(label)}</b> (mean {mean:.0f}).</p>")
    body += [
        _img(trend_figure(progress), "Score trends"),
        _img(radar_figure(progress), "Dimension scores: first, latest, best"),
        _img(behaviour_figure(progress), "Behaviours over time"),
        "<h2>Personal bests</h2><table><tr><th>Dimension</th><th>Best</th><th>Session</th></tr>",
    ]
    for key, (score, session_id) in progress.personal_bests.items():
        label = "Overall" if key == "overall" else progress.dimension_labels.get(key, key)
        body.append(f"<tr><td>{escape(label)}</td><td>{score}</td><td>{session_id}</td></tr>")
    body.append("</table>")
    if progress.goals:
        body.append("<h2>Goals</h2><ul>")
        for g in progress.goals:
            latest = "n/a" if g.latest_value is None else f"{g.latest_value:g}"
            body.append(
                f"<li>{escape(g.goal.label)}: met in {g.met_recent} of the last {g.recent} sessions "
                f"(latest {latest})</li>"
            )
        body.append("</ul>")
    if progress.most_missed:
        missed = ", ".join(f"{escape(kind_label(k))} ({n})" for k, n in progress.most_missed)
        body.append(f"<h2>Most often missed</h2><p>{missed}</p>")
    body.append("<h2>Sessions</h2><table><tr><th>Id</th><th>Started</th><th>Title</th><th>Overall</th></tr>")
    for s in summaries:
        body.append(
            f"<tr><td>{s.id}</td><td>{escape(s.started_at[:16])}</td><td>{escape(s.title)}</td>"
            f"<td>{s.overall}</td></tr>"
        )
    body.append("</table>")
    return _page(f"Progress report: {progress.rep}", body)
