"""Practice scenarios: the TOML catalogue and a simulated customer who reacts to how well the rep listens."""

from coach_app.scenarios.catalog import get_scenario, list_scenarios
from coach_app.scenarios.loader import load_scenario_file

__all__ = ["get_scenario", "list_scenarios", "load_scenario_file"]
