"""`coach-app practice SCENARIO --text [--script FILE] [--json]`: a practice call with the simulated customer."""

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from coach_app.errors import CoachError, ScenarioError
from coach_app.scenarios.catalog import find_scenario
from coach_app.scenarios.conversation import PracticeResult
from coach_app.scenarios.model import Scenario
from coach_app.scenarios.simulator import CustomerReply
from coach_app.scenarios.text_driver import INTERRUPT_MARK, run_text_practice
from coach_app.scoring.rubric import load_rubric


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "practice",
        help="practise a call with a simulated customer",
        description="Practise a scenario by typing (or scripting) the rep's lines; the customer answers and the "
        f"call is scored at the end. Start a line with {INTERRUPT_MARK!r} to cut in over the customer.",
    )
    parser.add_argument("scenario", metavar="SCENARIO", help="a scenario id (`coach-app scenarios list`) or .toml")
    parser.add_argument("--text", action="store_true", help="typed practice (spoken practice is in the app)")
    parser.add_argument("--script", metavar="FILE", help="rep lines, one per line of FILE, instead of typing")
    parser.add_argument("--rubric", metavar="FILE", help="score with this rubric instead of the default")
    parser.add_argument("--json", action="store_true", help="print the outcome, transcript and scores as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.text:
        raise CoachError("Spoken practice runs in the app: add --text to practise by typing in the terminal.")
    scenario = find_scenario(args.scenario)
    rubric = load_rubric(args.rubric) if args.rubric else None
    if args.script:
        lines, say = _script_lines(Path(args.script)), None if args.json else _printer(scenario, sys.stdout)
    else:
        # Typed practice keeps stdout for the result when --json is given; the dialogue goes to stderr.
        out = sys.stderr if args.json else sys.stdout
        print(f"{scenario.title}\n{scenario.brief}\n(End the call with Ctrl-D.)\n", file=out)
        lines, say = _typed_lines(out), _printer(scenario, out)
    result = run_text_practice(scenario, lines, on_reply=say, rubric=rubric)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        _print_summary(result)
    return 0


def _script_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ScenarioError(
            f"Script file {path} does not exist: give a text file with one rep line per line."
        ) from None
    except (UnicodeDecodeError, OSError) as exc:
        raise ScenarioError(f"Cannot read script file {path} ({exc}): save it as UTF-8 text.") from None


def _typed_lines(out) -> Iterator[str]:
    while True:
        print("You: ", end="", file=out, flush=True)
        line = sys.stdin.readline()
        if not line:
            print(file=out)
            return
        yield line


def _printer(scenario: Scenario, out):
    def say(reply: CustomerReply) -> None:
        print(f"{scenario.persona.name} ({reply.mood_name}): {reply.text}", file=out, flush=True)

    return say


def _print_summary(result: PracticeResult) -> None:
    outcome, card = result.outcome, result.scorecard
    print(f"\nHidden needs uncovered: {outcome.hidden_needs_found} of {outcome.hidden_needs_total}")
    print(f"Customer's mood at the end: {outcome.final_mood_name}")
    print(f"Resolved: {'yes' if outcome.resolved else 'no'}" + (" (the customer hung up)" if outcome.hung_up else ""))
    print(f"Overall listening score: {card.overall}/100")
    for dimension in card.dimensions:
        print(f"  {dimension.label}: {dimension.score}")
