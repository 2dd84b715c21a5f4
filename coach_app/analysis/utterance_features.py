"""Text features for the utterance classifier, shared by the training script and the numpy inference."""

import math
import re
from collections.abc import Iterator

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


def question_onsets(words: list[str]) -> list[int]:
    """Positions where a question may start without a `?`: a wh-word, or an auxiliary followed by a subject."""
    return [
        i
        for i, word in enumerate(words)
        if word in WH_WORDS or (word in AUXILIARIES and i + 1 < len(words) and words[i + 1] in SUBJECTS)
    ]


def word_terms(text: str, prev_text: str) -> list[str]:
    """Word n-gram terms: the utterance, its first and last words, its last sentence, and the customer's words."""
    tokens = tokenize(text)
    words = words_of(tokens)
    terms = list(_ngrams(tokens, "", 3))
    terms += ["^" + " ".join(words[:n]) for n in (1, 2, 3) if len(words) >= n]
    terms += [" ".join(words[-n:]) + "$" for n in (1, 2, 3) if len(words) >= n]
    sentence = last_sentence(tokens)
    terms += ["S^" + " ".join(sentence[:n]) for n in (1, 2) if len(sentence) >= n]
    onsets = question_onsets(words)
    if onsets:
        last = onsets[-1]
        terms.append("Q:" + " ".join(words[last : last + 2]))
    prev_words = words_of(tokenize(prev_text))
    terms += list(_ngrams(prev_words, "P:", 1))
    terms += ["P^" + " ".join(prev_words[:n]) for n in (1, 2) if len(prev_words) >= n]
    return terms


def char_terms(text: str) -> list[str]:
    """Character 2–5-grams within word boundaries of the recognised-style text."""
    terms: list[str] = []
    for word in asr_normalise(text).split():
        padded = f" {word} "
        for n in range(2, 6):
            if n > len(padded):
                break
            terms += [padded[i : i + n] for i in range(len(padded) - n + 1)]
    return terms


def _content_words(words: list[str]) -> set[str]:
    return {word for word in words if word not in STOPWORDS and len(word) > 2}


def _stem(word: str) -> str:
    return word[:5]


def handcrafted_features(text: str, prev_text: str) -> dict[str, float]:
    """Dense cues in 0–1: how the utterance ends, where a question starts, and overlap with the customer's words."""
    tokens = tokenize(text)
    words = words_of(tokens)
    prev_words = words_of(tokenize(prev_text))
    features: dict[str, float] = {"bias_len": min(math.log1p(len(words)) / 5.0, 1.0)}
    stripped = text.rstrip()
    features["ends_question_mark"] = float(stripped.endswith("?"))
    features["has_question_mark"] = float("?" in text)
    features["has_punctuation"] = float(any(mark in text for mark in ".?!,"))
    features["prev_empty"] = float(not prev_words)
    features["prev_question"] = float(prev_text.rstrip().endswith("?"))
    features["prev_len"] = min(math.log1p(len(prev_words)) / 5.0, 1.0)
    onsets = question_onsets(words)
    if onsets:
        words_after = len(words) - onsets[-1]
        features["onset_near_end"] = float(words_after <= 12)
        features["onset_share"] = words_after / len(words)
        features["onset_at_start"] = float(onsets[0] == 0)
    content = _content_words(words)
    prev_content = _content_words(prev_words)
    if content and prev_content:
        shared = {_stem(w) for w in content} & {_stem(w) for w in prev_content}
        features["overlap_of_utterance"] = len(shared) / len(content)
        features["overlap_of_prev"] = len(shared) / len(prev_content)
        features["overlap_any"] = float(bool(shared))
        features["overlap_count"] = min(len(shared) / 5.0, 1.0)
    return features
