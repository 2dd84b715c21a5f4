"""The first-run wizard: your name and role, a microphone check, and speech-model setup (optional)."""

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from coach_app.ui.state import AppState
from coach_app.ui.widgets.mic_check import MicCheck
from coach_app.ui.widgets.speech_models import SpeechModelsPanel


class _AboutYouPage(QWizardPage):
    def __init__(self, state: AppState) -> None:
        super().__init__()
        self.setTitle("Welcome to Listening Coach")
        self.setSubTitle("Practise customer conversations and see, moment by moment, how well you listened.")
        self.name = QLineEdit(state.settings.rep_name)
        self.name.setAccessibleName("Your name")
        self.name.setPlaceholderText("e.g. Sam Taylor")
        # Not a Qt "mandatory field": Qt counts one as filled only once it differs from its initial value, which
        # would keep Next disabled for a name already known from Settings.
        self.name.textChanged.connect(self.completeChanged)
        self.rep = QRadioButton("I practise calls (rep)")
        self.trainer = QRadioButton("I review and coach others (trainer)")
        self.roles = QButtonGroup(self)
        self.roles.addButton(self.rep)
        self.roles.addButton(self.trainer)
        (self.trainer if state.settings.role == "trainer" else self.rep).setChecked(True)
        form = QFormLayout(self)
        form.addRow("Your name", self.name)
        form.addRow("You are", self.rep)
        form.addRow("", self.trainer)

    def isComplete(self) -> bool:  # noqa: N802 (Qt's name)
        return bool(self.name.text().strip())

    def role(self) -> str:
        return "trainer" if self.trainer.isChecked() else "rep"


class _MicrophonePage(QWizardPage):
    def __init__(self, state: AppState) -> None:
        super().__init__()
        self.setTitle("Check your microphone")
        self.setSubTitle("Record a few seconds and play them back. You can skip this and do it later in Settings.")
        self.check = MicCheck(state.settings.microphone, state.settings.speaker)
        column = QVBoxLayout(self)
        column.addWidget(self.check)
        column.addStretch(1)


class _SpeechModelPage(QWizardPage):
    def __init__(self, state: AppState) -> None:
        super().__init__()
        self.setTitle("Speech recognition")
        self.setSubTitle(
            "Recording and importing audio need an offline speech model. Download one now, or import a model "
            "zip you downloaded elsewhere. You can skip this: reviewing sessions and importing transcripts work "
            "without it."
        )
        self.panel = SpeechModelsPanel(state.settings.speech_model_path)
        column = QVBoxLayout(self)
        column.addWidget(self.panel)

    def isComplete(self) -> bool:  # noqa: N802 (Qt's name)
        return not self.panel.tasks.busy


class _DonePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("All set")
        text = QLabel(
            "Press <b>Practice</b> and choose a scenario. Speak the call (Space records and stops), or press "
            "<b>Type the call instead</b> to practise by typing your replies: that needs no microphone or speech "
            "model. Open the <b>Library</b> to import a recording or a transcript. Settings can change any of "
            "these choices later; F1 lists the keyboard shortcuts."
        )
        text.setObjectName("allSetText")
        text.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addWidget(text)


class FirstRunWizard(QWizard):
    """Stores the choices in the settings when finished; cancelling changes nothing and it returns next start."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName("firstRunWizard")
        self.setWindowTitle("Set up Listening Coach")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.about = _AboutYouPage(state)
        self.microphone = _MicrophonePage(state)
        self.speech = _SpeechModelPage(state)
        for page in (self.about, self.microphone, self.speech, _DonePage()):
            self.addPage(page)
        self.speech.panel.tasks.cancel_button.clicked.connect(self.speech.completeChanged)
        self.speech.panel.models_changed.connect(self.speech.completeChanged)
        self.resize(720, 520)

    def accept(self) -> None:
        self.microphone.check.stop()
        self.state.update_settings(
            rep_name=self.about.name.text().strip(),
            role=self.about.role(),
            microphone=self.microphone.check.chosen_device(),
            speech_model_path=self.speech.panel.chosen_path(),
            first_run_done=True,
        )
        super().accept()

    def reject(self) -> None:
        self.microphone.check.stop()
        super().reject()
