"""The main window: navigation between screens (built on first visit), menus, shortcuts, remembered layout."""

import importlib
import logging
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QEvent, QSettings, QSize
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from coach_app import __version__, paths
from coach_app.ui import style
from coach_app.ui.error_dialog import open_log_folder
from coach_app.ui.state import AppState
from coach_app.ui.tasks import TaskHandle, cancel_all, run_task

log = logging.getLogger(__name__)

LAYOUT_FILE = "window.ini"
DEFAULT_SIZE = QSize(1280, 720)
MINIMUM_SIZE = QSize(960, 600)


@dataclass(frozen=True)
class ScreenSpec:
    """One entry in the navigation: the module holding the screen class, imported the first time it is shown."""

    key: str
    title: str
    module: str
    class_name: str
    shortcut: str


SCREENS: tuple[ScreenSpec, ...] = (
    ScreenSpec("practice", "Practice", "coach_app.ui.practice", "PracticeScreen", "Ctrl+1"),
    ScreenSpec("review", "Review", "coach_app.ui.review", "ReviewScreen", "Ctrl+2"),
    ScreenSpec("progress", "Progress", "coach_app.ui.progress_view", "ProgressScreen", "Ctrl+3"),
    ScreenSpec("library", "Library", "coach_app.ui.library", "LibraryScreen", "Ctrl+4"),
    ScreenSpec("settings", "Settings", "coach_app.ui.settings_view", "SettingsScreen", "Ctrl+5"),
)


def shortcuts_table() -> str:
    """Every keyboard shortcut as an HTML table (Help menu and Settings)."""
    native = QKeySequence.SequenceFormat.NativeText
    rows = [(QKeySequence(s.shortcut).toString(native), f"Go to {s.title}") for s in SCREENS]

    def key(sequence: str | QKeySequence.StandardKey) -> str:
        return QKeySequence(sequence).toString(native)

    rows += [
        ("Space", "Record / stop (Practice)"),
        (f"Enter or {key('Ctrl+Return')}", "Send your typed reply (Practice)"),
        (key("Ctrl+Shift+Return"), "Finish and score the typed call (Practice)"),
        ("Esc", "Abandon the typed call (Practice)"),
        ("Ctrl+Space", "Play / pause the recording (Review)"),
        ("F8 / Shift+F8", "Next / previous finding (Review)"),
        (key("Ctrl+M"), "Add a comment at the current moment (Review)"),
        (key(QKeySequence.StandardKey.Undo), "Undo the last correction or deleted comment (Review)"),
        ("Delete", "Delete the selected sessions (Library)"),
        (key("Ctrl+I"), "Import recordings, transcripts or bundles"),
        (key(QKeySequence.StandardKey.HelpContents), "This list of shortcuts"),
        (key(QKeySequence.StandardKey.Quit), "Quit"),
    ]
    return "<table>" + "".join(f"<tr><td><b>{key}</b></td><td>&nbsp;&nbsp;{what}</td></tr>" for key, what in rows)


def layout_settings() -> QSettings:
    """Window geometry and splitter positions, in the config folder (so COACH_APP_HOME redirects them)."""
    return QSettings(str(paths.config_dir() / LAYOUT_FILE), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    """Screens may offer `activated()` (shown), `confirm_close()` and `closing()` (window closing), and
    `saved_layout`: name → a widget whose saveState/restoreState the window keeps across restarts."""

    def __init__(self, state: AppState) -> None:
        super().__init__()
        self.state = state
        self.setObjectName("mainWindow")
        style.apply()
        self.setWindowTitle("Listening Coach")
        self.setMinimumSize(MINIMUM_SIZE)
        self._screens: dict[str, QWidget] = {}
        self._restyling = False
        self._nav = QListWidget()
        self._nav.setObjectName("navigation")
        self._nav.setAccessibleName("Screens")
        self._nav.setFixedWidth(170)
        self._nav.setSpacing(2)
        self._stack = QStackedWidget()
        for spec in SCREENS:
            item = QListWidgetItem(spec.title)
            native = QKeySequence(spec.shortcut).toString(QKeySequence.SequenceFormat.NativeText)
            item.setToolTip(f"{spec.title} ({native})")
            item.setSizeHint(QSize(150, 36))
            self._nav.addItem(item)
        self._nav.currentRowChanged.connect(self._show_row)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self._nav)
        row.addWidget(self._stack, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self.state.session_opened.connect(self.open_session)
        self.state.settings_changed.connect(lambda _settings: self._show_identity())
        self._show_identity()
        self._restore_layout()

    def _show_identity(self) -> None:
        """Who is using the app, and as what: the role decides which tools the screens offer."""
        settings = self.state.settings
        who = f"{settings.rep_name} ({settings.role})" if settings.rep_name else settings.role.capitalize()
        self.setWindowTitle(f"Listening Coach — {who}")

    # Navigation

    def page(self, key: str) -> QWidget:
        """The screen for `key`, built on first use."""
        if key not in self._screens:
            spec = next(s for s in SCREENS if s.key == key)
            screen_class = getattr(importlib.import_module(spec.module), spec.class_name)
            widget = screen_class(self.state)
            widget.setObjectName(f"{key}Screen")
            stored = layout_settings()
            for part, holder in getattr(widget, "saved_layout", {}).items():
                value = stored.value(f"{key}/{part}")
                if value is not None:
                    holder.restoreState(value)
            self._screens[key] = widget
            self._stack.addWidget(widget)
        return self._screens[key]

    def show_screen(self, key: str) -> QWidget:
        row = next(i for i, s in enumerate(SCREENS) if s.key == key)
        self._nav.setCurrentRow(row)
        return self._screens[key]

    def open_session(self, session_id: int) -> None:
        """Show a stored session in Review (the screen is built on first use, so it is called directly)."""
        self.page("review").open_session(session_id)
        self.show_screen("review")

    def current_key(self) -> str:
        return SCREENS[self._nav.currentRow()].key

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        widget = self.page(SCREENS[row].key)
        self._stack.setCurrentWidget(widget)
        activated = getattr(widget, "activated", None)
        if activated is not None:
            activated()

    def open_first_run(self) -> QWidget:
        """Show the first-run wizard over the window (not blocking the event loop)."""
        from coach_app.ui.first_run import FirstRunWizard

        wizard = FirstRunWizard(self.state, self)
        wizard.setObjectName("firstRunWizard")
        wizard.open()
        return wizard

    def offer_recovery(self) -> TaskHandle:
        """Look for recordings interrupted by a crash (in the background) and offer to import them."""
        from coach_app import session

        return run_task(session.recover_recordings, on_done=self._offer_recovered, name="recover recordings")

    def _offer_recovered(self, recovered: list) -> None:
        if not recovered:
            return
        names = "".join(f"<li>{path.name}</li>" for path in recovered)
        answer = QMessageBox.question(
            self,
            "Recordings recovered",
            f"{len(recovered)} recording(s) were interrupted last time (for example by a crash) and have been "
            f"recovered in {recovered[0].parent}:<ul>{names}</ul>Transcribe and add them to the Library now?",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.show_screen("library").import_files(recovered)

    # Menus

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        import_action = QAction("&Import recordings, transcripts or bundles…", self)
        import_action.setShortcut(QKeySequence("Ctrl+I"))
        import_action.triggered.connect(lambda: self.show_screen("library").ask_import())
        file_menu.addAction(import_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu("&Go")
        for spec in SCREENS:
            action = QAction(spec.title, self)
            action.setShortcut(QKeySequence(spec.shortcut))
            action.triggered.connect(lambda _checked=False, key=spec.key: self.show_screen(key))
            go_menu.addAction(action)

        help_menu = self.menuBar().addMenu("&Help")
        shortcuts_action = QAction("&Keyboard shortcuts", self)
        shortcuts_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        shortcuts_action.triggered.connect(self._show_shortcuts)
        log_action = QAction("Open &log folder", self)
        log_action.triggered.connect(open_log_folder)
        about_action = QAction("&About Listening Coach", self)
        about_action.triggered.connect(self._show_about)
        for action in (shortcuts_action, log_action, about_action):
            help_menu.addAction(action)

    def _show_shortcuts(self) -> None:
        QMessageBox.information(self, "Keyboard shortcuts", shortcuts_table())

    def _show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Listening Coach",
            f"<b>Listening Coach {__version__}</b><p>Practise customer conversations and get evidence-backed "
            f"feedback on active listening. Everything stays on this computer.</p>"
            f"<p>Your data: {paths.data_dir()}<br>Log files: {paths.logs_dir()}</p>",
        )

    # Layout memory and closing

    def _restore_layout(self) -> None:
        stored = layout_settings()
        geometry = stored.value("main/geometry")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            log.info("Window geometry restored")
        else:
            self.resize(DEFAULT_SIZE)
        state = stored.value("main/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        keys = [s.key for s in SCREENS]
        last = stored.value("main/screen", keys[0] if keys else "")
        if keys:
            self.show_screen(last if last in keys else keys[0])

    def save_layout(self) -> None:
        stored = layout_settings()
        stored.setValue("main/geometry", self.saveGeometry())
        stored.setValue("main/state", self.saveState())
        if SCREENS:
            stored.setValue("main/screen", self.current_key())
        for key, widget in self._screens.items():
            for part, holder in getattr(widget, "saved_layout", {}).items():
                stored.setValue(f"{key}/{part}", holder.saveState())
        stored.sync()

    def event(self, event: QEvent) -> bool:
        """The system switched between light and dark: derive the colours again."""
        if event.type() == QEvent.Type.ApplicationPaletteChange and not self._restyling:
            self._restyling = True
            style.apply()
            self._restyling = False
        return super().event(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        for widget in self._screens.values():
            confirm = getattr(widget, "confirm_close", None)
            if confirm is not None and not confirm():
                event.ignore()
                return
        cancel_all()
        for widget in self._screens.values():
            closing = getattr(widget, "closing", None)
            if closing is not None:
                closing()
        self.save_layout()
        event.accept()
