"""How transcripts are stored compactly: each turn's words packed into one row, and a checksum per transcript."""

import array
import hashlib
import json
import sys

from coach_app.core import Transcript, Turn, Word


def pack_words(turn: Turn) -> tuple[str, bytes]:
    """A turn's words as stored: a JSON list of texts and little-endian float64 (start_s, end_s, conf) triples."""
    timings = array.array("d", [v for w in turn.words for v in (w.start_s, w.end_s, w.conf)])
    if sys.byteorder == "big":
        timings.byteswap()
    return json.dumps([w.text for w in turn.words], ensure_ascii=False), timings.tobytes()


def unpack_words(texts_json: str, timings_blob: bytes) -> tuple[Word, ...]:
    timings = array.array("d")
    timings.frombytes(timings_blob)
    if sys.byteorder == "big":
        timings.byteswap()
    return tuple(
        Word(text, timings[3 * i], timings[3 * i + 1], timings[3 * i + 2])
        for i, text in enumerate(json.loads(texts_json))
    )


def transcript_checksum(transcript: Transcript, packed: list[tuple[str, bytes]] | None = None) -> str:
    """SHA-256 over every turn and word: the same conversation always gives the same checksum."""
    digest = hashlib.sha256()
    for turn, (texts_json, timings) in zip(transcript.turns, packed or map(pack_words, transcript.turns), strict=True):
        digest.update(repr((turn.speaker, turn.start_s, turn.end_s, turn.text)).encode("utf-8"))
        digest.update(texts_json.encode("utf-8"))
        digest.update(timings)
    return digest.hexdigest()
