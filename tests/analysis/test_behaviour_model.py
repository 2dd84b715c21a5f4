"""The behaviour model: its file contract, the rules-only fallback, natural phrasings, hard negatives, bad input."""

import shutil

import numpy as np
import pytest
from dialogue_helpers import FORMS, conversation, last_turn_kinds, rep_kinds

from coach_app.analysis import analyze, analyze_turn, behaviour, encoder, model_findings
from coach_app.analysis.behaviour import CUE_NAMES, MODEL_DIR, load_model, shipped_model
from coach_app.analysis.behaviour_features import LABELS, TurnContext
from coach_app.analysis.encoder import DIMENSIONS, WEIGHTS_FILE, shipped_encoder
from coach_app.cli import main
from coach_app.errors import ModelError
from coach_app.paths import resource
from coach_app.transcript_io import save_transcript


@pytest.fixture
def models_folder(tmp_path, monkeypatch):
    """A private copy of resources/models that the analysis loads instead of the shipped one."""
    folder = tmp_path / "resources"
    shutil.copytree(resource("models"), folder / "models")

    def private(*parts: str):
        return folder.joinpath(*parts)

    monkeypatch.setattr(behaviour, "resource", private)
    monkeypatch.setattr(encoder, "resource", private)
    _forget_models()
    yield folder / "models"
    _forget_models()


def _forget_models() -> None:
    behaviour.shipped_model.cache_clear()
    encoder.shipped_encoder.cache_clear()
    model_findings._loaded.cache_clear()


CALL = conversation(
    ("customer", "My boiler packed in on Sunday and I've got two toddlers in the house."),
    ("rep", "Oh no, with two little ones at home too. Let's get someone out to you."),
    ("customer", "Thank you. How soon could that be?"),
    ("rep", "I'm booking an engineer for tomorrow morning and I'll text you the time slot tonight."),
)


def test_shipped_model_honours_the_file_contract():
    """The shipped model has one head output per corpus label over the pooled states and cues, finite weights,
    thresholds between 0 and 1, and the sentence encoder's shapes."""
    model = shipped_model()
    assert model.labels == LABELS
    assert model.head_weight.shape == (2 * DIMENSIONS + len(CUE_NAMES), len(LABELS))
    assert np.isfinite(model.head_weight).all()
    assert ((model.thresholds > 0) & (model.thresholds < 1)).all()
    assert model.encoder.network.layers == shipped_encoder().network.layers == 6


def test_probabilities_follow_the_customer_turn():
    """The model reads the rep turn with the customer's turn before it: the same words after another customer turn
    get other probabilities, and a repeated pair gets the same ones."""
    model = shipped_model()
    rep = "So the parcel never came and nobody rang you back."
    after_parcel = model.probabilities(rep, TurnContext("My parcel never arrived and nobody called me."))
    after_other = model.probabilities(rep, TurnContext("Can I change my address?"))
    again = model.probabilities(rep, TurnContext("My parcel never arrived and nobody called me."))
    assert np.array_equal(after_parcel, again)
    assert not np.allclose(after_parcel, after_other)


def test_many_pairs_run_together_give_each_pair_its_own_states():
    """Pairs pooled in several batches run two at a time get the states each pair gets alone, in their own rows."""
    model = shipped_model()
    pairs = [
        (f"parcel {n} {'still ' * (n % 7)}has not arrived", f"I'm sorry, let me check order {n} {'now ' * (n % 5)}")
        for n in range(40)
    ]
    for pair in pairs:
        model.cache.forget(pair)
    together = model.pooled(pairs)
    alone = []
    for pair in pairs:
        model.cache.forget(pair)
        alone.append(model.pooled([pair])[0])
    assert len(pairs) > 2 * behaviour.BATCH
    assert np.allclose(together, np.stack(alone), atol=1e-5)


def test_missing_model_file_names_it(tmp_path):
    """A missing model file raises ModelError naming the file and how to repair it."""
    with pytest.raises(ModelError, match=rf"{WEIGHTS_FILE} is missing.*reinstall"):
        load_model(tmp_path, shipped_encoder())


def test_damaged_model_file_names_it(tmp_path):
    """A truncated model file raises ModelError naming the file and how to repair it."""
    (tmp_path / WEIGHTS_FILE).write_bytes(resource("models", MODEL_DIR, WEIGHTS_FILE).read_bytes()[:3000])
    with pytest.raises(ModelError, match=rf"{WEIGHTS_FILE} cannot be read.*reinstall"):
        load_model(tmp_path, shipped_encoder())


def test_missing_model_falls_back_to_rules_with_a_notice(models_folder):
    """Without the model file the analysis still runs, on the rules alone, and says so in the scorecard."""
    with_model = analyze(CALL)
    assert "analysis_notice" not in with_model.extras
    (models_folder / MODEL_DIR / WEIGHTS_FILE).unlink()
    _forget_models()
    card = analyze(CALL)
    notice = card.extras["analysis_notice"]
    assert f"{MODEL_DIR}/{WEIGHTS_FILE}" in notice and "reinstall" in notice
    assert not any(model_findings.MODEL_REASON in f.reason for f in card.findings)
    assert analyze_turn(CALL, 3)  # live analysis falls back too


def test_damaged_encoder_falls_back_and_cli_shows_the_notice(models_folder, tmp_path, capsys):
    """A damaged encoder gives rules-only analysis, and `coach-app analyze` prints the notice but succeeds."""
    weights = models_folder / "sentence_encoder" / "weights.npz"
    weights.write_bytes(weights.read_bytes()[:10000])
    _forget_models()
    path = tmp_path / "call.json"
    save_transcript(CALL, path)
    assert main(["analyze", str(path), "--json"]) == 0
    captured = capsys.readouterr()
    assert "Rules-only analysis" in captured.err and "weights.npz" in captured.err or "sentence_encoder" in captured.err
    assert '"findings"' in captured.out


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("customer", "rep", "kind"),
    [
        (
            "We move house on Friday and the fridge you sold us still hasn't turned up.",
            "Oh no, that's awful timing with the move, you must be at your wits' end.",
            "empathy",
        ),
        (
            "The router keeps dropping out every evening.",
            "I'm sending a replacement router today and you'll have a tracking text by six.",
            "action_plan",
        ),
        (
            "I was charged twice for the same order.",
            "That's our mistake and I'm really sorry about it.",
            "apology",
        ),
        (
            "Nobody has rung me back about the leak.",
            "What happened when you rang the first time?",
            "clarifying_question",
        ),
        (
            "I'd like the refund to go back to my card.",
            "I'll put that through now. Does that work for you?",
            "agreement_check",
        ),
    ],
)
def test_natural_phrasings_are_heard(form, customer, rep, kind):
    """Behaviours said in everyday words, without the stock phrases, are found."""
    assert kind in rep_kinds(customer, rep, form)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("customer", "rep"),
    [
        (
            "I want a refund for the kettle, it broke after a week.",
            "You want a refund for the kettle, but we don't do refunds after seven days.",
        ),
        (
            "My parcel never came and I need it for my son's party on Friday.",
            "You need it for Friday, but that's not something we can promise.",
        ),
        (
            "Can you waive the late fee? I was in hospital that week.",
            "So you were in hospital and you'd like the late fee waived, but I'm not able to do that.",
        ),
    ],
)
def test_refusal_repeating_the_customer_is_not_a_reflection(form, customer, rep):
    """Repeating the customer's words before the rep's own refusal does not count as reflecting them."""
    assert "reflection" not in rep_kinds(customer, rep, form)


@pytest.mark.parametrize("form", FORMS)
def test_a_reflection_of_what_the_customer_cannot_do_stands(form):
    """The refusal cue is the rep's own "we can't": the customer's "but I still can't" is theirs to be reflected."""
    kinds = rep_kinds(
        "I reset my password on Monday and I still can't get into the app.",
        "So you reset the password on Monday but you still can't get into the app.",
        form,
    )
    assert "reflection" in kinds


@pytest.mark.parametrize("form", FORMS)
def test_asking_to_spell_is_not_an_apology(form):
    """'Sorry, could you spell that?' asks for a fact; it is not an apology."""
    kinds = rep_kinds("My surname is Featherstonehaugh.", "Sorry, could you spell that for me?", form)
    assert "apology" not in kinds and "empathy" not in kinds


@pytest.mark.parametrize(
    "rep",
    ["", "   \n\t ", "Das Paket ist leider nicht angekommen, bitte prüfen Sie das.", "word " * 10000],
    ids=["empty", "whitespace", "german", "10000-words"],
)
def test_bad_turns_are_analysed_without_invented_findings(rep):
    """Empty, whitespace, non-English and 10,000-word turns raise nothing and get no model findings."""
    call = conversation(("customer", "My parcel never arrived."), ("rep", "x"))
    call = type(call)((call.turns[0], type(call.turns[1])("rep", 3.0, 9.0, rep)))
    card = analyze(call)
    live = analyze_turn(call, 1)
    for finding in (*card.findings, *live):
        assert model_findings.MODEL_REASON not in finding.reason


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "relieved", ["Brilliant, that's a weight off, thank you.", "Perfect, thanks. What a relief.", "You've saved me."]
)
def test_anything_else_depends_on_whether_the_problem_is_dealt_with(form, relieved):
    """'Anything else?' is rushing while the problem is open, and a fair close once a plan is agreed."""
    opening = ("customer", "My heating has been off since Sunday and nobody has come out.")
    open_kinds = last_turn_kinds(opening, ("rep", "Okay. Is there anything else?"), form=form)
    closed_kinds = last_turn_kinds(
        opening,
        ("rep", "I'm so sorry. I've booked an engineer for eight tomorrow morning and I'll text you the name tonight."),
        ("customer", relieved),
        ("rep", "You're welcome. Is there anything else I can help with today?"),
        form=form,
    )
    assert "rushing" in open_kinds
    assert "rushing" not in closed_kinds


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "rep",
    [
        "Calls cutting out while you're working from home, that's a real problem.",
        "So it drops right when your client calls are on. That's a proper nuisance for you.",
    ],
)
def test_a_restated_trouble_is_not_blame(form, rep):
    """Restating what the trouble costs the customer, with a word on how bad it is, is heard as empathy, not as
    blaming or judging them."""
    kinds = rep_kinds("My connection keeps dropping during my client calls while I work from home.", rep, form)
    assert not kinds & {"blame_shifting", "judgemental", "dismissive"}
