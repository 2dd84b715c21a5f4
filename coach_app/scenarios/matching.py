"""Whether a rep turn touches a topic: by meaning (the sentence encoder) or by topic terms matched on normalised
text, so typed and speech-recognised rep turns match alike."""

import re

from coach_app.analysis.encoder import SentenceEncoder, shipped_encoder
from coach_app.errors import ModelError
from coach_app.scenarios.model import HiddenNeed

_NOT_WORD = re.compile(r"[^a-z0-9' ]+")
_SENTENCE = re.compile(r"(?<=[.?!])\s+")
# Cosine between the rep's words and the need's description or reveal at which the turn is about the need. On
# the trainers' scripts, turns written about a need score 0.45–0.9 and turns about something else mostly below 0.35.
NEED_MIN_SIMILARITY = 0.42
RESTATES_MIN_SIMILARITY = 0.6


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces, without punctuation (as speech recognition gives them)."""
    text = text.lower().replace("\u2019", "'")
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _term_pattern(term: str) -> re.Pattern[str]:
    words = normalise(term.rstrip("*")).split()
    tail = r"\w*" if term.endswith("*") else ""
    return re.compile(r"\b" + r"\s+".join(map(re.escape, words)) + tail + r"\b")


def mentions_any(text: str, terms: tuple[str, ...]) -> bool:
    """True when `text` contains one of `terms` (word sequences; a trailing `*` matches any word ending)."""
    if not terms:
        return True
    norm = normalise(text)
    return any(_term_pattern(term).search(norm) for term in terms)


def touches(text: str, need: HiddenNeed) -> bool:
    """Whether a rep turn touches a hidden need's topic: naming one of its topic terms (a need without terms is
    touched by any turn), or close in meaning to what the need is (its description, or the customer's words when
    they reveal it), however the rep words it."""
    if mentions_any(text, need.topics):
        return True  # no topic terms means any turn will do
    return similarity(text, need) >= NEED_MIN_SIMILARITY


def restates(text: str, need: HiddenNeed) -> bool:
    """Whether a rep turn says the need itself in other words (a reflection of what the customer has not yet put
    into words), which the customer hears as being understood even when no finding names it a reflection."""
    return similarity(text, need) >= RESTATES_MIN_SIMILARITY


def similarity(text: str, need: HiddenNeed) -> float:
    """The highest encoder cosine between the turn (or one of its sentences) and the need's description or reveal
    (or one of their sentences: a question may be about one part of what the customer would say); 0 without the
    encoder."""
    encoder = _encoder()
    if encoder is None or not normalise(text):
        return 0.0
    turn = encoder.encode(_with_sentences(text))
    about = encoder.encode([*_with_sentences(need.description), *_with_sentences(need.reveal.text)])
    return float((turn @ about.T).max())


def _with_sentences(text: str) -> list[str]:
    """The text and, when it has more than one, each of its sentences."""
    parts = [part for part in _SENTENCE.split(text) if normalise(part)]
    return [*parts, text] if len(parts) > 1 else [text]


def _encoder() -> SentenceEncoder | None:
    try:
        return shipped_encoder()
    except ModelError:
        return None
