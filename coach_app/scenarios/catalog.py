"""The shipped scenario catalogue: every `*.toml` under resources/scenarios/, looked up by id."""

from functools import cache
from pathlib import Path

from coach_app.errors import ScenarioError
from coach_app.paths import resource
from coach_app.scenarios.loader import load_scenario_file
from coach_app.scenarios.model import DIFFICULTIES, Scenario


def scenarios_dir() -> Path:
    return resource("scenarios")


@cache
def _catalogue(folder: Path) -> tuple[Scenario, ...]:
    scenarios = tuple(load_scenario_file(path) for path in sorted(folder.glob("*.toml")))
    seen: dict[str, str] = {}
    for scenario in scenarios:
        if scenario.id in seen:
            raise ScenarioError(
                f"{scenario.source}: key `id` repeats {scenario.id!r} from {seen[scenario.id]}: give it its own id."
            )
        seen[scenario.id] = scenario.source
    return tuple(sorted(scenarios, key=lambda s: (DIFFICULTIES.index(s.difficulty), s.id)))


def list_scenarios() -> tuple[Scenario, ...]:
    """All shipped scenarios, easiest first."""
    return _catalogue(scenarios_dir())


def get_scenario(scenario_id: str) -> Scenario:
    """The shipped scenario with this id, or a `ScenarioError` listing the ids there are."""
    for scenario in list_scenarios():
        if scenario.id == scenario_id:
            return scenario
    known = ", ".join(s.id for s in list_scenarios())
    raise ScenarioError(f"There is no scenario {scenario_id!r}: use one of {known} (see `coach-app scenarios list`).")


def find_scenario(reference: str) -> Scenario:
    """A shipped scenario by id, or a trainer's own scenario file by path (anything ending in `.toml`)."""
    if reference.endswith(".toml"):
        return load_scenario_file(reference)
    return get_scenario(reference)
