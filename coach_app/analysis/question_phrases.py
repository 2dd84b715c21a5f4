"""Question phrases: where questions start and what kind they are, in typed and speech-recognition text.

Typed text: each sentence ending in '?' is a question, typed by the first question phrase at its start (closed
when none). Speech-recognition text has no '?', so a question phrase counts where it opens the turn or follows a
discourse word ('so', 'okay', 'and'…). Plain rules over the question lexicon, shared by the question and
reflection detectors and by the utterance classifier's cues.
"""

import re
from functools import lru_cache

from coach_app.analysis.lexicon import lexicon
from coach_app.analysis.text import Span, TurnText

# Category order decides between phrases starting at the same word: 'what's your account number' is a
# single-fact question even though it starts like an open one.
PRIORITY = ("clarifying_request", "clarifying", "information", "open", "open_anywhere", "closed")
# Requests such as 'could you tell me more about…' are questions wherever they stand in a turn.
ANYWHERE = frozenset({"clarifying_request", "open_anywhere"})
IMPERATIVE_STARTS = frozenset({"tell", "walk", "talk", "help", "describe", "explain"})
QUOTE_WORDS = 16
SINGLE_FACT = "information"  # the category of questions asking for one fact ('how many…', 'what's your order number')


@lru_cache(maxsize=64)
def question_spans(text: TurnText) -> tuple[tuple[str, Span], ...]:
    """(category, span) of each question in a turn; shared with the reflection detector and the utterance
    classifier, so it is worked out once per turn text."""
    return tuple(_typed_questions(text) if is_typed(text) else _spoken_questions(text))


def is_typed(text: TurnText) -> bool:
    """Typed text has punctuation; speech-recognition text has none."""
    return any(ch in text.turn.text for ch in ".?!,")


def _typed_questions(text: TurnText) -> list[tuple[str, Span]]:
    found = []
    for sentence, is_question in text.sentences:
        matches = phrase_starts(text, sentence)
        if is_question:
            # A '?' already marks the question: a phrase anywhere in it ('…, but did you get the email?') types it.
            matches = matches or phrase_starts(text, sentence, anywhere=True)
            first = matches[0] if matches else ("closed", sentence)
            found.append((first[0], quote_span(first[1], sentence)))
        else:
            found.extend((name, quote_span(span, sentence)) for name, span in matches if name == "clarifying_request")
    return found


def _spoken_questions(text: TurnText) -> list[tuple[str, Span]]:
    whole = Span(0, len(text.tokens))
    found, taken_until = [], -1
    for name, span in phrase_starts(text, whole):
        if span.first >= taken_until:
            quote = quote_span(span, whole)
            found.append((name, quote))
            taken_until = quote.last
    return found


def phrase_starts(text: TurnText, sentence: Span, anywhere: bool = False) -> list[tuple[str, Span]]:
    """Question phrases inside `sentence` at a place a question can start, best category first per position
    (with `anywhere`, also mid-sentence, except right after a subject)."""
    chosen: dict[int, tuple[int, str, Span]] = {}
    norm_sentence = " ".join(text.tokens[sentence.first : sentence.last])
    offset = sentence.first
    categories = lexicon("questions")
    for rank, name in enumerate(PRIORITY):
        for match in categories[name].finditer(norm_sentence):
            local = _local_span(norm_sentence, match)
            span = Span(local.first + offset, local.last + offset)
            if not _may_start(text.tokens, span.first, sentence.first, name, anywhere):
                continue
            if span.first not in chosen or chosen[span.first][0] > rank:
                chosen[span.first] = (rank, name, span)
    return [(name, span) for _, name, span in sorted(chosen.values(), key=lambda item: item[2].first)]


def _may_start(tokens: list[str], first: int, sentence_first: int, name: str, anywhere: bool) -> bool:
    """Requests ('could you tell me…') may start anywhere. Otherwise a question starts a sentence or follows a
    discourse word; with `anywhere`, any place except right after a subject ('we have it' states, not asks)."""
    if name in ANYWHERE:
        return True
    cues = lexicon("questions")
    previous = tokens[first - 1] if first > sentence_first else ""
    if anywhere:
        return previous not in cues["subjects"].words
    if not previous or tokens[first] in IMPERATIVE_STARTS:
        return True
    return previous in cues["discourse"].words or (previous == "you" and first >= 2 and tokens[first - 2] == "thank")


def _local_span(norm: str, match: re.Match[str]) -> Span:
    first = norm.count(" ", 0, match.start())
    return Span(first, first + len(match.group().split()))


def quote_span(span: Span, sentence: Span) -> Span:
    return Span(span.first, max(span.last, min(sentence.last, span.first + QUOTE_WORDS)))


def utterance_question_kind(text: TurnText) -> str | None:
    """How the question phrases type a whole utterance the classifier hears as a question: `open_question` when
    any question in it starts like an open or clarifying one, else `closed_question` when one asks for a single
    fact, else None. A yes/no form alone decides nothing ('can you tell me…', 'would you like to talk about it?'
    often invite a full answer). Unpunctuated speech with no phrase where a question starts falls back to the
    last question phrase anywhere in it."""
    categories = [name for name, _ in question_spans(text)]
    if not categories and not is_typed(text):
        categories = [name for name, _ in phrase_starts(text, Span(0, len(text.tokens)), anywhere=True)[-1:]]
    kinds = {lexicon("questions")[name].kind for name in categories}
    if kinds & {"open_question", "clarifying_question"}:
        return "open_question"
    return "closed_question" if SINGLE_FACT in categories else None
