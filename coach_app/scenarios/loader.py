"""Read a scenario TOML file and validate every key; each error names the file and the key and says what to do."""

from pathlib import Path

from coach_app.errors import AudioError, ScenarioError
from coach_app.scenarios.effects import DEFAULT_UNLOCKED_BY, FINDING_KINDS, UNLOCKING_KINDS
from coach_app.scenarios.model import (
    DIFFICULTIES,
    MOOD_MIN,
    MOOD_NAMES,
    MOOD_VALUES,
    HiddenNeed,
    Line,
    Persona,
    Reactions,
    Scenario,
    Voice,
)
from coach_app.toml_files import read_toml

TOP_LEVEL_KEYS = {
    "id", "title", "domain", "difficulty", "persona", "brief", "opening", "facts", "hidden_needs", "reactions",
    "resolution", "closing",
}  # fmt: skip


class _Table:
    """A TOML table with the file and key path it came from, so every check can name both."""

    def __init__(self, data: dict, source: str, prefix: str = "") -> None:
        self.data, self.source, self.prefix = data, source, prefix

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def fail(self, name: str, problem: str) -> ScenarioError:
        return ScenarioError(f"{self.source}: key `{self.key(name)}` {problem}.")

    def get(self, name: str, kind: type, kind_name: str, default: object = ...) -> object:
        if name not in self.data:
            if default is ...:
                raise self.fail(name, f"is missing: add it ({kind_name})")
            return default
        value = self.data[name]
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            raise self.fail(name, f"must be {kind_name}, not {type(value).__name__}")
        return value

    def text(self, name: str, default: object = ...) -> str:
        value = self.get(name, str, "a text string", default)
        if isinstance(value, str) and not value.strip():
            raise self.fail(name, "is empty: write some text")
        return value

    def texts(self, name: str, default: object = ..., non_empty: bool = True) -> tuple[str, ...]:
        values = self.get(name, list, "a list of text strings", default)
        if not all(isinstance(v, str) and v.strip() for v in values):
            raise self.fail(name, "must hold only non-empty text strings")
        if non_empty and not values:
            raise self.fail(name, "is an empty list: give at least one line")
        return tuple(values)

    def lines(self, name: str, line_id: str | None = None) -> tuple[Line, ...]:
        line_id = line_id or self.key(name)
        return tuple(Line(f"{line_id}.{i}", text) for i, text in enumerate(self.texts(name)))

    def table(self, name: str, optional: bool = False) -> "_Table":
        value = self.get(name, dict, "a table", {} if optional else ...)
        return _Table(value, self.source, f"{self.key(name)}.")

    def reject_unknown(self, allowed: set[str]) -> None:
        for name in self.data:
            if name not in allowed:
                raise self.fail(name, f"is not a known key (misspelt?): use some of {', '.join(sorted(allowed))}")


def load_scenario_file(path: str | Path) -> Scenario:
    """Load and validate one scenario file; any problem raises `ScenarioError` naming the file and key."""
    path = Path(path)
    data = read_toml(path, ScenarioError, "scenario")
    scenario = scenario_from_dict(data, str(path))
    _check_clips(scenario, path.parent / "clips")
    return scenario


def _check_clips(scenario: Scenario, clips_dir: Path) -> None:
    """Every recorded clip must be named after one of the scenario's lines, or it would silently never play."""
    if not clips_dir.is_dir():
        return
    from coach_app.audio.convert import probe  # soundfile loads only for scenarios that have clips

    line_ids = {line.id for line in scenario.lines()}
    for clip in sorted(clips_dir.glob("*.wav")):
        if clip.stem not in line_ids:
            raise ScenarioError(
                f"{clip}: no line of {scenario.source} has the id {clip.stem!r}: name each clip after a line id "
                f"(`coach-app scenarios show {scenario.id}` lists them)."
            )
        try:
            probe(clip)  # opened as audio: a text file named .wav, an empty file, a FIFO or a folder is refused
        except AudioError as exc:
            raise ScenarioError(f"Recorded clip of {scenario.source}: {exc}") from None


def scenario_from_dict(data: dict, source: str) -> Scenario:
    """Validate parsed TOML and build a `Scenario`; `source` names the file in error messages."""
    top = _Table(data, source)
    top.reject_unknown(TOP_LEVEL_KEYS)
    scenario_id = top.text("id")
    if not scenario_id.replace("-", "").replace("_", "").isalnum() or scenario_id != scenario_id.lower():
        raise top.fail("id", f"is {scenario_id!r}: use lower-case letters, digits and hyphens")
    difficulty = top.text("difficulty")
    if difficulty not in DIFFICULTIES:
        raise top.fail("difficulty", f"is {difficulty!r}: use one of {', '.join(DIFFICULTIES)}")
    needs = _hidden_needs(top)
    need_ids = {need.id for need in needs}
    resolution = top.table("resolution")
    resolution.reject_unknown({"requires_needs"})
    requires_needs = resolution.texts("requires_needs", (), non_empty=False)
    for need_id in requires_needs:
        if need_id not in need_ids:
            raise resolution.fail("requires_needs", f"names unknown hidden need {need_id!r}: use one of the ids")
    closing = top.table("closing")
    closing.reject_unknown({"resolved", "escalated"})
    return Scenario(
        id=scenario_id,
        title=top.text("title"),
        domain=top.text("domain"),
        difficulty=difficulty,
        persona=_persona(top.table("persona")),
        brief=top.text("brief"),
        opening=Line("opening", top.text("opening")),
        facts=top.lines("facts"),
        hidden_needs=needs,
        reactions=_reactions(top.table("reactions")),
        requires_needs=requires_needs,
        closing_resolved=closing.lines("resolved"),
        closing_escalated=closing.lines("escalated"),
        source=source,
    )


def _mood(table: _Table, name: str, default: object = ...) -> int:
    value = table.text(name, default)
    if value not in MOOD_VALUES:
        raise table.fail(name, f"is {value!r}: use one of {', '.join(MOOD_VALUES)}")
    return MOOD_VALUES[value]


def _persona(table: _Table) -> Persona:
    table.reject_unknown({"name", "mood", "voice"})
    voice = table.table("voice")
    voice.reject_unknown({"gender", "language", "rate_wpm"})
    gender = voice.text("gender")
    if gender not in ("female", "male"):
        raise voice.fail("gender", f"is {gender!r}: use female or male")
    rate = voice.get("rate_wpm", int, "a whole number of words per minute", 165)
    if not 80 <= rate <= 300:
        raise voice.fail("rate_wpm", f"is {rate}: use a speaking rate between 80 and 300 words per minute")
    return Persona(
        name=table.text("name"),
        mood=_mood(table, "mood"),
        voice=Voice(gender=gender, language=voice.text("language", "en-us"), rate_wpm=rate),
    )


def _hidden_needs(top: _Table) -> tuple[HiddenNeed, ...]:
    items = top.get("hidden_needs", list, "a list of [[hidden_needs]] tables")
    if not items:
        raise top.fail("hidden_needs", "is empty: give at least one [[hidden_needs]] table")
    needs: list[HiddenNeed] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise top.fail(f"hidden_needs[{i}]", "must be a table")
        table = _Table(item, top.source, f"hidden_needs[{i}].")
        table.reject_unknown({"id", "description", "reveal", "unlocked_by", "topics", "requires", "min_mood"})
        need_id = table.text("id")
        if need_id in {need.id for need in needs}:
            raise table.fail("id", f"repeats hidden need id {need_id!r}: give each need its own id")
        unlocked_by = table.texts("unlocked_by", DEFAULT_UNLOCKED_BY)
        for kind in unlocked_by:
            if kind not in UNLOCKING_KINDS:
                raise table.fail("unlocked_by", f"names {kind!r}: use some of {', '.join(UNLOCKING_KINDS)}")
        requires = table.texts("requires", (), non_empty=False)
        known = {need.id for need in needs}
        for other in requires:
            if other not in known:
                raise table.fail("requires", f"names {other!r}, which is not a hidden need listed above this one")
        needs.append(
            HiddenNeed(
                id=need_id,
                description=table.text("description"),
                reveal=Line(f"hidden_needs.{need_id}", table.text("reveal")),
                unlocked_by=unlocked_by,
                topics=tuple(t.lower() for t in table.texts("topics", (), non_empty=False)),
                requires=requires,
                min_mood=_mood(table, "min_mood", MOOD_NAMES[MOOD_MIN]),
            )
        )
    return tuple(needs)


def _reactions(table: _Table) -> Reactions:
    table.reject_unknown({"calmer", "escalated", "neutral", "not_yet", "mood_effects"})
    effects = table.table("mood_effects", optional=True)
    for kind, delta in effects.data.items():
        if kind not in FINDING_KINDS:
            raise effects.fail(kind, f"is not a finding kind: use some of {', '.join(sorted(FINDING_KINDS))}")
        if not isinstance(delta, int) or isinstance(delta, bool) or not -3 <= delta <= 3:
            raise effects.fail(kind, "must be a whole number from -3 to 3")
    return Reactions(
        calmer=table.lines("calmer"),
        escalated=table.lines("escalated"),
        neutral=table.lines("neutral"),
        not_yet=table.lines("not_yet"),
        mood_effects=tuple(sorted(effects.data.items())),
    )
