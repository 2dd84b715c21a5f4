"""matplotlib `Figure`s (never pyplot) for progress and single sessions, shared by the app, reports and CLI."""

import io
import math
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from coach_app.core import Finding, Scorecard, Transcript
from coach_app.files import write_private
from coach_app.scoring.kinds import NEGATIVE_KINDS, POSITIVE_KINDS
from coach_app.storage.progress import Progress

SPEAKER_COLOURS = {"customer": "#8da0cb", "rep": "#66c2a5"}
GOOD, BAD, NEUTRAL = "#1a9850", "#d73027", "#7f7f7f"
MARKERS_UP_TO = 300
# Behaviours a rep should do more of, and those to do less of: charted in separate panels.
GOOD_BEHAVIOURS = ("open_questions", "reflections", "summaries", "empathy_statements", "apologies", "action_plans")
BEHAVIOUR_LABELS = {
    "open_questions": "Open questions",
    "closed_questions": "Closed questions",
    "reflections": "Reflections",
    "summaries": "Summaries",
    "empathy_statements": "Empathy",
    "apologies": "Apologies",
    "action_plans": "Clear next steps",
    "interruptions": "Interruptions",
    "judgemental_phrases": "Judgemental or dismissive",
    "filler_words": "Filler words",
    "backchannels": "Backchannels",
}


def rolling_mean(values: Sequence[float | None], window: int) -> np.ndarray:
    """Mean of the last `window` known values at each point (missing values are skipped, not zeros)."""
    data = np.array(values, dtype=float)  # None becomes NaN
    known = ~np.isnan(data)
    sums = np.cumsum(np.where(known, data, 0.0))
    counts = np.cumsum(known)
    sums[window:] = sums[window:] - sums[:-window]
    counts[window:] = counts[window:] - counts[:-window]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def smoothing_window(sessions: int) -> int:
    """Sessions per rolling mean: 5 for a few dozen sessions, growing so thousands still show a trend."""
    return max(5, sessions // 50)


def trend_figure(progress: Progress, window: int | None = None) -> Figure:
    """Overall score per session with its rolling mean, and each dimension's rolling mean below it."""
    window = window or smoothing_window(len(progress.session_ids))
    fig = Figure(figsize=(8, 6), layout="constrained")  # labels are never clipped, whatever the window size
    top, bottom = fig.subplots(2, 1, sharex=True)
    bottom.xaxis.set_major_locator(MaxNLocator(integer=True))  # sessions are counted: 1, 2, 3, never 1.5
    x = np.arange(1, len(progress.overall) + 1)
    style = "o" if len(x) <= MARKERS_UP_TO else "-"  # thousands of markers only blur together and draw slowly
    top.plot(x, progress.overall, style, ms=3, lw=0.6, alpha=0.35, color=NEUTRAL, label="each session")
    top.plot(x, rolling_mean(progress.overall, window), color="#2c7fb8", lw=2.2, label=f"mean of last {window}")
    top.set(ylim=(0, 100), ylabel="Overall score", title=f"Progress of {progress.rep}")
    top.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    for key, series in progress.dimensions.items():
        bottom.plot(x, rolling_mean(series, window), lw=1.5, label=progress.dimension_labels.get(key, key))
    bottom.set(ylim=(0, 100), xlabel="Session", ylabel=f"Skills (mean of last {window})")
    if progress.dimensions:
        bottom.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7)
    return fig


def radar_figure(progress: Progress) -> Figure:
    """Dimension scores on a radar: the first session, the latest one, and the personal best of each."""
    fig = Figure(figsize=(6, 6), layout="constrained")
    ax = fig.add_subplot(projection="polar")
    keys = list(progress.dimensions)
    if not keys:
        ax.set_title("No scored sessions yet")
        return fig
    angles = [2 * math.pi * i / len(keys) for i in range(len(keys))] + [0.0]
    first = [_first_known(progress.dimensions[k]) for k in keys]
    latest = [_first_known(progress.dimensions[k][::-1]) for k in keys]
    best = [progress.personal_bests.get(k, (0, 0))[0] for k in keys]
    for values, label, colour in ((first, "first", NEUTRAL), (latest, "latest", "#2c7fb8"), (best, "best", GOOD)):
        closed = [*values, values[0]]
        ax.plot(angles, closed, color=colour, lw=1.8, label=label)
        ax.fill(angles, closed, color=colour, alpha=0.08)
    ax.set_xticks(angles[:-1], [progress.dimension_labels.get(k, k) for k in keys], fontsize=7)
    ax.set_ylim(0, 100)
    ax.legend(loc="lower right", bbox_to_anchor=(1.1, -0.1), fontsize=8)
    return fig


def _first_known(series: np.ndarray) -> float:
    known = series[~np.isnan(series)]
    return float(known[0]) if len(known) else 0.0


def timeline_figure(transcript: Transcript, findings: Sequence[Finding] = ()) -> Figure:
    """Who spoke when (one lane per speaker), interruptions, and every finding as a marker coloured by kind."""
    fig = Figure(figsize=(10, 2.8), layout="constrained")
    ax = fig.add_subplot()
    lanes = {"customer": 1.0, "rep": 0.0}
    for speaker, lane in lanes.items():
        spans = [(t.start_s, t.duration_s) for t in transcript.turns if t.speaker == speaker]
        ax.broken_barh(spans, (lane - 0.3, 0.6), color=SPEAKER_COLOURS[speaker], label=speaker)
    groups = {GOOD: ([], "helpful"), BAD: ([], "to work on"), NEUTRAL: ([], "neutral")}
    for f in findings:
        colour = GOOD if f.kind in POSITIVE_KINDS else BAD if f.kind in NEGATIVE_KINDS else NEUTRAL
        groups[colour][0].append(f.start_s)
    for colour, (times, label) in groups.items():
        if times:
            ax.plot(times, [-0.55] * len(times), "^", color=colour, ms=6, label=label, ls="none")
    interruptions = [f.start_s for f in findings if f.kind == "interruption"]
    if interruptions:
        ax.vlines(interruptions, -0.35, 1.35, colors=BAD, linestyles="dashed", lw=1, label="interruption")
    ax.set_yticks([0, 1], ["Rep", "Customer"])
    ax.set_ylim(-0.85, 1.5)
    ax.set_xlabel("Time (s)")
    ax.legend(loc="upper right", fontsize=7, ncols=6)
    return fig


def scorecard_figure(automatic: Scorecard, corrected: Scorecard | None = None) -> Figure:
    """Each dimension's score as a bar (the trainer-corrected score beside it when there is one)."""
    fig = Figure(figsize=(8, 0.45 * len(automatic.dimensions) + 1.2), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(automatic.dimensions))
    height = 0.4 if corrected else 0.7
    ax.barh(y, [d.score for d in automatic.dimensions], height, color="#2c7fb8", label="automatic")
    if corrected:
        ax.barh(y + height, [d.score for d in corrected.dimensions], height, color=GOOD, label="corrected")
        ax.legend(loc="lower right", fontsize=8)
    ax.set_yticks(y + (height / 2 if corrected else 0), [d.label for d in automatic.dimensions], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_title(f"Overall {(corrected or automatic).overall}/100")
    return fig


def behaviour_figure(progress: Progress, window: int | None = None) -> Figure:
    """How often each behaviour happened per session over time (rolling mean): good habits above, habits to
    reduce below, each with its legend outside the plot."""
    window = window or smoothing_window(len(progress.session_ids))
    fig = Figure(figsize=(8, 5), layout="constrained")
    good_ax, bad_ax = fig.subplots(2, 1, sharex=True)
    x = np.arange(1, len(progress.session_ids) + 1)
    panels = ((good_ax, "Good habits: more is better"), (bad_ax, "To reduce: fewer is better"))
    for name, series in progress.behaviours.items():
        ax = good_ax if name in GOOD_BEHAVIOURS else bad_ax
        label = BEHAVIOUR_LABELS.get(name, name.replace("_", " ").capitalize())
        ax.plot(x, rolling_mean(series, window), lw=1.6, label=label)
    for ax, title in panels:
        ax.set_title(title, loc="left", fontsize=10)
        ax.set_ylabel("Per session")
        ax.set_ylim(bottom=0)
        if ax.lines:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    bad_ax.set_xlabel(f"Session (each line: mean of the last {window})")
    bad_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.suptitle("Behaviours over time")
    return fig


def figure_bytes(fig: Figure, fmt: str = "png", dpi: int = 100) -> bytes:
    """Render a figure to PNG or SVG bytes with the Agg canvas (no GUI, no pyplot)."""
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=dpi)
    return buffer.getvalue()


def save_figure(fig: Figure, path: str | os.PathLike, dpi: int = 100) -> Path:
    """Write a figure atomically, readable only by the user; the format follows the suffix (.png, .svg, .pdf)."""
    path = Path(path)
    return write_private(path, figure_bytes(fig, path.suffix.lstrip(".").lower() or "png", dpi))
