"""Qt-free orchestration: record → transcribe → analyse → score → save, for the app's background tasks and the CLI.

The app runs these on worker threads, so each opens its own database connection (one connection per thread) and
closes it when done. The
analysis, speech and chart libraries are imported inside the functions that need them, so the app starts fast.
"""

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coach_app.core import Finding
from coach_app.errors import Cancelled, CoachError
from coach_app.files import write_private
from coach_app.scoring.rubric import Rubric, load_rubric
from coach_app.settings import Settings
from coach_app.storage.bundle_import import import_bundle
from coach_app.storage.bundles import export_bundle
from coach_app.storage.db import open_db
from coach_app.storage.sessions import load_session, save_session
from coach_app.transcript_io import load_transcript
from coach_app.transcription.models import require_model

if TYPE_CHECKING:
    from coach_app.audio.capture import Recorder
    from coach_app.core import Scorecard, Transcript
    from coach_app.scenarios.conversation import CallSnapshot, PracticeResult
    from coach_app.scenarios.model import Scenario
    from coach_app.scenarios.turn_loop import TurnLoop
    from coach_app.storage.team import Team
    from coach_app.transcription.pipeline import LiveTranscription

ProgressFn = Callable[[float, str], None]
AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".mp3")
TRANSCRIPT_SUFFIXES = (".json",)
BUNDLE_SUFFIX = ".zip"
DEFAULT_REP = "Me"


def rubric_for(settings: Settings) -> Rubric:
    return load_rubric(settings.rubric_path or None)


def model_for(settings: Settings) -> Path:
    """The speech model to use; ModelError with what to do when none is installed."""
    return require_model(settings.speech_model_path or None)


def rep_for(settings: Settings) -> str:
    return settings.rep_name or DEFAULT_REP


def rep_voice_print(settings: Settings):
    """The rep's voice print learned from their practice recordings, or None."""
    from coach_app.storage.voice_prints import load_voice_print

    return load_voice_print(open_db(), rep_for(settings))


@dataclass(frozen=True)
class LiveCall:
    """A spoken call in progress: the recorder, and either the scenario's turn loop or a partner transcription."""

    recorder: "Recorder"
    loop: "TurnLoop | None"
    live: "LiveTranscription | None"

    def abandon(self) -> None:
        """Close the microphone, the customer's voice and the recognisers, and remove the recording (a call that
        was cancelled while it started, so holds nothing worth keeping)."""
        try:
            result = self.recorder.stop()  # AudioError if it would not finish: then its audio is kept after all
        finally:
            if self.loop is not None:
                self.loop.close()
            if self.live is not None:
                self.live.close()
        result.path.unlink(missing_ok=True)


def start_call(
    settings: Settings,
    scenario: "Scenario | None",
    on_change: "Callable[[CallSnapshot], None] | None" = None,
    *,
    on_progress: ProgressFn,
    cancel: threading.Event,
) -> LiveCall:
    """Load the speech model (seconds, hence off the UI thread) and start recording the call.

    With a scenario the simulated customer opens the call and answers each turn, and `on_change` receives the
    call after each turn (on the loop's thread); without one (partner practice) the whole recording is
    transcribed as it goes and split into two voices after Stop. A cancel before the microphone is open raises
    `Cancelled`; one that comes while it opens closes it again.
    """
    from coach_app.audio.capture import Recorder
    from coach_app.scenarios.conversation import Conversation
    from coach_app.scenarios.playback import Player
    from coach_app.scenarios.recognition import TurnRecogniser
    from coach_app.scenarios.turn_loop import TurnLoop
    from coach_app.scenarios.voice import CustomerVoice
    from coach_app.transcription.engine import load_model
    from coach_app.transcription.pipeline import LiveTranscription

    model = model_for(settings)
    on_progress(0.1, "Loading the speech model")
    load_model(model)
    _check(cancel)
    loop, live = None, None
    if scenario is None:
        live = LiveTranscription(
            model, mono=True, first_speaker="rep", source="the practice recording", rep_voice=rep_voice_print(settings)
        )
        consumer = live.on_chunk
    else:
        player = Player(settings.speaker or None)
        recogniser = TurnRecogniser(model)
        loop = TurnLoop(Conversation(scenario), CustomerVoice(scenario), player, recogniser, on_change=on_change)
        consumer = loop.feed
    on_progress(0.8, "Opening the microphone")
    recorder = Recorder(devices=(settings.microphone or None,), on_chunk=(consumer,))
    try:
        _check(cancel)
        recorder.start()
    except BaseException:
        if loop is not None:
            loop.close()
        raise
    call = LiveCall(recorder, loop, live)
    if cancel.is_set():
        call.abandon()
        _check(cancel)
    return call


def _check(cancel: threading.Event) -> None:
    if cancel.is_set():
        raise Cancelled("The call was cancelled before it started; nothing was recorded.")


def score_conversation(
    transcript: "Transcript", rubric: Rubric, audio: Path | None = None, rep_channel: str | None = None
) -> "Scorecard":
    """Analyse a conversation; with its recording, the rep's voice (pace, loudness, pitch) feeds the delivery score.

    `rep_channel` names the rep's channel of a stereo recording; mono recordings use their one track.
    """
    from coach_app.analysis import analyze

    extra: list[Finding] = []
    if audio is not None:
        from coach_app.audio.delivery import delivery_findings

        # One limit for a rushed turn, whether measured from the words' timings or from the voice: the rubric's.
        extra = delivery_findings(
            audio, transcript, rep_channel, limits=rubric.voice, fast_wpm=rubric.thresholds.wpm_max
        )
    return analyze(transcript, rubric, extra_findings=extra)


def recover_recordings(*, on_progress: ProgressFn, cancel: threading.Event) -> list[Path]:
    """Recordings interrupted by a crash, repaired and kept as normal recordings (never deleted)."""
    from coach_app.audio.recovery import find_partial_recordings, recover

    return [recover(partial) for partial in find_partial_recordings()]


def import_file(path: Path, settings: Settings, *, on_progress: ProgressFn, cancel: threading.Event) -> int:
    """Import a recording or transcript as a scored session, or a session bundle; returns the session's id."""
    if path.suffix.lower() == BUNDLE_SUFFIX:
        on_progress(0.5, f"Checking {path.name}")
        with open_db() as db:
            return import_bundle(db, path).session_id
    transcript, scorecard = score_file(path, settings, rubric_for(settings), on_progress=on_progress, cancel=cancel)
    audio = path if path.suffix.lower() in AUDIO_SUFFIXES else None
    with open_db() as db:
        return save_session(
            db, transcript, scorecard, rep_for(settings), path.stem, audio_path=audio, source="imported_call"
        )


def score_file(
    path: Path, settings: Settings, rubric: Rubric, *, on_progress: ProgressFn, cancel: threading.Event
) -> "tuple[Transcript, Scorecard]":
    """Transcribe a recording (or read a transcript) and score it, saving nothing: every import goes through here."""
    from coach_app.transcription.pipeline import transcribe_file

    suffix = path.suffix.lower()
    audio: Path | None = None
    if suffix in TRANSCRIPT_SUFFIXES:
        transcript = load_transcript(path)
    elif suffix in AUDIO_SUFFIXES:
        transcript = transcribe_file(
            path,
            model_for(settings),
            rep_channel=settings.rep_channel,
            on_progress=on_progress,
            cancel=cancel,
            rep_voice=rep_voice_print(settings),
        )
        audio = path
    else:
        raise CoachError(
            f"{path.name} is not something Listening Coach can import: choose a recording (WAV, FLAC, OGG, MP3), "
            "a transcript (.json) or a session bundle (.zip)."
        )
    if cancel.is_set():
        raise Cancelled(f"Import of {path.name} cancelled; nothing was saved.")
    on_progress(0.95, f"Scoring {path.name}")
    return transcript, score_conversation(transcript, rubric, audio, settings.rep_channel)


def import_files(
    paths: Sequence[Path], settings: Settings, *, on_progress: ProgressFn, cancel: threading.Event
) -> list[int]:
    """Import several files one after another, with one progress bar over all of them."""
    ids = []
    for number, path in enumerate(paths):

        def scaled(fraction: float, message: str, number: int = number, name: str = path.name) -> None:
            on_progress((number + fraction) / len(paths), f"{name}: {message}")

        scaled(0.0, "reading")
        ids.append(import_file(path, settings, on_progress=scaled, cancel=cancel))
    return ids


def save_practice(
    result: "PracticeResult",
    title: str,
    settings: Settings,
    audio: Path | None,
    *,
    on_progress: ProgressFn,
    cancel: threading.Event,
) -> int:
    """Store a finished scenario call (typed or spoken) and return its id."""
    on_progress(0.5, "Saving the call")
    scenario = result.outcome.scenario_id
    with open_db() as db:
        return save_session(
            db, result.transcript, result.scorecard, rep_for(settings), title, audio, scenario, "practice"
        )


def finish_recording(
    live: "LiveTranscription",
    audio: Path,
    settings: Settings,
    title: str,
    *,
    on_progress: ProgressFn,
    cancel: threading.Event,
) -> int:
    """After Stop: finish the streaming transcript, score it and store the session with its recording."""
    on_progress(0.1, "Finishing the transcript")
    transcript = live.finish()
    on_progress(0.6, "Scoring")
    scorecard = score_conversation(transcript, rubric_for(settings), audio, settings.rep_channel)
    with open_db() as db:
        session_id = save_session(db, transcript, scorecard, rep_for(settings), title, audio, None, "practice")
        if len(live.voices) == 2:  # the rep's own practice: learn their voice to name them in one-track recordings
            from coach_app.storage.voice_prints import update_voice_print

            update_voice_print(db, rep_for(settings), *live.voices["rep"])
    return session_id


def reject_finding(finding_id: int, settings: Settings, *, on_progress: ProgressFn, cancel: threading.Event) -> int:
    """Mark a finding wrong and re-score its session; returns the corrected overall score."""
    from coach_app.storage import corrections  # it loads the analysis

    on_progress(0.2, "Re-scoring")
    author = settings.rep_name or None
    with open_db() as db:
        return corrections.reject_finding(db, finding_id, rubric_for(settings), author=author)


def add_missed_finding(
    session_id: int, finding: Finding, settings: Settings, *, on_progress: ProgressFn, cancel: threading.Event
) -> int:
    """Add a finding the analysis missed and re-score; returns the new finding's id."""
    from coach_app.storage import corrections  # it loads the analysis

    on_progress(0.2, "Re-scoring")
    author = settings.rep_name or None
    with open_db() as db:
        return corrections.add_missed_finding(db, session_id, finding, rubric_for(settings), author=author)


def undo_correction(correction_id: int, settings: Settings, *, on_progress: ProgressFn, cancel: threading.Event) -> int:
    """Take back one trainer correction and re-score; returns the session's overall score."""
    from coach_app.storage import corrections  # it loads the analysis

    on_progress(0.2, "Re-scoring")
    with open_db() as db:
        return corrections.undo_correction(db, correction_id, rubric_for(settings))


def swap_speakers(session_id: int, settings: Settings, *, on_progress: ProgressFn, cancel: threading.Event) -> int:
    """Exchange rep and customer in a stored session (the voices were split the wrong way) and re-score it."""
    from coach_app.transcription.diarize import swap_speakers as swapped

    return _store_speakers(session_id, swapped, settings, on_progress)


def reassign_turn(
    session_id: int,
    turn: int,
    speaker: str,
    settings: Settings,
    *,
    on_progress: ProgressFn,
    cancel: threading.Event,
) -> int:
    """Give one turn of a stored session to `speaker` (rep or customer) and re-score it."""
    from coach_app.transcription.diarize import reassign_turn as reassigned

    return _store_speakers(session_id, lambda transcript: reassigned(transcript, turn, speaker), settings, on_progress)


def _store_speakers(session_id: int, change, settings: Settings, on_progress: ProgressFn) -> int:
    """Apply `change` to the session's transcript, re-analyse it (voice too, from its recording) and store it;
    returns the overall score shown (the trainer-corrected one when there are corrections)."""
    from coach_app.storage.corrections import correct_speakers
    from coach_app.storage.sessions import audio_file, get_summary, read_transcript

    with open_db() as db:
        with db.atomic():
            transcript = change(read_transcript(db, session_id))
            summary = get_summary(db, session_id)
        audio = audio_file(db, summary.audio_path) if summary.audio_path else None
        on_progress(0.3, "Re-scoring with the corrected speakers")
        # The rep's voice is measured on the whole recording during the rep's turns: after a correction the
        # recording's channel layout no longer says who the rep is.
        scorecard = score_conversation(transcript, rubric_for(settings), audio, rep_channel=None)
        correct_speakers(db, session_id, transcript, scorecard, rubric_for(settings))
        return get_summary(db, session_id).overall


def export_session(session_id: int, target: Path, *, on_progress: ProgressFn, cancel: threading.Event) -> Path:
    """Write a session as an HTML report, a PDF report or a bundle, chosen by `target`'s extension."""
    from coach_app.reports.html import session_report_html  # matplotlib loads only when a report is made
    from coach_app.reports.pdf import session_report_pdf

    suffix = target.suffix.lower()
    on_progress(0.1, f"Writing {target.name}")
    with open_db() as db:
        if suffix == ".zip":
            return export_bundle(db, session_id, target)
        stored = load_session(db, session_id)
    if suffix == ".pdf":
        return session_report_pdf(stored, target)
    if suffix in (".html", ".htm"):
        return write_private(target, session_report_html(stored).encode("utf-8"))
    raise CoachError(f"Cannot export to {target.name}: choose a .html or .pdf report, or a .zip bundle.")


def progress_charts(
    rep: str, since: str | None, scenario: str | None, *, on_progress: ProgressFn, cancel: threading.Event
):
    """A rep's progress (optionally in one practice scenario) and its charts (trend, radar, behaviours)."""
    from coach_app.reports.charts import behaviour_figure, radar_figure, trend_figure  # matplotlib only here
    from coach_app.storage.progress import rep_progress

    with open_db() as db:
        progress = rep_progress(db, rep, since=since, scenario=scenario)
    on_progress(0.3, "Drawing charts")
    if not progress.session_ids:
        return progress, ()
    return progress, (
        ("Trend", trend_figure(progress)),
        ("Skills", radar_figure(progress)),
        ("Behaviours", behaviour_figure(progress)),
    )


def team_overview(since: str | None, *, on_progress: ProgressFn, cancel: threading.Event) -> "Team":
    """Every rep's row and the findings' calibration, for the Team page."""
    from coach_app.storage.team import team_view

    with open_db() as db:
        return team_view(db, since=since)
