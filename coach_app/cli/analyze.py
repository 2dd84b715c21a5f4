"""`coach-app analyze TRANSCRIPT.json|AUDIO [--rubric FILE] [--json]`: a scorecard with the evidence for every score."""

import argparse
import json
import sys
from pathlib import Path

from coach_app.cli.saving import add_save_arguments, save_analyzed
from coach_app.cli.transcribe import add_audio_options, transcribe_audio
from coach_app.core import Finding, Scorecard
from coach_app.scoring.rubric import load_rubric
from coach_app.session import score_conversation
from coach_app.transcript_io import load_transcript

MAX_EVIDENCE_SHOWN = 8  # per dimension; --json lists everything
KEY_METRICS = (
    ("rep_talk_share", "Rep talk share", "{:.0%}"),
    ("interruptions", "Interruptions", "{}"),
    ("median_response_latency_s", "Median pause before replying", "{:.1f} s"),
    ("longest_rep_monologue_s", "Longest rep monologue", "{:.0f} s"),
    ("rep_words_per_minute", "Rep words per minute", "{:.0f}"),
    ("open_questions", "Open questions", "{}"),
    ("reflections", "Reflections", "{}"),
    ("filler_words", "Filler words", "{}"),
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="score the active listening in a transcript",
        description="Analyse a transcript (JSON, see README) or a recording (transcribed first, offline) and print "
        "a scorecard with evidence for every score.",
    )
    parser.add_argument(
        "transcript", metavar="TRANSCRIPT.json|AUDIO", help="transcript in the shared JSON format, or a recording"
    )
    parser.add_argument("--rubric", metavar="FILE", help="a rubric TOML file (default: the shipped rubric)")
    parser.add_argument("--json", action="store_true", help="print {metrics, findings, scores} as JSON")
    add_save_arguments(parser)
    add_audio_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    source = Path(args.transcript)
    if source.suffix.lower() == ".json":
        transcript = load_transcript(source)
    else:  # a recording: transcribe it first, as `coach-app transcribe` does
        transcript = transcribe_audio(args, source)
        args.audio = args.audio or str(source)
    audio = Path(args.audio) if args.audio else None
    rep_channel = None if args.mono else args.rep_channel
    scorecard = score_conversation(transcript, load_rubric(args.rubric), audio, rep_channel)
    notice = scorecard.extras.get("analysis_notice")
    if notice:
        print(notice, file=sys.stderr)
    if args.save:
        return save_analyzed(args, scorecard, transcript)
    print(json.dumps(scorecard.to_dict(), indent=2, ensure_ascii=False) if args.json else render_text(scorecard))
    return 0


def render_text(scorecard: Scorecard) -> str:
    """A readable scorecard: overall score, each dimension with its evidence, then key metrics."""
    lines = [f"Overall: {scorecard.overall}/100   (rubric {scorecard.rubric_version})", ""]
    for dim in scorecard.dimensions:
        lines.append(f"{dim.label}: {dim.score}/100")
        lines.append(f"  {dim.explanation}")
        for index in dim.evidence[:MAX_EVIDENCE_SHOWN]:
            lines.extend(_evidence_lines(scorecard.findings[index]))
        if len(dim.evidence) > MAX_EVIDENCE_SHOWN:
            lines.append(f"  … and {len(dim.evidence) - MAX_EVIDENCE_SHOWN} more (all are listed with --json)")
        if dim.score < 70:
            lines.append(f"  To improve: {dim.tip}")
        lines.append("")
    lines.append("Key metrics:")
    for key, label, fmt in KEY_METRICS:
        value = scorecard.metrics.get(key)
        lines.append(f"  {label}: {'n/a' if value is None else fmt.format(value)}")
    return "\n".join(lines)


def _evidence_lines(finding: Finding) -> list[str]:
    return [
        f"  {_clock(finding.start_s)}  {finding.kind.replace('_', ' ')}: \u201c{finding.quote}\u201d",
        f"         Why: {finding.reason}",
        f"         Tip: {finding.tip}",
    ]


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes:02d}:{secs:02d}"
