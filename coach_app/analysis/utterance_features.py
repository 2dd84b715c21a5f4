"""Text features for the utterance classifier, shared by the training script and the numpy inference."""

import math
import re
from collections.abc import Iterator

from coach_app.analysis.question_phrases import question_spans
from coach_app.analysis.text import utterance_text

# Sentence marks kept as tokens; every other non-word character is dropped, exactly as speech recognition
# output lacks it, so typed and recognised text give the same word tokens.
_SENTENCE_MARKS = {"?": " ? ", ".": " . ", "!": " . ", ",": " , ", ";": " , ", ":": " , "}
_WORD_CHARS = re.compile(r"[^\w'?., ]|_")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


WH_WORDS = frozenset({"what", "how", "why", "when", "where", "who", "which", "whats", "what's", "how's", "hows"})
AUXILIARIES = _word_set(
    "do does did is are was were am have has had can could would will should shall may might must "
    "don't doesn't didn't isn't aren't wasn't weren't haven't hasn't can't couldn't wouldn't won't shouldn't"
)
SUBJECTS = _word_set("you i we he she it they that this there your anyone anything someone something")
OPENERS = _word_set("okay ok so and but um uh mm hmm mmhmm yeah yes right alright well oh now then great good sure")
STOPWORDS = _word_set(
    """a an the and or but so if then than that this these those it its it's is are was were be been being am
    i i'm i've i'd i'll me my mine we we're our us you you're you've you'd you'll your yours he she they them
    their his her him do does did doing don't have has had having to of in on at for with about from by as
    into out up down over just not no yes yeah okay ok well um uh mm mmhmm hmm right oh like really very
    can could would will should what how why when where who which there here all some any more much
    also because get got go going know think mean say said thing things kind sort lot little bit now too"""
)


def asr_normalise(text: str) -> str:
    """Text as speech recognition gives it: lower case, only letters, digits, apostrophes and spaces."""
    return "".join(ch for ch in text.lower() if ch.isalnum() or ch in "' ")


def tokenize(text: str) -> list[str]:
    """Lower-cased words plus the sentence marks `?`, `.` and `,` as tokens (absent from recognised text)."""
    lowered = text.lower()
    for mark, spaced in _SENTENCE_MARKS.items():
        lowered = lowered.replace(mark, spaced)
    return _WORD_CHARS.sub("", lowered).split()


def words_of(tokens: list[str]) -> list[str]:
    return [tok for tok in tokens if tok not in {"?", ".", ","}]


def last_sentence(tokens: list[str]) -> list[str]:
    """Words of the last sentence; a trailing `?` or `.` ends it, earlier ones start it."""
    end = len(tokens)
    while end and tokens[end - 1] in {"?", "."}:
        end -= 1
    start = end
    while start and tokens[start - 1] not in {"?", "."}:
        start -= 1
    return words_of(tokens[start:end])


def _ngrams(words: list[str], prefix: str, max_n: int) -> Iterator[str]:
    for n in range(1, max_n + 1):
        for i in range(len(words) - n + 1):
            yield prefix + " ".join(words[i : i + n])


def question_onsets(words: list[str]) -> list[tuple[int, str]]:
    """Where a question may start without a `?`: a wh-word, or an auxiliary before a subject ("do you").

    An auxiliary just after a wh-word belongs to that wh-question ("what do you ..."), so it starts nothing.
    """
    onsets: list[tuple[int, str]] = []
    for i, word in enumerate(words):
        after_wh = bool(onsets) and onsets[-1][1] == "wh" and i - onsets[-1][0] <= 3
        if word in WH_WORDS:
            onsets.append((i, "wh"))
        elif word in AUXILIARIES and i + 1 < len(words) and words[i + 1] in SUBJECTS and not after_wh:
            onsets.append((i, "aux"))
    return onsets


def without_openers(words: list[str]) -> list[str]:
    """The words after leading fillers and discourse markers ("okay so um what ..." → "what ...")."""
    start = 0
    while start < len(words) and words[start] in OPENERS:
        start += 1
    return words[start:]


def _starts(words: list[str], prefix: str, sizes: tuple[int, ...] = (1, 2, 3)) -> list[str]:
    return [prefix + " ".join(words[:n]) for n in sizes if len(words) >= n]


def word_terms(text: str, prev_text: str) -> list[str]:
    """Word n-gram terms: the utterance, how it (and its last sentence) starts and ends, where a question starts.

    `prev_text` only enters through the handcrafted overlap cues; its words as terms overfit the training talks.
    """
    tokens = tokenize(text)
    words = words_of(tokens)
    terms = list(_ngrams(tokens, "", 3))
    terms += _starts(words, "^")
    terms += _starts(without_openers(words), "C^")
    terms += [" ".join(words[-n:]) + "$" for n in (1, 2, 3) if len(words) >= n]
    terms += list(_ngrams(words[-5:], "E:", 2))
    if len(words) < len(tokens):  # punctuated: the last sentence is known
        sentence = last_sentence(tokens)
        terms += _starts(sentence, "S^", (1, 2))
        terms += _starts(without_openers(sentence), "SC^")
    onsets = question_onsets(words)
    if onsets:
        start, kind = onsets[-1]
        terms.append("Q:" + " ".join(words[start : start + 2]))
        terms += [f"QK:{kind}", f"QK:{kind}:{min((len(words) - start) // 4, 4)}"]
    return terms


def char_terms(text: str) -> list[str]:
    """Character 3–5-grams of the recognised-style text, across word boundaries."""
    padded = f" {asr_normalise(text)} "
    return [padded[i : i + n] for n in range(3, 6) for i in range(len(padded) - n + 1)]


def _content_words(words: list[str]) -> set[str]:
    return {word for word in words if word not in STOPWORDS and len(word) > 2}


def _stem(word: str) -> str:
    return word[:5]


def is_punctuated(text: str) -> bool:
    """Whether the text carries punctuation (typed), unlike speech recognition output."""
    return any(mark in text for mark in "?.!,;:")


def ends_with_question(text: str) -> bool:
    """Whether the last sentence mark of the text is a question mark."""
    marks = [ch for ch in text if ch in "?.!"]
    return bool(marks) and marks[-1] == "?"


def phrase_cues(text: str) -> dict[str, float]:
    """Which question phrases the rules find (see `question_phrases`): any, the first and the last one's category."""
    categories = [name for name, _ in question_spans(utterance_text(text))]
    cues = {f"phrase_any_{name}": 1.0 for name in categories}
    if categories:
        cues[f"phrase_first_{categories[0]}"] = 1.0
        cues[f"phrase_last_{categories[-1]}"] = 1.0
    return cues


def handcrafted_features(text: str, prev_text: str, question_prob: float) -> dict[str, float]:
    """Dense cues in 0–1: how the utterance ends, where a question starts, which question phrases the rules find,
    and overlap with the customer's words.

    `question_prob` is the chance that the utterance ends with a question: its `?` when typed, a model's estimate
    when it comes without punctuation.
    """
    tokens = tokenize(text)
    words = words_of(tokens)
    prev_words = words_of(tokenize(prev_text))
    features: dict[str, float] = {"bias_len": min(math.log1p(len(words)) / 5.0, 1.0)}
    features["question_prob"] = question_prob
    features["question_likely"] = float(question_prob > 0.5)
    features.update(phrase_cues(text))
    features["has_question_mark"] = float("?" in text)
    features["has_punctuation"] = float(is_punctuated(text))
    features["prev_empty"] = float(not prev_words)
    features["prev_question"] = float(prev_text.rstrip().endswith("?"))
    features["prev_len"] = min(math.log1p(len(prev_words)) / 5.0, 1.0)
    onsets = question_onsets(words)
    if onsets:
        words_after = len(words) - onsets[-1][0]
        features["onset_near_end"] = float(words_after <= 12)
        features["onset_share"] = words_after / len(words)
        features["onset_at_start"] = float(onsets[0][0] == 0)
    content = _content_words(words)
    prev_content = _content_words(prev_words)
    if content and prev_content:
        shared = {_stem(w) for w in content} & {_stem(w) for w in prev_content}
        features["overlap_of_utterance"] = len(shared) / len(content)
        features["overlap_of_prev"] = len(shared) / len(prev_content)
        features["overlap_any"] = float(bool(shared))
        features["overlap_count"] = min(len(shared) / 5.0, 1.0)
    return features
