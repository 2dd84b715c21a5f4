"""Phrase lexicons: TOML files under resources/lexicons, validated on load, compiled to regexes over normalised text.

Each file holds tables (categories). A category has `patterns` (regular expressions over lower-case text without
punctuation, matched on word boundaries) and/or `words` (plain words), and unless it is an internal cue
(`kind = "cue"`, which needs patterns or words) a finding `kind`, a `reason` (why it matters) and a `tip` (what
to try); timing categories carry only the kind, reason and tip.
"""

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from coach_app.errors import LexiconError
from coach_app.paths import resource
from coach_app.scoring.kinds import KINDS

CUE = "cue"
_KEYS = {"kind", "reason", "tip", "patterns", "words"}
_PLAIN_WORD = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True)
class Category:
    """One group of phrases that mean the same behaviour."""

    name: str
    kind: str
    reason: str
    tip: str
    regex: re.Pattern[str] | None
    words: frozenset[str]

    def finditer(self, norm: str) -> list[re.Match[str]]:
        return list(self.regex.finditer(norm)) if self.regex else []

    def search(self, norm: str) -> re.Match[str] | None:
        return self.regex.search(norm) if self.regex else None


@cache
def lexicon(name: str) -> dict[str, Category]:
    """The categories of resources/lexicons/NAME.toml, loaded and validated once."""
    return load_lexicon(resource("lexicons", f"{name}.toml"))


def load_lexicon(path: Path) -> dict[str, Category]:
    """Read and validate one lexicon file; problems raise LexiconError naming the file and key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LexiconError(f"Lexicon {path} is missing: reinstall Listening Coach or restore the file.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"Cannot read lexicon {path} ({exc}): check the file is UTF-8 text.") from None
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"Lexicon {path} is not valid TOML ({exc}): fix the syntax there.") from None
    if not data:
        raise LexiconError(f"Lexicon {path} has no categories: add at least one [category] table.")
    return {name: _category(name, table, path) for name, table in data.items()}


def _category(name: str, table: object, path: Path) -> Category:
    if not isinstance(table, dict):
        raise LexiconError(f'Lexicon {path}: "{name}" must be a table ([{name}]) with kind and patterns or words.')
    for key in table:
        if key not in _KEYS:
            raise LexiconError(f'Lexicon {path}: unknown key "{name}.{key}": use {", ".join(sorted(_KEYS))}.')
    kind = table.get("kind")
    if kind != CUE and kind not in KINDS:
        raise LexiconError(f'Lexicon {path}: key "{name}.kind" must be "cue" or a finding kind (got {kind!r}).')
    texts = {}
    for key in ("reason", "tip"):
        value = table.get(key, "")
        if not isinstance(value, str) or (kind != CUE and not value.strip()):
            raise LexiconError(f'Lexicon {path}: key "{name}.{key}" must be a non-empty string.')
        texts[key] = value.strip()
    patterns = _strings(table, "patterns", name, path)
    words = _strings(table, "words", name, path)
    if kind == CUE and not patterns and not words:
        raise LexiconError(f'Lexicon {path}: cue "{name}" needs a non-empty "patterns" or "words" list.')
    for j, word in enumerate(words):
        if not _PLAIN_WORD.fullmatch(word):
            raise LexiconError(f'Lexicon {path}: key "{name}.words[{j}]" ({word!r}) must be one lower-case word.')
    return Category(name, kind, texts["reason"], texts["tip"], _compile(patterns, name, path), frozenset(words))


def _strings(table: dict, key: str, name: str, path: Path) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise LexiconError(f'Lexicon {path}: key "{name}.{key}" must be a list of non-empty strings.')
    return [item.strip() for item in value]


def _compile(patterns: list[str], name: str, path: Path) -> re.Pattern[str] | None:
    if not patterns:
        return None
    for j, pattern in enumerate(patterns):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise LexiconError(
                f'Lexicon {path}: key "{name}.patterns[{j}]" is not a valid pattern ({exc}): fix {pattern!r}.'
            ) from None
    return re.compile(r"(?<![a-z0-9'])(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?![a-z0-9'])")
