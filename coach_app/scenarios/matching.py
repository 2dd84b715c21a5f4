"""Topic terms matched on normalised text, so typed and speech-recognised rep turns match alike."""

import re

_NOT_WORD = re.compile(r"[^a-z0-9' ]+")


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
