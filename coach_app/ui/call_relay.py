"""Carries one practice call's snapshots from the turn loop's thread to the UI thread."""

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from coach_app.scenarios.conversation import CallSnapshot


class CallRelay(QObject):
    """`publish` from any thread; `changed` fires on the UI thread, until the relay is retired (`active` False)."""

    changed = Signal(object)
    _arrived = Signal(object)  # emitted on the loop's thread; the connection queues it onto the UI thread

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.active = True
        self._arrived.connect(self._forward)

    def publish(self, snapshot: "CallSnapshot") -> None:
        """Safe from any thread."""
        self._arrived.emit(snapshot)

    def _forward(self, snapshot: "CallSnapshot") -> None:
        if self.active:
            self.changed.emit(snapshot)
