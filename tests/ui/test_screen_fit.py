"""Every screen fits a small (1024×640) and a large (1920×1080) window: no label or button is cut short."""

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from coach_app.ui.screenshots import fill_library, screen_tour


def clipped(root: QWidget) -> list[str]:
    """Visible labels and buttons whose text needs more room than they were given."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, QLabel | QAbstractButton):
            continue
        if isinstance(widget, QLabel) and widget.wordWrap():
            needed_width, needed_height = widget.minimumSizeHint().width(), widget.heightForWidth(widget.width())
        else:
            needed_width, needed_height = widget.sizeHint().width(), widget.sizeHint().height()
        if isinstance(widget, QLabel) and not widget.text():
            continue
        if needed_width > widget.width() + 1 or needed_height > widget.height() + 1:
            text = widget.text()[:50]
            found.append(f"{type(widget).__name__} {text!r}: needs {needed_width}×{needed_height}, has {widget.size()}")
    return found


@pytest.mark.parametrize("size", [(1024, 640), (1920, 1080)])
def test_no_screen_clips_its_text(qtbot, window, state, size):
    """At both sizes each screen's labels and buttons get at least their size hint."""
    ids = fill_library(state.db)
    state.update_settings(rep_name="Sam Taylor", role="trainer")
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    problems = {}
    for name, shown in screen_tour(window, ids):
        QApplication.processEvents()
        problems[name] = clipped(shown)
    assert not any(problems.values()), {name: found for name, found in problems.items() if found}
