"""Wording helpers for coaching: short whole-word phrases from a turn, and an open form of a yes/no question."""

import re
from functools import lru_cache

from coach_app.analysis.lexicon import lexicon
from coach_app.analysis.text import STOPWORDS, normalise

PHRASE_WORDS = 10
SHORT_TAIL = 3  # a cut that would leave this many words or fewer keeps them instead
_CLAUSE_END = re.compile(r"(?<=[.?!;:,\u2014])\s+|\s+(?:-|\u2013|\u2014)\s+")
_EDGE = re.compile(r"^[^\w'£$€]+|[^\w'%]+$")
DETERMINERS = frozenset(["the", "your", "my", "this", "that", "our", "his", "her", "their", "its"])
_ANYTHING_ELSE = re.compile(r"\b(anything|something) (else|more)\b")
_TRIED = re.compile(r"^(?:(?:so|and|but|okay|ok|right|now|just)\s+)*(did|have) you (tried|try|already tried)\b")
# A yes/no question starts with an auxiliary before its subject; the open form depends on which one.
_YES_NO = re.compile(
    r"^(?:(?:so|and|but|okay|ok|right|now|just)\s+)*"
    r"(did|do|does|have|has|had|is|was|are|were|can|could|will|would|should)\s+(.*)$"
)


def trim_words(text: str, max_words: int = PHRASE_WORDS) -> str:
    """`text` cut to at most `max_words` whole words, without edge punctuation; '…' marks a cut."""
    words = text.split()
    if len(words) <= max_words + SHORT_TAIL:
        max_words = len(words)
    cut = len(words) > max_words
    phrase = _EDGE.sub("", " ".join(words[:max_words]))
    return phrase + (" …" if cut and phrase else "")


def clauses(text: str) -> list[str]:
    """The clauses of a turn as written (split at sentence ends, commas, colons and dashes), non-empty."""
    return [part.strip() for part in _CLAUSE_END.split(text.strip()) if part and normalise(part)]


@lru_cache(maxsize=1024)  # every finding on a turn quotes the same customer turn
def key_phrase(text: str, max_words: int = PHRASE_WORDS) -> str:
    """The customer's most telling clause: one that says how they feel or what is at stake, else the one with
    the most content words; '' for a turn with nothing to quote ('Okay, thank you.')."""
    parts = clauses(text)
    if not parts:
        return ""
    feeling = lexicon("coaching")["feeling"].words

    def weight(part: str) -> tuple[int, int]:
        tokens = normalise(part).split()
        content = sum(1 for t in tokens if t not in STOPWORDS and len(t) >= 3)
        return (sum(1 for t in tokens if t in feeling), min(content, 4))

    best = max(parts, key=weight)  # the first of equals: customers tend to lead with what matters
    if weight(best) == (0, 0):
        return ""  # 'Okay, thank you.' says nothing worth quoting back
    words = best.split()
    if len(words) > max_words + SHORT_TAIL:
        # an unpunctuated (speech-recognised) turn is one long clause: centre the quote on what they feel
        hits = [i for i, word in enumerate(words) if set(normalise(word).split()) & feeling]
        first = max(0, min(hits[0] - 2, len(words) - max_words)) if hits else 0
        cut = first + max_words < len(words)
        return (
            ("… " if first else "")
            + trim_words(" ".join(words[first : first + max_words]), max_words)
            + (" …" if cut else "")
        )
    return trim_words(best, max_words)


def noun_phrase(text: str) -> str:
    """The first 'the/your/this … thing' phrase of a text (up to three words after the determiner), or ''."""
    tokens = normalise(text).split()
    for i, token in enumerate(tokens):
        if token not in DETERMINERS or i + 1 >= len(tokens):
            continue
        words: list[str] = []
        for word in tokens[i + 1 : i + 3]:
            # a crude noun phrase: stop at function words and at what looks like a verb ('the box arrived')
            if word in STOPWORDS or not word.isalpha() or (words and word.endswith(("ed", "ing"))):
                break
            words.append(word)
        if words:
            return " ".join([token, *words])
    return ""


def open_form(question: str, fallback_topic: str) -> str:
    """An open question on the same subject as a yes/no `question` ('did it arrive damaged?' → 'What happened
    with …?'); the topic comes from the question, else from `fallback_topic` (e.g. the customer's turn)."""
    norm = normalise(question)
    if _ANYTHING_ELSE.search(norm):
        return "What else is on your mind about this?"
    if _TRIED.search(norm):
        return "What have you tried so far, and what happened?"
    match = _YES_NO.match(norm)
    topic = noun_phrase(norm)
    if not topic:
        topic = noun_phrase(fallback_topic)
        if topic.startswith(("my ", "our ")):
            topic = "your " + topic.split(" ", 1)[1]  # the customer's words, addressed back to them
    aux = match.group(1) if match else ""
    if not topic:
        return "What happened, from your side?" if aux in ("did", "have", "has", "had") else "How has it been for you?"
    if aux in ("is", "was", "are", "were"):
        return f"How {'was' if aux in ('was', 'were') else 'is'} it going with {topic}?"
    if aux in ("can", "could", "will", "would", "should"):
        return f"What would help most with {topic}?"
    return f"What happened with {topic}?"
