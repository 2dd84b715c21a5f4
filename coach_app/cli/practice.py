"""`coach-app practice SCENARIO [--text [--script FILE]] [--json]`: a practice call with the simulated customer."""

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from coach_app.audio.capture import Recorder
from coach_app.cli.arguments import seconds
from coach_app.errors import ModelError, ScenarioError
from coach_app.files import read_input_text
from coach_app.scenarios.catalog import find_scenario
from coach_app.scenarios.conversation import Conversation, PracticeResult
from coach_app.scenarios.model import Scenario
from coach_app.scenarios.playback import Player
from coach_app.scenarios.recognition import TurnRecogniser
from coach_app.scenarios.simulator import CustomerReply
from coach_app.scenarios.text_driver import INTERRUPT_MARK, run_text_practice
from coach_app.scenarios.turn_loop import TurnLoop
from coach_app.scenarios.vad import VadSettings
from coach_app.scenarios.voice import CustomerVoice
from coach_app.scoring.rubric import load_rubric
from coach_app.transcription.models import default_model_path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "practice",
        help="practise a call with a simulated customer",
        description="Practise a scenario by speaking (microphone and speakers), or by typing or scripting the rep's "
        "lines with --text; the customer answers and the call is scored at the end. In typed practice, start a "
        f"line with {INTERRUPT_MARK!r} to cut in over the customer.",
    )
    parser.add_argument("scenario", metavar="SCENARIO", help="a scenario id (`coach-app scenarios list`) or .toml")
    parser.add_argument("--text", action="store_true", help="practise by typing instead of speaking")
    parser.add_argument("--script", metavar="FILE", help="with --text: rep lines, one per line of FILE")
    parser.add_argument("--model", metavar="PATH", help="spoken: speech model folder (default: the best installed)")
    parser.add_argument("--device", help="spoken: microphone name or number (default: the system's)")
    parser.add_argument("--output-device", help="spoken: speakers or headset for the customer (default: the system's)")
    parser.add_argument("--pause", type=seconds, default=VadSettings().end_pause_s, metavar="SECONDS",
                        help="spoken: silence that ends your turn (default %(default)s)")  # fmt: skip
    parser.add_argument("--max-seconds", type=seconds, help="spoken: stop the call after this long")
    parser.add_argument("--rubric", metavar="FILE", help="score with this rubric instead of the default")
    parser.add_argument("--json", action="store_true", help="print the outcome, transcript and scores as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    scenario = find_scenario(args.scenario)
    rubric = load_rubric(args.rubric) if args.rubric else None
    typed = args.text or args.script
    result = _typed(args, scenario, rubric) if typed else _spoken(args, scenario, rubric)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        _print_summary(result)
    return 0


def _typed(args: argparse.Namespace, scenario: Scenario, rubric) -> PracticeResult:
    """Scripted lines run silently under --json; typed ones show the dialogue (on stderr under --json)."""
    if args.script:
        lines, say = _script_lines(Path(args.script)), None if args.json else _printer(scenario, sys.stdout)
    else:
        out = sys.stderr if args.json else sys.stdout
        print(f"{scenario.title}\n{scenario.brief}\n(End the call with Ctrl-D.)\n", file=out)
        lines, say = _typed_lines(out), _printer(scenario, out)
    return run_text_practice(scenario, lines, on_reply=say, rubric=rubric)


def _spoken(args: argparse.Namespace, scenario: Scenario, rubric) -> PracticeResult:
    """Speak with the customer through the microphone until the call ends, Ctrl-C or --max-seconds."""
    model = Path(args.model) if args.model else default_model_path()
    if model is None:
        raise ModelError(
            "Spoken practice needs a speech model: run `coach-app models install vosk-model-small-en-us-0.15` "
            "(or `coach-app models import FILE.zip`), or practise by typing with --text."
        )
    recogniser = TurnRecogniser(model)
    out = sys.stderr if args.json else sys.stdout
    print(f"{scenario.title}\n{scenario.brief}\n(Speak after the customer; Ctrl-C ends the call.)\n", file=out)
    player = Player(_device(args.output_device))
    loop = TurnLoop(Conversation(scenario), CustomerVoice(scenario), player, recogniser,
                    VadSettings(end_pause_s=args.pause), on_reply=_printer(scenario, out))  # fmt: skip
    recorder = Recorder(devices=[_device(args.device)], max_seconds=args.max_seconds, on_chunk=[loop.feed])
    recorder.start()
    try:
        while not (recorder.finished.is_set() or loop.call_ended.wait(0.2)):
            pass
        player.wait()
    except KeyboardInterrupt:
        print(file=out)
    finally:
        recording = recorder.stop()
    print(f"Recording saved: {recording.path}", file=out)
    return loop.finish(rubric)


def _device(name: str | None) -> int | str | None:
    return int(name) if name and name.isdigit() else name


MAX_SCRIPT_BYTES = 4 * 1024**2  # a scripted call is a few kB; 4 MB is ~50,000 lines


def _script_lines(path: Path) -> list[str]:
    return read_input_text(path, "script file", MAX_SCRIPT_BYTES, ScenarioError).splitlines()


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
