"""Human names for what the database stores as keys: session kinds, scenario ids, a practice call's outcome.
(Finding kinds have theirs next to their definitions, in `scoring.kinds.kind_label`.)"""

from coach_app.errors import CoachError

SOURCE_LABELS: dict[str, str] = {
    "practice": "Practice",
    "imported_call": "Imported call",
    "bundle": "Shared bundle",
}


def source_label(source: str) -> str:
    return SOURCE_LABELS.get(source, source.replace("_", " ").capitalize())


def scenario_title(scenario_id: str | None) -> str:
    """A shipped scenario's title; an id no longer shipped reads as words."""
    if not scenario_id:
        return "—"
    from coach_app.scenarios.catalog import get_scenario

    try:
        return get_scenario(scenario_id).title
    except CoachError:
        return scenario_id.replace("-", " ").capitalize()


def outcome_text(extras: dict) -> str:
    """ "Customer: frustrated → calm · needs found 2 of 3 · resolved", or "" for a call that was not a scenario."""
    outcome = extras.get("scenario")
    if not isinstance(outcome, dict):
        return ""
    from coach_app.scenarios.catalog import get_scenario
    from coach_app.scenarios.model import mood_name

    final = str(outcome.get("final_mood", "?"))
    try:
        mood = f"{mood_name(get_scenario(str(outcome.get('scenario'))).persona.mood)} → {final}"
    except CoachError:
        mood = f"ended {final}"
    found, total = outcome.get("hidden_needs_found", 0), outcome.get("hidden_needs_total", 0)
    ending = "hung up" if outcome.get("hung_up") else "resolved" if outcome.get("resolved") else "not resolved"
    return f"Customer: {mood} · needs found {found} of {total} · {ending}"
