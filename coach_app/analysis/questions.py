"""Questions: open, clarifying and closed (including single-fact) questions, in typed and speech-recognition text.

Typed text: each sentence ending in '?' is a question, typed by the first question phrase at its start.
Speech-recognition text has no '?', so a question phrase counts where it opens the turn or follows a
discourse word ('so', 'okay', 'and'…). When no phrase is found, the shipped utterance classifier decides.
"""

import re

from coach_app.analysis.context import Conversation
from coach_app.analysis.lexicon import lexicon
from coach_app.analysis.text import Span, TurnText
from coach_app.core import Finding

# Category order decides between phrases starting at the same word: 'what's your account number' is a
# single-fact question even though it starts like an open one.
PRIORITY = ("clarifying_request", "clarifying", "information", "open", "open_anywhere", "closed")
# Requests such as 'could you tell me more about…' are questions wherever they stand in a turn.
ANYWHERE = frozenset({"clarifying_request", "open_anywhere"})
IMPERATIVE_STARTS = frozenset({"tell", "walk", "talk", "help", "describe", "explain"})
MODEL_MIN_CONFIDENCE = 0.6
MODEL_ALONE_MIN_CONFIDENCE = 0.85  # with no question phrase anywhere, the classifier must be this sure
QUOTE_WORDS = 16


def detect(conv: Conversation, index: int) -> list[Finding]:
    """Question findings for one rep turn: at most one per kind."""
    if not conv.is_rep(index):
        return []
    text = conv.text(index)
    found = question_spans(text)
    if not found and not is_typed(text) and len(text.tokens) >= 3:
        # Unpunctuated speech with no phrase where a question starts: if the classifier hears a question, the
        # last question phrase anywhere types it (questions tend to end a turn), else the classifier's label.
        label = conv.utterance(index)
        if label.label in ("open_question", "closed_question") and label.confidence >= MODEL_MIN_CONFIDENCE:
            anywhere = _phrase_starts(text, Span(0, len(text.tokens)), anywhere=True)
            if anywhere:
                found = [(anywhere[-1][0], _quote_span(anywhere[-1][1], Span(0, len(text.tokens))))]
            elif label.confidence >= MODEL_ALONE_MIN_CONFIDENCE:
                category = "open" if label.label == "open_question" else "closed"
                found = [(category, Span(max(0, len(text.tokens) - QUOTE_WORDS), len(text.tokens)))]
    findings, kinds = [], set()
    for category_name, span in found:
        category = lexicon("questions")[category_name]
        if category.kind in kinds:
            continue
        kinds.add(category.kind)
        findings.append(conv.finding(category.kind, index, span, category.reason, category.tip))
    return findings


def question_spans(text: TurnText) -> list[tuple[str, Span]]:
    """(category, span) of each question in a turn; shared with the reflection and perspective detectors."""
    return _typed_questions(text) if is_typed(text) else _spoken_questions(text)


def is_typed(text: TurnText) -> bool:
    """Typed text has punctuation; speech-recognition text has none."""
    return any(ch in text.turn.text for ch in ".?!,")


def _typed_questions(text: TurnText) -> list[tuple[str, Span]]:
    found = []
    for sentence, is_question in text.sentences:
        matches = _phrase_starts(text, sentence)
        if is_question:
            # A '?' already marks the question: a phrase anywhere in it ('…, but did you get the email?') types it.
            matches = matches or _phrase_starts(text, sentence, anywhere=True)
            first = matches[0] if matches else ("closed", sentence)
            found.append((first[0], _quote_span(first[1], sentence)))
        else:
            found.extend((name, _quote_span(span, sentence)) for name, span in matches if name == "clarifying_request")
    return found


def _spoken_questions(text: TurnText) -> list[tuple[str, Span]]:
    whole = Span(0, len(text.tokens))
    found, taken_until = [], -1
    for name, span in _phrase_starts(text, whole):
        if span.first >= taken_until:
            quote = _quote_span(span, whole)
            found.append((name, quote))
            taken_until = quote.last
    return found


def _phrase_starts(text: TurnText, sentence: Span, anywhere: bool = False) -> list[tuple[str, Span]]:
    """Question phrases inside `sentence` at a place a question can start, best category first per position."""
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


def _quote_span(span: Span, sentence: Span) -> Span:
    return Span(span.first, max(span.last, min(sentence.last, span.first + QUOTE_WORDS)))
