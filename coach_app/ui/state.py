"""What every screen shares: the UI thread's database connection, the settings, and app-wide events."""

import dataclasses
from typing import Any

from PySide6.QtCore import QObject, Signal
from sqlite_utils import Database

from coach_app.settings import Settings, load_settings, save_settings


class AppState(QObject):
    """Shared by the screens; signals are past-tense events so views refresh without knowing each other."""

    settings_changed = Signal(object)
    sessions_changed = Signal()
    session_opened = Signal(int)

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.settings: Settings = load_settings(db)

    def update_settings(self, **changes: Any) -> Settings:
        """Store the changed preferences at once and tell the screens."""
        settings = dataclasses.replace(self.settings, **changes)
        if settings != self.settings:
            save_settings(self.db, settings)
            self.settings = settings
            self.settings_changed.emit(settings)
        return settings
