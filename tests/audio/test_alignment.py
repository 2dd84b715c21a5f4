"""Lining up two devices' blocks by frame count: exact when both keep up, padded and trimmed when one stalls."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from coach_app.audio.alignment import FrameAligner


def numbered(start: int, count: int) -> np.ndarray:
    """Frames whose values are their own frame numbers, so any misplacement shows."""
    return np.arange(start, start + count, dtype=np.int16).reshape(-1, 1)


def collect(aligner: FrameAligner, **take) -> np.ndarray:
    blocks = []
    while (block := aligner.take(**take)) is not None:
        blocks.append(block)
    return np.concatenate(blocks) if blocks else np.zeros((0, 2), np.int16)


@given(st.lists(st.tuples(st.sampled_from([0, 1]), st.integers(1, 300)), min_size=1, max_size=60))
def test_blocks_of_any_size_and_order_stay_frame_aligned(arrivals):
    """Whatever the block sizes and interleaving, frame n of each device is frame n of the output."""
    aligner = FrameAligner([1, 1], max_skew_frames=10**9)  # no stall: pure alignment
    received = [0, 0]
    output = []
    for source, count in arrivals:
        aligner.add(source, numbered(received[source], count))
        received[source] += count
        if (block := aligner.take()) is not None:
            output.append(block)
    output.append(collect(aligner, flush=True))
    result = np.concatenate(output)
    assert len(result) == max(received)
    for source in (0, 1):
        np.testing.assert_array_equal(result[: received[source], source], np.arange(received[source]))
        assert not result[received[source] :, source].any()  # the shorter device is padded with silence at the end


def test_a_stalled_device_is_padded_then_its_late_frames_dropped():
    """The file keeps growing while one device stalls, and when it resumes it is trimmed to stay in step."""
    aligner = FrameAligner([1, 1], max_skew_frames=100)
    aligner.add(0, numbered(0, 50))
    aligner.add(1, numbered(0, 50))
    assert len(aligner.take()) == 50
    aligner.add(0, numbered(50, 80))
    assert aligner.take() is None  # within the allowed skew: wait for the other device
    aligner.add(0, numbered(130, 80))  # now 160 frames ahead of device 1
    padded = aligner.take()
    np.testing.assert_array_equal(padded[:, 0], np.arange(50, 210))
    assert not padded[:, 1].any()
    aligner.add(1, numbered(50, 200))  # the stalled device delivers its backlog: frames 50..249
    aligner.add(0, numbered(210, 40))
    caught_up = aligner.take()
    np.testing.assert_array_equal(caught_up[:, 1], np.arange(210, 250))  # frames 50..209 were already padded
    np.testing.assert_array_equal(caught_up[:, 0], np.arange(210, 250))


def test_limit_caps_each_block():
    """`limit` hands out at most that many frames, keeping the rest for later (exact --seconds lengths)."""
    aligner = FrameAligner([2], max_skew_frames=0)
    aligner.add(0, np.ones((500, 2), np.int16))
    assert aligner.take(limit=120).shape == (120, 2)
    assert aligner.take(limit=0) is None
    assert aligner.take().shape == (380, 2)
