"""Practice: a typed scenario call with live nudges ends in a stored, scored session shown in Review."""

from coach_app.storage.sessions import list_sessions


def test_typed_call_is_scored_saved_and_opened_in_review(qtbot, window):
    """Typing replies gets customer answers and nudges; Finish stores the call and Review shows its scorecard."""
    practice = window.show_screen("practice")
    practice.picker.list.setCurrentRow(1)
    scenario = practice.selected_scenario()
    practice.start_typed()
    assert not practice.picker.list.isEnabled()
    practice.reply_edit.setText("Is your account number 1234?")
    practice.send_typed()
    assert practice.nudge.isVisible() and "open question" in practice.nudge.text()
    practice.reply_edit.setText("I'm so sorry about that. Can you tell me a bit more about what happened?")
    practice.send_typed()
    assert practice.mood.text().startswith(f"{scenario.persona.name} feels: ")
    html = practice.call.toPlainText()
    assert html.count("You:") == 2 and html.count("Customer:") == 3
    with qtbot.waitSignal(window.state.session_opened, timeout=20000) as opened:
        practice.finish_typed()
    assert window.current_key() == "review"
    stored = list_sessions(window.state.db)
    assert [s.id for s in stored] == [opened.args[0]]
    assert stored[0].scenario == scenario.id and stored[0].source == "practice"
    review = window.page("review")
    assert review.title_label.text() == f"Practice: {scenario.title}"
    assert review.scorecard.topLevelItemCount() >= 5
    assert practice.picker.list.isEnabled()


def test_nudges_can_be_turned_off(qtbot, window):
    """With nudges off no nudge appears, and the choice is stored in the settings."""
    practice = window.show_screen("practice")
    practice.nudges_box.setChecked(False)
    assert window.state.settings.nudges_enabled is False
    practice.picker.list.setCurrentRow(1)
    practice.start_typed()
    practice.reply_edit.setText("Is your account number 1234?")
    practice.send_typed()
    assert not practice.nudge.isVisible()
