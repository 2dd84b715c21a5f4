"""Review explains its scores and forgives mistakes: breakdowns, practice outcomes, visible corrections with undo."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from coach_app import paths
from coach_app.analysis import analyze
from coach_app.core import Transcript, Turn
from coach_app.scenarios.catalog import get_scenario
from coach_app.scenarios.text_driver import run_text_practice
from coach_app.storage.sessions import add_comment, load_session, save_session
from coach_app.transcript_io import load_transcript
from coach_app.ui.missed_finding import MissedFindingDialog
from coach_app.ui.widgets.scorecard_tree import FINDING_ROLE, REJECTED_ROLE

SAMPLE = paths.resources_root().parent / "data" / "samples" / "telecom_complaint_poor_asr.json"


def open_sample(window, state, role: str = "trainer"):
    state.update_settings(rep_name="Tess", role=role)
    transcript = load_transcript(SAMPLE)
    window.open_session(save_session(state.db, transcript, analyze(transcript), "Sam", "Telecom complaint"))
    return window.page("review")


def click_row(qtbot, tree, row) -> None:
    """Open the row's skill and click the row itself, as a user would."""
    if row.parent() is not None:
        row.parent().setExpanded(True)
    tree.scrollToItem(row)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(row).center())


def rows_of(tree, kind: str):
    return [
        tree.topLevelItem(t).child(c)
        for t in range(tree.topLevelItemCount())
        for c in range(tree.topLevelItem(t).childCount())
        if getattr(tree.topLevelItem(t).child(c).data(0, FINDING_ROLE), "kind", None) == kind
    ]


def points(text: str) -> int:
    return int(text.replace("−", "-").replace("±", ""))


def test_each_skill_shows_its_start_and_signed_points_adding_up_to_the_score(qtbot, window, state):
    """Every skill opens to "Starting score" and +/− points per finding (human names) that add up to its score."""
    review = open_sample(window, state)
    tree = review.scorecard
    for top in range(tree.topLevelItemCount()):
        skill = tree.topLevelItem(top)
        first = skill.child(0)
        assert first.text(0) == "Starting score"
        findings = [skill.child(i) for i in range(skill.childCount()) if skill.child(i).data(0, FINDING_ROLE)]
        total = points(first.text(1)) + sum(points(row.text(1)) for row in findings)
        assert max(0, min(100, total)) == int(skill.text(1))
        assert all("_" not in row.text(0).split("“")[0] for row in findings)
    interruption = rows_of(tree, "interruption")[0]
    assert "Interruption:" in interruption.text(0) and interruption.text(1).startswith("−")
    click_row(qtbot, tree, interruption.parent())
    assert "starts at" in review.explanation.text().lower()


def test_a_skill_without_evidence_lists_what_would_have_earned_points(qtbot, window, state):
    """No "No evidence" dead end: the skill names the kinds that earn points there, with an example."""
    transcript = Transcript(
        (
            Turn("customer", 0.0, 3.0, "My internet has been down since Monday and I work from home."),
            Turn("rep", 3.6, 5.0, "Okay. Account number?"),
        )
    )
    window.open_session(save_session(state.db, transcript, analyze(transcript), "Sam", "Short call"))
    tree = window.page("review").scorecard
    reflecting = next(
        tree.topLevelItem(i) for i in range(tree.topLevelItemCount()) if tree.topLevelItem(i).text(0).startswith("Refl")
    )
    texts = [reflecting.child(i).text(0) for i in range(reflecting.childCount())]
    assert "No evidence yet. Points come from:" in texts
    assert any(text.startswith("Reflection — ") and "'" in text for text in texts)
    assert not any("No evidence in this conversation" in text for text in texts)


def test_a_practice_scorecard_shows_how_the_call_ended(qtbot, window, state):
    """The customer's mood path, needs found of total and resolution appear next to the score."""
    scenario = get_scenario("billing-double-charge")
    result = run_text_practice(scenario, ["I'm so sorry about that. Can you tell me more about what happened?"])
    session_id = save_session(
        state.db, result.transcript, result.scorecard, "Sam", "Practice", scenario=scenario.id, source="practice"
    )
    window.open_session(session_id)
    review = window.page("review")
    text = review.header.outcome_label.text()
    assert review.header.outcome_label.isVisible()
    assert "→" in text and " of " in text and ("resolved" in text or "hung up" in text)


def test_marking_wrong_leaves_a_mark_shows_the_change_and_ctrl_z_undoes_it(qtbot, window, state):
    """The finding stays struck through "marked wrong by Tess", the bar shows "X a → b", Ctrl+Z restores it."""
    review = open_sample(window, state)
    tree = review.scorecard
    before = review.stored.summary.overall
    target = rows_of(tree, "interruption")[0]
    click_row(qtbot, tree, target)
    opened = [tree.topLevelItem(i).isExpanded() for i in range(tree.topLevelItemCount())]
    with qtbot.waitSignal(state.sessions_changed, timeout=10000):
        qtbot.mouseClick(review.reject_button, Qt.MouseButton.LeftButton)
    marked = [row for row in rows_of(tree, "interruption") if row.data(0, REJECTED_ROLE)]
    assert marked and "marked wrong by Tess" in marked[0].text(0) and marked[0].font(0).strikeOut()
    assert [tree.topLevelItem(i).isExpanded() for i in range(tree.topLevelItemCount())] == opened
    assert review.undo_bar.isVisible() and "→" in review.undo_bar.message.text()
    assert f"Overall {before} → {review.stored.summary.overall}" in review.undo_bar.message.text()
    stored = load_session(state.db, review.stored.summary.id)
    assert stored.corrections[-1].author == "Tess"

    with qtbot.waitSignal(state.sessions_changed, timeout=10000):
        qtbot.keyClick(review, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    restored = load_session(state.db, review.stored.summary.id)
    assert restored.summary.overall == before and not restored.corrections
    assert not any(row.data(0, REJECTED_ROLE) for row in rows_of(tree, "interruption"))
    assert QKeySequence(QKeySequence.StandardKey.Undo).toString() == "Ctrl+Z"


def test_marking_a_closed_question_wrong_changes_no_score(qtbot, window, state):
    """A closed question is worth nothing, so calling it wrong leaves every score as it was, and says so."""
    review = open_sample(window, state)
    closed = rows_of(review.scorecard, "closed_question")
    assert closed, "the sample call has a closed question"
    scores = [d.score for d in review.stored.scorecard.dimensions]
    click_row(qtbot, review.scorecard, closed[0])
    with qtbot.waitSignal(state.sessions_changed, timeout=10000):
        qtbot.mouseClick(review.reject_button, Qt.MouseButton.LeftButton)
    assert [d.score for d in review.stored.scorecard.dimensions] == scores
    assert "No score changed" in review.undo_bar.message.text()


def test_comments_can_be_edited_and_deleted_with_undo(qtbot, window, state):
    """Edit puts the text back in the box and Enter saves it; Delete removes it and the Undo bar restores it."""
    review = open_sample(window, state)
    add_comment(state.db, review.stored.summary.id, "Good openning", at_s=4.0, author="Tess")
    review.open_session(review.stored.summary.id)
    panel = review.comments
    qtbot.mouseClick(
        panel.list.viewport(), Qt.MouseButton.LeftButton, pos=panel.list.visualItemRect(panel.list.item(0)).center()
    )
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    assert panel.edit.text() == "Good openning" and panel.add_button.text() == "Save comment"
    panel.edit.clear()
    qtbot.keyClicks(panel.edit, "Good opening")
    qtbot.keyClick(panel.edit, Qt.Key.Key_Return)
    assert [c.body for c in load_session(state.db, review.stored.summary.id).comments] == ["Good opening"]

    qtbot.mouseClick(
        panel.list.viewport(), Qt.MouseButton.LeftButton, pos=panel.list.visualItemRect(panel.list.item(0)).center()
    )
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert not load_session(state.db, review.stored.summary.id).comments
    assert "Comment deleted" in review.undo_bar.message.text()
    qtbot.mouseClick(review.undo_bar.undo_button, Qt.MouseButton.LeftButton)
    comments = load_session(state.db, review.stored.summary.id).comments
    assert [(c.body, c.at_s, c.author) for c in comments] == [("Good opening", 4.0, "Tess")]


def test_the_rep_role_hides_correction_tools_and_trainer_shows_them(qtbot, window, state):
    """A rep sees scores and comments; choosing Trainer in Settings shows Mark wrong, Add missed finding, Speakers."""
    review = open_sample(window, state, role="rep")
    tools = (review.reject_button, review.add_button, review.speakers_button)
    assert not any(button.isVisible() for button in tools)
    settings = window.show_screen("settings")
    settings.role.setFocus()
    qtbot.keyClick(settings.role, Qt.Key.Key_Down)
    assert state.settings.role == "trainer" and window.windowTitle() == "Listening Coach — Tess (trainer)"
    window.show_screen("review")
    assert all(button.isVisible() for button in tools)


def test_add_missed_finding_groups_human_kinds_and_starts_on_a_rep_turn(qtbot, window, state):
    """The Kind list reads "Good:" then "Needs work:" with human names; the Turn starts on a rep turn."""
    review = open_sample(window, state)
    customer_turn = next(t for t in review.stored.transcript.turns if t.speaker == "customer")
    review.timeline.set_position(customer_turn.start_s)
    qtbot.mouseClick(review.add_button, Qt.MouseButton.LeftButton)
    dialog = review.findChild(MissedFindingDialog)
    kinds = [dialog.kind.itemText(i) for i in range(dialog.kind.count())]
    assert kinds[0] == "Good:" and "Needs work:" in kinds
    assert not dialog.kind.model().item(0).isEnabled()
    good = kinds[1 : kinds.index("Needs work:")]
    assert "    Empathy" in good and "    Interruption" not in good and not any("_" in k for k in kinds)
    turn = review.stored.transcript.turns[dialog.turn.currentData()]
    assert turn.speaker == "rep" and dialog.turn.currentText().split(" ", 1)[1].startswith("Rep:")
    dialog.kind.setCurrentIndex(dialog.kind.findData("empathy"))
    qtbot.keyClicks(dialog.note, "Named the frustration")
    with qtbot.waitSignal(state.sessions_changed, timeout=10000):
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    added = [s for s in review.stored.findings if s.origin == "trainer"]
    assert added and added[0].finding.kind == "empathy"
    assert any("added by Tess" in row.text(0) for row in rows_of(review.scorecard, "empathy"))


def test_a_finding_marked_wrong_can_be_counted_again_from_its_row(qtbot, window, state):
    """Selecting the struck-through row turns the button into "Count it again", which takes the mark back."""
    review = open_sample(window, state)
    before = review.stored.summary.overall
    click_row(qtbot, review.scorecard, rows_of(review.scorecard, "interruption")[0])
    with qtbot.waitSignal(state.sessions_changed, timeout=10000):
        qtbot.mouseClick(review.reject_button, Qt.MouseButton.LeftButton)
    marked = next(row for row in rows_of(review.scorecard, "interruption") if row.data(0, REJECTED_ROLE))
    click_row(qtbot, review.scorecard, marked)
    assert review.reject_button.text() == "Count it again" and review.reject_button.isEnabled()
    with qtbot.waitSignal(state.sessions_changed, timeout=10000):
        qtbot.mouseClick(review.reject_button, Qt.MouseButton.LeftButton)
    assert load_session(state.db, review.stored.summary.id).summary.overall == before


def test_swapping_speakers_says_what_changed_and_undo_swaps_back(qtbot, window, state):
    """After "Swap rep and customer" the bar names the change and its score moves; Undo restores the speakers."""
    review = open_sample(window, state)
    speakers = [turn.speaker for turn in review.stored.transcript.turns]
    with qtbot.waitSignal(state.sessions_changed, timeout=20000):
        review.swap_action.trigger()  # a menu entry of the Speakers button
    assert review.undo_bar.message.text().startswith("Rep and customer swapped.")
    assert "Overall" in review.undo_bar.message.text()
    with qtbot.waitSignal(state.sessions_changed, timeout=20000):
        qtbot.mouseClick(review.undo_bar.undo_button, Qt.MouseButton.LeftButton)
    assert [turn.speaker for turn in load_session(state.db, review.stored.summary.id).transcript.turns] == speakers
