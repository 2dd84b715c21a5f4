"""Shared text helpers: one normalised form for typed and speech-recognition text, spans, content words."""

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache

from coach_app.core import Turn

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_NOT_WORD = re.compile(r"[^a-z0-9' ]+")
_EDGE_APOSTROPHES = re.compile(r"(?<![a-z0-9])'|'(?![a-z0-9])")
_SPACES = re.compile(r" +")
_SENTENCE_END = re.compile(r"[.?!]+(?=\s|$)")
_SPOKEN_WORD = re.compile(r"\S*[^\W_]\S*")

# Function words that say nothing about the customer's situation; content-word overlap ignores them.
_STOPWORD_TEXT = """
    a about above after again against all also am an and any are aren't as at be because been before being
    below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during
    each few for from further get got had hadn't has hasn't have haven't having he he'd he'll he's her here
    here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself
    just let let's me more most mustn't my myself no nor not now of off on once only or other ought our ours
    ourselves out over own really same shan't she she'd she'll she's should shouldn't so some such than that
    that's the their theirs them themselves then there there's these they they'd they'll they're they've this
    those through to too under until up very was wasn't we we'd we'll we're we've were weren't what what's when
    when's where where's which while who who's whom why why's will with won't would wouldn't you you'd you'll
    you're you've your yours yourself yourselves yes yeah okay ok oh well um uh erm mm hmm right sure like
    thing things something anything everything going gonna want wanted need needed know think mean see said
    say tell told one two thank thanks please sorry hi hello bit lot still even back way
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, letters/digits/apostrophes only, single spaces: how ASR text looks."""
    text = text.lower().translate(_APOSTROPHES)
    text = _NOT_WORD.sub(" ", text)
    text = _EDGE_APOSTROPHES.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def stem(token: str) -> str:
    """A crude stem so that 'charged', 'charging' and 'charges' meet; good enough for overlap counts."""
    token = token.removesuffix("'s")
    for suffix in ("ing", "ed", "es", "s"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            root = token[: -len(suffix)]
            # 'stopped' → 'stopp' → 'stop', so it meets 'stops'
            return root[:-1] if suffix in ("ing", "ed") and root[-1] == root[-2] and root[-1] not in "aeiouls" else root
    return token


def content_stems(text: str) -> frozenset[str]:
    """Stems of the words that carry meaning (no stopwords, three letters or more)."""
    return frozenset(stem(t) for t in normalise(text).split() if len(t) >= 3 and t not in STOPWORDS)


def spoken_word_count(text: str) -> int:
    """Words as a listener counts them: whitespace-separated pieces with a letter or digit ('mm-hmm' is one)."""
    return len(_SPOKEN_WORD.findall(text))


@dataclass(frozen=True)
class Span:
    """A stretch of a turn's normalised tokens, [first, last) by token index."""

    first: int
    last: int


class TurnText:
    """One turn's normalised text with helpers to find phrases and map them back to times and words."""

    def __init__(self, turn: Turn) -> None:
        self.turn = turn
        self.norm = normalise(turn.text)
        self.tokens = self.norm.split()
        self._token_starts = _token_starts(self.norm)
        self._pieces = turn.text.split()
        self._piece_of_token = [i for i, piece in enumerate(self._pieces) for _ in normalise(piece).split()]

    @cached_property
    def spoken_words(self) -> int:
        return spoken_word_count(self.turn.text)

    @cached_property
    def content(self) -> frozenset[str]:
        return content_stems(self.turn.text)

    @cached_property
    def sentences(self) -> tuple[tuple[Span, bool], ...]:
        """Sentences as token spans with whether each ended in '?'; ASR text is one sentence without '?'."""
        out: list[tuple[Span, bool]] = []
        first = 0
        raw = self.turn.text.translate(_APOSTROPHES)
        pos = 0
        for match in _SENTENCE_END.finditer(raw):
            count = len(normalise(raw[pos : match.end()]).split())
            if count:
                out.append((Span(first, first + count), "?" in match.group()))
                first += count
            pos = match.end()
        if first < len(self.tokens):
            out.append((Span(first, len(self.tokens)), False))
        return tuple(out)

    def span_of(self, match: re.Match[str]) -> Span:
        """Token span covered by a regex match on `self.norm`."""
        first = max(bisect_right(self._token_starts, match.start()) - 1, 0)
        last = max(bisect_right(self._token_starts, max(match.end() - 1, match.start())), first + 1)
        return Span(first, last)

    def quote(self, span: Span) -> str:
        """The words of a span as written (with their punctuation), else as normalised tokens."""
        if len(self._piece_of_token) == len(self.tokens) and span.last > span.first:
            first, last = self._piece_of_token[span.first], self._piece_of_token[span.last - 1]
            return " ".join(self._pieces[first : last + 1])
        return " ".join(self.tokens[span.first : span.last])

    def times(self, span: Span) -> tuple[float, float]:
        """Start and end seconds of a span: from word timings when present, else the whole turn."""
        words = self.turn.words
        if not words or not self.tokens:
            return self.turn.start_s, self.turn.end_s
        scale = len(words) / len(self.tokens)
        first = min(int(span.first * scale), len(words) - 1)
        last = min(max(int(round(span.last * scale)) - 1, first), len(words) - 1)
        return words[first].start_s, words[last].end_s

    def sentence_around(self, span: Span, max_words: int = 25) -> Span:
        """From the span's start to the end of its sentence (at most `max_words` tokens)."""
        end = len(self.tokens)
        for sentence, _ in self.sentences:
            if sentence.first <= span.first < sentence.last:
                end = sentence.last
                break
        return Span(span.first, max(span.last, min(end, span.first + max_words)))


@lru_cache(maxsize=64)
def utterance_text(text: str) -> TurnText:
    """The TurnText of a bare utterance, without times (for classifying text out of any transcript); the same
    object for the same text, so the classifier's cues and its question typing share one reading."""
    return TurnText(Turn("rep", 0.0, 0.0, text))


def _token_starts(norm: str) -> list[int]:
    starts, pos = [], 0
    for token in norm.split(" "):
        if token:
            starts.append(pos)
        pos += len(token) + 1
    return starts
