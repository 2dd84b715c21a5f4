"""`coach-app scenarios list [--json] | show ID | validate PATH`: the practice-scenario catalogue."""

import argparse
import json
import textwrap

from coach_app.scenarios.catalog import find_scenario, list_scenarios
from coach_app.scenarios.loader import load_scenario_file
from coach_app.scenarios.model import Scenario, mood_name


def register(subparsers) -> None:
    parser = subparsers.add_parser("scenarios", help="list, show or validate practice scenarios")
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="the shipped scenarios, easiest first")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(func=run_list)

    show = actions.add_parser("show", help="a scenario's brief, persona, hidden needs and line ids")
    show.add_argument("scenario", metavar="ID", help="a scenario id, or the path of a scenario .toml file")
    show.set_defaults(func=run_show)

    validate = actions.add_parser("validate", help="check a scenario file (and its clips) for mistakes")
    validate.add_argument("path", metavar="PATH")
    validate.set_defaults(func=run_validate)


def summary(scenario: Scenario) -> dict:
    return {
        "id": scenario.id,
        "title": scenario.title,
        "domain": scenario.domain,
        "difficulty": scenario.difficulty,
        "persona": scenario.persona.name,
        "starting_mood": mood_name(scenario.persona.mood),
        "hidden_needs": len(scenario.hidden_needs),
        "path": scenario.source,
    }


def run_list(args: argparse.Namespace) -> int:
    scenarios = list_scenarios()
    if args.json:
        print(json.dumps([summary(s) for s in scenarios], indent=2))
        return 0
    print(f"{'ID':26} {'DIFFICULTY':10} {'DOMAIN':30} TITLE")
    for s in scenarios:
        print(f"{s.id:26} {s.difficulty:10} {s.domain:30} {s.title}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    s = find_scenario(args.scenario)
    voice = s.persona.voice
    print(f"{s.title} ({s.id})\n{s.domain}, {s.difficulty}; file {s.source}\n")
    print(f"Customer: {s.persona.name}, starts {mood_name(s.persona.mood)}; voice {voice.gender}, {voice.language}, "
          f"{voice.rate_wpm} words per minute\n")  # fmt: skip
    print("Brief for the rep:\n" + textwrap.fill(s.brief, 100, initial_indent="  ", subsequent_indent="  ") + "\n")
    print("Hidden needs (for the trainer):")
    for need in s.hidden_needs:
        print(f"  {need.id}: {need.description}")
        print(
            f"    unlocked by {', '.join(need.unlocked_by)}"
            + (f"; topics {', '.join(need.topics)}" if need.topics else "")
        )
    print("\nLines (clip file = clips/<id>.wav):")
    for line in s.lines():
        print(f"  {line.id:28} {line.text}")
    return 0


def run_validate(args: argparse.Namespace) -> int:
    s = load_scenario_file(args.path)
    print(f"{args.path}: valid scenario {s.id!r} with {len(s.hidden_needs)} hidden needs and {len(s.lines())} lines.")
    return 0
