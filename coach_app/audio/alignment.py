"""Lining up audio blocks from several devices by frame count, so they can be written side by side."""

from collections.abc import Sequence

import numpy as np


class FrameAligner:
    """Lines sources up by frame count: frame n of every source becomes frame n of the file, side by side.

    A source that falls more than `max_skew_frames` behind is padded with silence, and its late frames are then
    dropped, so the channels never drift apart and the file keeps growing while a device stalls.
    """

    def __init__(self, source_channels: Sequence[int], max_skew_frames: int) -> None:
        self._channels = list(source_channels)
        self._pending: list[list[np.ndarray]] = [[] for _ in source_channels]
        self._received = [0] * len(source_channels)
        self._max_skew_frames = max_skew_frames
        self.emitted = 0

    def add(self, source: int, frames: np.ndarray) -> None:
        start = self._received[source]
        self._received[source] += len(frames)
        already_padded = max(0, self.emitted - start)
        if already_padded < len(frames):
            self._pending[source].append(frames[already_padded:])

    def take(self, limit: int | None = None, flush: bool = False) -> np.ndarray | None:
        """The next aligned block (at most `limit` frames); `flush` pads every source to the longest one."""
        target = min(self._received)
        if flush or max(self._received) - target > self._max_skew_frames:
            target = max(self._received)
        count = target - self.emitted if limit is None else min(target - self.emitted, limit)
        if count <= 0:
            return None
        columns = []
        for source, channels in enumerate(self._channels):
            held = np.concatenate(self._pending[source]) if self._pending[source] else np.zeros((0, channels), np.int16)
            column = held[:count]
            self._pending[source] = [held[count:]] if len(held) > count else []
            if len(column) < count:
                column = np.concatenate([column, np.zeros((count - len(column), channels), np.int16)])
            columns.append(column)
        self.emitted += count
        return columns[0] if len(columns) == 1 else np.hstack(columns)
