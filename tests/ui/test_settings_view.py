"""Settings survive closing and reopening the app: preferences in the database, window layout in QSettings."""

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QMessageBox

from coach_app import paths
from coach_app.storage.db import open_db
from coach_app.ui.main_window import MainWindow
from coach_app.ui.state import AppState


def test_settings_and_layout_persist_across_restarts(qtbot, window, tmp_path):
    """Name, rep channel, nudges, rubric, window size, splitter positions and the last screen come back."""
    screen = window.show_screen("settings")
    screen.name.setText("Priya")
    screen.name.editingFinished.emit()
    screen.rep_channel.setCurrentIndex(screen.rep_channel.findData("right"))
    screen.nudges.setChecked(False)
    rubric = tmp_path / "rubric.toml"
    rubric.write_text(paths.resource("rubrics", "default.toml").read_text())
    screen.set_rubric(str(rubric))
    window.resize(QSize(1100, 650))
    review = window.page("review")
    review.splitter.setSizes([250, 500, 250])
    saved_sizes = review.splitter.sizes()
    assert window.close()

    reopened = MainWindow(AppState(open_db()))
    qtbot.addWidget(reopened)
    reopened.show()
    settings = reopened.state.settings
    assert (settings.rep_name, settings.rep_channel, settings.nudges_enabled) == ("Priya", "right", False)
    assert settings.rubric_path == str(rubric)
    assert reopened.current_key() == "settings"
    again = reopened.page("settings")
    assert again.name.text() == "Priya" and not again.nudges.isChecked()
    assert reopened.size() == QSize(1100, 650)
    assert reopened.page("review").splitter.sizes() == saved_sizes


def test_a_broken_rubric_is_refused_with_a_dialog(qtbot, window, tmp_path):
    """Loading a rubric that does not validate shows the error and keeps the current rubric."""
    screen = window.show_screen("settings")
    broken = tmp_path / "broken.toml"
    broken.write_text("version = 3\n[dimensions.empathy]\nweight = 'heavy'\n")
    screen.set_rubric(str(broken))
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorDialog") is not None, timeout=3000)
    box = window.findChild(QMessageBox, "errorDialog")
    assert "broken.toml" in box.text()
    assert window.state.settings.rubric_path == ""
    box.close()
