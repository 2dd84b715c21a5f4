"""Accessibility of every screen, in a light and a dark palette: each control is reached by Tab, shows that it
has the focus, has an accessible name, and every text colour pair meets WCAG AA contrast."""

import re
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from coach_app import paths
from coach_app.analysis import analyze
from coach_app.storage.sessions import add_comment, save_session
from coach_app.transcript_io import load_transcript
from coach_app.ui import style
from coach_app.ui.main_window import SCREENS

SAMPLE = paths.resources_root().parent / "data" / "samples" / "telecom_complaint_poor_asr.json"
INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QTextEdit, QAbstractSlider, QAbstractSpinBox)
COLOUR = re.compile(r"color\s*:\s*(#[0-9a-fA-F]{6})")
PALETTES = {"light": style.light_palette, "dark": style.dark_palette}


@pytest.fixture(params=sorted(PALETTES))
def styled_window(request, qapp, window, state):
    """The main window with a stored, commented session (with a transcript note), under the light or the dark
    system palette."""
    original = QPalette(qapp.palette())
    qapp.setPalette(PALETTES[request.param]())
    state.update_settings(role="trainer", rep_name="Tess")
    transcript = replace(
        load_transcript(SAMPLE), notes=("Only one voice was heard in call.wav: every turn is given to the rep.",)
    )  # Review's notice is shown, so its colours are checked too
    session_id = save_session(state.db, transcript, analyze(transcript), "Sam", "Telecom complaint")
    add_comment(state.db, session_id, "Let them finish here", at_s=12.0, author="Tess")
    window.open_session(session_id)
    yield window
    qapp.setPalette(original)


def controls(screen: QWidget) -> list[QWidget]:
    """The visible, enabled widgets a keyboard user operates (not the parts inside a combo box or spin box)."""
    found = []
    for widget in screen.findChildren(QWidget):
        inner = isinstance(widget.parent(), QComboBox | QAbstractSpinBox) or isinstance(widget, QTabBar)
        takes_tab = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if isinstance(widget, INTERACTIVE) and not inner and takes_tab and widget.isVisible() and widget.isEnabled():
            found.append(widget)
    return found


def tab_cycle(qtbot, start: QWidget) -> list[QWidget]:
    """Every widget the focus visits pressing Tab from `start` until it comes back (or 300 presses)."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    visited = [QApplication.focusWidget()]
    for _ in range(300):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        current = QApplication.focusWidget()
        if current is visited[0]:
            break
        visited.append(current)
    return visited


def focus_changes_the_look(widget: QWidget, elsewhere: QWidget) -> bool:
    """The widget renders differently with and without the keyboard focus."""
    elsewhere.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    without = widget.grab().toImage()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    return widget.grab().toImage() != without


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def text_pairs(screen: QWidget) -> list[tuple[str, QColor, QColor]]:
    """(what, foreground, background) for every visible text: widget palettes and colours inside rich text."""
    pairs = []
    for widget in [screen, *screen.findChildren(QWidget)]:
        if not widget.isVisible() or not widget.isEnabled():
            continue  # WCAG exempts inactive controls
        palette = widget.palette()
        name = f"{type(widget).__name__} {widget.objectName() or accessible_name(widget)!r}"
        if isinstance(widget, QLabel) and widget.text():
            background = palette.color(widget.backgroundRole())
            if not widget.autoFillBackground() and not widget.styleSheet():
                background = palette.color(QPalette.ColorRole.Window)
            pairs.append((name, palette.color(widget.foregroundRole()), background))
            pairs += [(f"{name} rich text", QColor(c), background) for c in COLOUR.findall(widget.text())]
        elif isinstance(widget, QTextEdit):
            base = palette.color(QPalette.ColorRole.Base)
            pairs.append((name, palette.color(QPalette.ColorRole.Text), base))
            pairs += [(f"{name} rich text", QColor(c), base) for c in COLOUR.findall(widget.toHtml())]
        elif isinstance(widget, QAbstractItemView):
            pairs.append((name, palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)))
            selected = (palette.color(QPalette.ColorRole.HighlightedText), palette.color(QPalette.ColorRole.Highlight))
            pairs.append((f"{name} selected row", *selected))
        elif isinstance(widget, QAbstractButton) and widget.text():
            pairs.append((name, palette.color(QPalette.ColorRole.ButtonText), palette.color(QPalette.ColorRole.Button)))
        elif isinstance(widget, QLineEdit):
            base = palette.color(QPalette.ColorRole.Base)
            pairs.append((name, palette.color(QPalette.ColorRole.Text), base))
            pairs.append((f"{name} placeholder", palette.color(QPalette.ColorRole.PlaceholderText), base))
    return pairs


@pytest.mark.parametrize("key", [spec.key for spec in SCREENS])
def test_every_control_is_reachable_named_visibly_focused_and_readable(qtbot, styled_window, key):
    """Tab reaches every control of the screen, each shows a focus ring and has a name; text meets 4.5:1."""
    screen = styled_window.show_screen(key)
    qtbot.waitUntil(lambda: not getattr(getattr(screen, "tasks", None), "busy", False), timeout=20000)
    reached = tab_cycle(qtbot, styled_window.findChild(QWidget, "navigation"))
    wanted = controls(screen)
    assert wanted, f"{key} has controls"
    missing = [f"{type(w).__name__} {accessible_name(w)!r}" for w in wanted if w not in reached]
    assert not missing, f"not reachable by Tab on {key}: {missing}"
    unnamed = [type(w).__name__ for w in wanted if not accessible_name(w)]
    assert not unnamed, f"no accessible name on {key}: {unnamed}"
    navigation = styled_window.findChild(QWidget, "navigation")
    invisible = [
        f"{type(w).__name__} {accessible_name(w)!r}" for w in wanted if not focus_changes_the_look(w, navigation)
    ]
    assert not invisible, f"no visible focus on {key}: {invisible}"
    low = [
        f"{what}: {fg.name()} on {bg.name()} = {style.contrast(fg, bg):.2f}"
        for what, fg, bg in text_pairs(screen)
        if style.contrast(fg, bg) < style.AA_TEXT
    ]
    assert not low, f"text below 4.5:1 on {key}: {low}"


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_the_apps_own_colours_meet_the_contrast_targets(qapp, name):
    """Hints, timestamps, speaker names, banners and the focus ring are readable in both palettes."""
    palette = PALETTES[name]()
    window, base = palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.Base)
    assert style.contrast(style.secondary_text(palette), window) >= style.AA_TEXT
    assert style.contrast(style.secondary_text(palette, QPalette.ColorRole.Base), base) >= style.AA_TEXT
    for speaker in ("rep", "customer"):
        assert style.contrast(style.speaker_colour(speaker, palette), base) >= style.AA_TEXT
    for tone in ("praise", "warning"):
        assert style.contrast(*style.banner_colours(tone, palette)) >= style.AA_TEXT
    assert style.banner_colours("praise", palette)[1] != style.banner_colours("warning", palette)[1]
    assert style.contrast(style.focus_ring(palette), window) >= style.AA_LARGE
    readable = style.readable_palette(palette)
    selection = (readable.color(QPalette.ColorRole.HighlightedText), readable.color(QPalette.ColorRole.Highlight))
    assert style.contrast(*selection) >= style.AA_TEXT
    placeholder = readable.color(QPalette.ColorRole.PlaceholderText)
    assert style.contrast(placeholder, readable.color(QPalette.ColorRole.Base)) >= style.AA_TEXT
