"""Practice: a typed scenario call with live nudges ends in a stored, scored session shown in Review."""

import threading

from coach_app.storage.sessions import list_sessions


def test_typed_call_is_scored_saved_and_opened_in_review(qtbot, window):
    """Typing replies gets customer answers and nudges; Finish stores the call and Review shows its scorecard."""
    practice = window.show_screen("practice")
    practice.picker.list.setCurrentRow(1)
    scenario = practice.selected_scenario()
    practice.start_typed()
    assert not practice.picker.list.isEnabled()
    practice.reply_bar.edit.setText("Is your account number 1234?")
    practice.send_typed()
    assert practice.call_panel.nudge.isVisible() and "open question" in practice.call_panel.nudge.text()
    practice.reply_bar.edit.setText("I'm so sorry about that. Can you tell me a bit more about what happened?")
    practice.send_typed()
    assert practice.call_panel.mood.text().startswith(f"{scenario.persona.name} feels: ")
    html = practice.call_panel.call.toPlainText()
    assert html.count("You:") == 2 and html.count("Customer:") == 3
    with qtbot.waitSignal(window.state.session_opened, timeout=20000) as opened:
        practice.finish_typed()
    assert window.current_key() == "review"
    stored = list_sessions(window.state.db)
    assert [s.id for s in stored] == [opened.args[0]]
    assert stored[0].scenario == scenario.id and stored[0].source == "practice"
    review = window.page("review")
    assert review.header.title_label.text() == f"Practice: {scenario.title}"
    assert review.scorecard.topLevelItemCount() >= 5
    assert practice.picker.list.isEnabled()


def test_nudges_can_be_turned_off(qtbot, window):
    """With nudges off no nudge appears, and the choice is stored in the settings."""
    practice = window.show_screen("practice")
    practice.nudges_box.setChecked(False)
    assert window.state.settings.nudges_enabled is False
    practice.picker.list.setCurrentRow(1)
    practice.start_typed()
    practice.reply_bar.edit.setText("Is your account number 1234?")
    practice.send_typed()
    assert not practice.call_panel.nudge.isVisible()


def test_every_turn_from_the_loop_thread_is_shown_once_with_its_nudge(qtbot, window):
    """Turns published from another thread as fast as it can (each rep turn with its findings) all appear in the
    call, once and in order, however the UI's event processing interleaves; the nudge is the last rep turn's."""
    from coach_app.scenarios.conversation import Conversation
    from coach_app.ui.call_relay import CallRelay
    from coach_app.ui.widgets.nudges import NudgeBar, nudge_for, tone_of

    practice = window.show_screen("practice")
    practice.picker.list.setCurrentRow(1)
    scenario = practice.selected_scenario()
    practice.call_panel.begin(scenario.persona.name)
    relay = CallRelay(practice)
    relay.changed.connect(practice.call_panel.show_snapshot)
    conversation = Conversation(scenario)
    lines = ["Can you tell me more about what happened?", "Is your account number 1234?"] * 15

    def call() -> None:  # the loop's side: change the conversation, then publish it whole
        reply = conversation.customer.opening()
        clock = 0.0
        for line in lines:
            conversation.add_customer_turn(reply, clock, clock + 2.0)
            relay.publish(conversation.snapshot())
            reply = conversation.add_rep_turn(line, clock + 2.5, clock + 4.0)
            relay.publish(conversation.snapshot())
            clock += 5.0
            if reply.ended:
                break

    worker = threading.Thread(target=call)
    worker.start()
    worker.join(60)
    final = conversation.snapshot()
    qtbot.waitUntil(lambda: practice.call_panel.shown_turns == len(final.turns), timeout=10000)
    shown = [line.split(":", 1)[0] for line in practice.call_panel.call.toPlainText().splitlines() if line]
    assert shown == ["Customer" if t.speaker == "customer" else "You" for t in final.turns]
    last_rep = max(i for i, t in enumerate(final.turns) if t.speaker == "rep")
    expected = nudge_for([f for f in final.findings if f.turn == last_rep])
    assert expected is not None and practice.call_panel.nudge.text() == NudgeBar.PREFIX[tone_of(expected)] + expected
