"""Lexicon files load and validate, with errors naming the file and the key."""

import pytest

from coach_app.analysis.lexicon import lexicon, load_lexicon
from coach_app.errors import LexiconError
from coach_app.paths import resource

SHIPPED = sorted(p.stem for p in resource("lexicons").glob("*.toml"))


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_lexicons_load(name):
    """Every shipped lexicon validates."""
    assert lexicon(name)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[a]\nkind = "empathy"\nreason = "r"\ntip = "t"\npatterns = ["(unclosed"]', "a.patterns[0]"),
        ('[a]\nkind = "empathyy"\nreason = "r"\ntip = "t"\npatterns = ["x"]', "a.kind"),
        ('[a]\nkind = "empathy"\ntip = "t"\npatterns = ["x"]', "a.reason"),
        ('[a]\nkind = "cue"\n', 'cue "a"'),
        ('[a]\nkind = "cue"\nwords = ["Two Words"]', "a.words[0]"),
        ('[a]\nkind = "empathy"\nreason = "r"\ntip = "t"\npattern = ["x"]', "a.pattern"),
        ("[a\n", "not valid TOML"),
    ],
)
def test_invalid_lexicons_name_file_and_key(tmp_path, content, expected):
    """Bad patterns, kinds, missing texts, unknown keys and bad TOML each raise LexiconError naming file and key."""
    path = tmp_path / "broken.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        load_lexicon(path)
    assert str(path) in str(err.value) and expected in str(err.value)
