"""The first-run wizard: name and role, microphone page, speech-model import with progress, choices stored."""

from model_trees import write_tiny_model, zip_folder
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from coach_app.settings import load_settings
from coach_app.storage.db import open_db
from coach_app.ui.first_run import FirstRunWizard


def test_wizard_stores_name_role_and_imported_model(qtbot, state, tmp_path):
    """Next needs a name; a model zip imported on the speech page is chosen; Finish stores everything."""
    wizard = FirstRunWizard(state)
    qtbot.addWidget(wizard)
    wizard.show()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()
    qtbot.keyClicks(wizard.about.name, "Sam Taylor")
    assert next_button.isEnabled()
    wizard.about.trainer.setChecked(True)
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.microphone
    wizard.next()
    assert wizard.currentPage() is wizard.speech
    panel = wizard.speech.panel
    assert "review sessions" in panel.status.text()  # usable without a model

    model_zip = zip_folder(
        write_tiny_model(tmp_path / "m"), tmp_path / "vosk-model-small-xx-0.1.zip", "vosk-model-small-xx-0.1"
    )
    with qtbot.waitSignal(panel.model_chosen, timeout=20000) as chosen:
        panel.import_from(str(model_zip))
        assert panel.tasks.isVisible() and not wizard.speech.isComplete()
    qtbot.waitUntil(lambda: wizard.speech.isComplete(), timeout=5000)
    assert chosen.args[0].endswith("vosk-model-small-xx-0.1")
    assert panel.list.count() == 1

    wizard.next()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    with open_db() as db:
        stored = load_settings(db)
    assert (stored.rep_name, stored.role, stored.first_run_done) == ("Sam Taylor", "trainer", True)
    assert stored.speech_model_path == chosen.args[0]
    assert state.settings == stored


def test_cancelling_the_wizard_changes_nothing(qtbot, state):
    """Cancel leaves the settings untouched, so the wizard returns on the next start."""
    wizard = FirstRunWizard(state)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.keyClicks(wizard.about.name, "Sam")
    wizard.reject()
    with open_db() as db:
        assert not load_settings(db).first_run_done
        assert load_settings(db).rep_name == ""


def test_a_known_name_lets_the_wizard_go_on(qtbot, state):
    """Reopened with a name already in Settings, Next is enabled at once; clearing the name disables it."""
    state.update_settings(rep_name="Sam Taylor")
    wizard = FirstRunWizard(state)
    qtbot.addWidget(wizard)
    wizard.show()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert wizard.about.name.text() == "Sam Taylor" and next_button.isEnabled()
    wizard.about.name.clear()
    assert not next_button.isEnabled()
