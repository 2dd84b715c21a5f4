"""Read, validate and write the shared transcript JSON format (see README, "Transcript format")."""

import json
import os

from coach_app.core import SPEAKERS, Transcript, Turn, Word
from coach_app.errors import TranscriptError
from coach_app.files import read_input, write_private
from coach_app.json_files import parse_json
from coach_app.values import MAX_SECONDS, is_seconds

MAX_TRANSCRIPT_BYTES = 64 * 1024 * 1024  # a ten-hour call with word timings is ~10 MB


def load_transcript(path: str | os.PathLike) -> Transcript:
    """Load and validate a transcript file; every problem raises `TranscriptError` naming file, turn and fix."""
    raw = read_input(path, "transcript", MAX_TRANSCRIPT_BYTES, TranscriptError)
    return transcript_from_dict(parse_json(raw, TranscriptError, f"Transcript {path}"), source=str(path))


def transcript_from_dict(data: object, source: str = "transcript") -> Transcript:
    """Validate parsed JSON and build a `Transcript`; `source` names the file in error messages."""
    if not isinstance(data, dict) or "turns" not in data:
        raise TranscriptError(
            f'{source}: the top level must be an object with a "turns" list, e.g. {{"turns": [...]}}.'
        )
    turns = data["turns"]
    if not isinstance(turns, list):
        raise TranscriptError(f'{source}: "turns" must be a list of turn objects.')
    if not turns:
        raise TranscriptError(f'{source}: the transcript is empty: "turns" needs at least one turn.')
    notes = data.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(note, str) for note in notes):
        raise TranscriptError(f'{source}: "notes" must be a list of strings, or left out.')
    return Transcript(tuple(_turn(item, number, source) for number, item in enumerate(turns, start=1)), tuple(notes))


def _turn(item: object, number: int, source: str) -> Turn:
    where = f"{source}, turn {number}"  # counted from 1, as people count
    if not isinstance(item, dict):
        raise TranscriptError(f"{where}: each turn must be an object with speaker, start, end and text.")
    for key in ("speaker", "start", "end", "text"):
        if key not in item:
            raise TranscriptError(f'{where}: missing key "{key}": add it (speaker, start, end and text are required).')
    speaker = item["speaker"]
    if speaker not in SPEAKERS:
        raise TranscriptError(f'{where}: unknown speaker {speaker!r}: use "rep" or "customer".')
    start = _time(item["start"], f"{where}, start")
    end = _time(item["end"], f"{where}, end")
    if end < start:
        raise TranscriptError(f"{where}: end ({end}) is before start ({start}): swap or correct the times.")
    text = item["text"]
    if not isinstance(text, str):
        raise TranscriptError(f'{where}: "text" must be a string.')
    words = item.get("words", [])
    if not isinstance(words, list):
        raise TranscriptError(f'{where}: "words" must be a list of word objects, or left out.')
    speaker_conf = item.get("speaker_conf")
    if speaker_conf is not None and not _is_fraction(speaker_conf):
        raise TranscriptError(f'{where}: "speaker_conf" must be a number from 0 to 1, or left out.')
    parsed = tuple(_word(w, f"{where}, word {j}") for j, w in enumerate(words, start=1))
    return Turn(speaker, start, end, text, parsed, None if speaker_conf is None else float(speaker_conf))


def _is_fraction(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and 0.0 <= value <= 1.0


def _word(item: object, where: str) -> Word:
    if not isinstance(item, dict) or not {"word", "start", "end"} <= item.keys():
        raise TranscriptError(f'{where}: a word needs "word", "start" and "end" (and optionally "conf").')
    if not isinstance(item["word"], str):
        raise TranscriptError(f'{where}: "word" must be a string.')
    start = _time(item["start"], f"{where}, start")
    end = _time(item["end"], f"{where}, end")
    if end < start:
        raise TranscriptError(f"{where}: end ({end}) is before start ({start}): correct the word times.")
    conf = item.get("conf", 1.0)
    if not _is_fraction(conf):
        raise TranscriptError(f'{where}: "conf" must be a number from 0 to 1.')
    return Word(item["word"], start, end, float(conf))


def _time(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TranscriptError(f"{where}: time {value!r} is not a number: give seconds as a number, e.g. 4.1.")
    if not is_seconds(value):
        shown = repr(value) if len(repr(value)) < 24 else f"{repr(value)[:20]}…"
        problem = "is negative" if value < 0 else "is not a finite number" if value != value else "is too large"
        raise TranscriptError(
            f"{where}: time {shown} {problem}: times are seconds from the start, 0 to {MAX_SECONDS:,}."
        )
    return float(value)


def save_transcript(transcript: Transcript, path: str | os.PathLike) -> None:
    """Write a transcript atomically (temporary file, then rename), readable only by the user."""
    write_private(path, json.dumps(transcript.to_dict(), ensure_ascii=False, indent=1).encode("utf-8"))
