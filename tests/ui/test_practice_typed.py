"""Typed practice behaves like a call: keys to send and finish, Esc abandons, a running clock, no advice after the
call ends, praise and warnings that look different; Record says why it can't start and how to fix it."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from qt_dialogs import answer_next_dialog

from coach_app import paths
from coach_app.storage.sessions import list_sessions
from coach_app.ui.style import contrast
from coach_app.ui.widgets.record_readiness import SpeechModelsDialog
from coach_app.ui.widgets.scenario_picker import SCENARIO_ROLE

POOR_SCRIPT = paths.resources_root().parent / "data" / "practice_scripts" / "billing-double-charge_poor.txt"


def start_typed_call(qtbot, window, scenario_id: str = "billing-double-charge"):
    practice = window.show_screen("practice")
    rows = [practice.picker.list.item(i) for i in range(practice.picker.list.count())]
    row = next(i for i, item in enumerate(rows) if getattr(item.data(SCENARIO_ROLE), "id", None) == scenario_id)
    practice.picker.list.setCurrentRow(row)
    qtbot.mouseClick(practice.type_button, Qt.MouseButton.LeftButton)
    return practice


def banner_contrast(bar) -> float:
    palette = bar.palette()
    return contrast(palette.color(bar.foregroundRole()), palette.color(bar.backgroundRole()))


def test_ctrl_enter_sends_and_praise_and_warnings_look_different(qtbot, window):
    """Ctrl+Enter sends a turn; a warning is amber with a sign, praise green with a tick, both at 4.5:1 or more."""
    practice = start_typed_call(qtbot, window)
    qtbot.keyClicks(practice.reply_bar.edit, "Is your account number 1234?")
    qtbot.keyClick(practice.reply_bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert practice.call_panel.call.toPlainText().count("You:") == 1
    nudge = practice.call_panel.nudge
    warning = (nudge.text(), nudge.palette().color(nudge.backgroundRole()).name())
    assert nudge.tone == "warning" and warning[0].startswith("⚠ ")
    assert banner_contrast(nudge) >= 4.5
    qtbot.keyClicks(practice.reply_bar.edit, "That sounds really frustrating, I understand how you feel.")
    qtbot.keyClick(practice.reply_bar.edit, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)
    assert nudge.tone == "praise" and nudge.text().startswith("✓")
    assert nudge.palette().color(nudge.backgroundRole()).name() != warning[1]
    assert banner_contrast(nudge) >= 4.5


def test_the_clock_runs_and_esc_abandons_after_asking(qtbot, window):
    """The elapsed time moves during a typed call; Esc asks, then drops the call without saving anything."""
    practice = start_typed_call(qtbot, window)
    qtbot.waitUntil(lambda: practice.elapsed.text() != "0:00", timeout=5000)
    qtbot.keyClicks(practice.reply_bar.edit, "Hello, how can I help?")
    qtbot.keyClick(practice.reply_bar.edit, Qt.Key.Key_Return)
    answer_next_dialog(QMessageBox.StandardButton.No, expect="Abandon")
    qtbot.keyClick(practice.reply_bar.edit, Qt.Key.Key_Escape)
    assert practice.typed_call is not None and practice.reply_bar.edit.isVisible()
    answer_next_dialog(QMessageBox.StandardButton.Yes, expect="Abandon")
    qtbot.mouseClick(practice.reply_bar.abandon_button, Qt.MouseButton.LeftButton)
    assert practice.typed_call is None and not practice.reply_bar.edit.isVisible()
    assert practice.picker.list.isEnabled() and not list_sessions(window.state.db)


def test_no_nudge_after_the_customer_ends_the_call(qtbot, window):
    """Once the customer hangs up, the nudge goes away and the reply box is closed."""
    practice = start_typed_call(qtbot, window)
    for line in Path(POOR_SCRIPT).read_text().splitlines():
        if not line.strip() or line.startswith("#") or not practice.reply_bar.edit.isEnabled():
            continue
        qtbot.keyClicks(practice.reply_bar.edit, line.strip().lstrip(">").strip())
        qtbot.keyClick(practice.reply_bar.edit, Qt.Key.Key_Return)
    assert practice.typed_call.conversation.customer.ended
    assert not practice.call_panel.nudge.isVisible() and not practice.reply_bar.edit.isEnabled()
    assert "ended the call" in practice.call_panel.call.toPlainText()


def test_record_says_why_it_is_unavailable_and_opens_the_model_manager(qtbot, window, tmp_path):
    """With an unusable speech model Record is disabled with the reason and a button to the model manager."""
    window.state.update_settings(speech_model_path=str(tmp_path / "gone"))
    practice = window.show_screen("practice")
    assert not practice.record_button.isEnabled()
    assert practice.readiness.isVisible() and "type the call instead" in practice.readiness.reason.text()
    assert "coach-app" not in practice.readiness.reason.text() + practice.record_button.toolTip()
    qtbot.mouseClick(practice.readiness.models_button, Qt.MouseButton.LeftButton)
    dialog = practice.readiness.findChild(SpeechModelsDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClick(practice.picker.list, Qt.Key.Key_Space)
    assert not practice.recording and practice.tasks.isHidden()
    dialog.accept()
