"""Batch import end to end on real files: worker processes, the real Vosk model, a real database."""

import contextlib
import os
import signal
import threading
import time

import psutil
import pytest
import soundfile as sf
from batch_files import copy_samples, recognised_alike, use_test_model, write_calls

from coach_app.batch.runner import plan, process_batch, worker_count
from coach_app.errors import CoachError
from coach_app.session import rubric_for, score_file
from coach_app.storage.batches import batch_items
from coach_app.storage.db import open_db
from coach_app.storage.sessions import list_sessions, load_session


def _plan(paths, **options):
    options = {"rep": None, "rep_from": None, "tags": (), "default_rep": "Sam", **options}
    return plan(paths, **options, on_progress=lambda f, m: None, cancel=threading.Event())


def _run(batch_id, settings, **options):
    finished = []
    report = process_batch(
        batch_id,
        settings,
        on_item=lambda item, overall: finished.append((item, overall)),
        on_progress=lambda f, m: None,
        cancel=threading.Event(),
        **options,
    )
    return report, finished


def test_folder_of_calls_and_transcripts_is_scored_like_single_imports(tmp_path, tmp_path_factory):
    """Two workers score recordings and transcripts; each saved session equals importing that file on its own."""
    settings = use_test_model()
    calls = write_calls(tmp_path / "in" / "Ana", 2, tmp_path_factory)
    transcripts = copy_samples(tmp_path / "in" / "Ben", 2)
    batch_id = _plan([tmp_path / "in"], rep_from=r"/in/(\w+)/", tags=("week 1",))
    report, finished = _run(batch_id, settings, workers=2)
    assert report.count("done") == 4 and report.workers == 2
    assert {item.path for item, _ in finished} == {str(p) for p in calls + transcripts}
    db = open_db()
    for item, overall in finished:
        stored = load_session(db, item.session_id)
        p = next(x for x in calls + transcripts if str(x) == item.path)
        alone = score_file(p, settings, rubric_for(settings), on_progress=lambda f, m: None, cancel=threading.Event())
        transcript, scorecard = alone
        assert stored.automatic.overall == overall
        if p in calls:
            assert recognised_alike(stored.transcript, transcript), p
            assert abs(scorecard.overall - overall) <= 5, p
        else:  # the same transcript: exactly the same scores
            assert stored.transcript == transcript and scorecard.overall == overall, p
        assert stored.summary.rep == ("Ana" if p in calls else "Ben")
        assert stored.summary.tags == ("week 1",) and stored.summary.title == p.stem
        assert (stored.summary.audio_path is not None) == (p in calls)


def test_rerun_skips_done_files_and_retries_failed_ones(tmp_path):
    """The same folder twice saves each file once; a file fixed after failing is imported by the rerun."""
    folder = tmp_path / "in"
    copy_samples(folder)
    broken = folder / "broken.json"
    broken.write_text('{"turns": "not a list"}', encoding="utf-8")
    first, _ = _run(_plan([folder]), use_test_model(), workers=1)
    assert first.count("done") == 8 and first.count("failed") == 1
    failed = next(i for i in first.items if i.state == "failed")
    assert failed.path == str(broken) and '"turns" must be a list' in failed.error
    broken.write_text((folder / "birthday_gift_good.json").read_text().replace("birthday", "party"), "utf-8")
    second, _ = _run(_plan([folder]), use_test_model())
    assert second.count("done") == 1 and second.count("skipped") == 8 and second.count("failed") == 0
    assert len(list_sessions(open_db())) == 9


def test_bad_files_are_listed_with_reasons_and_the_batch_goes_on(tmp_path, tmp_path_factory):
    """Unreadable, empty, too short, non-audio and duplicate files each get a clear reason; good files are saved."""
    folder = tmp_path / "in"
    (good,) = write_calls(folder, 1, tmp_path_factory)
    (folder / "copy.wav").write_bytes(good.read_bytes())
    (folder / "empty.wav").write_bytes(b"")
    (folder / "notes.txt").write_text("call notes", encoding="utf-8")
    (folder / "fake.mp3").write_text("this is not audio", encoding="utf-8")
    short = folder / "short.wav"
    data, rate = sf.read(good, dtype="int16")
    sf.write(short, data[: rate // 2], rate)
    locked = folder / "locked.json"
    locked.write_text("{}", encoding="utf-8")
    locked.chmod(0)
    report, _ = _run(_plan([folder]), use_test_model())
    reasons = {i.path.rsplit("/", 1)[1]: (i.state, i.error) for i in report.items}
    assert reasons["call_00.wav"][0] == "done"
    assert reasons["copy.wav"] == ("skipped", f"the same recording as {good} (same checksum)")
    assert reasons["empty.wav"] == ("failed", "is empty (0 bytes); export or copy it again")
    assert reasons["notes.txt"][0] == "failed" and "not a recording" in reasons["notes.txt"][1]
    assert reasons["fake.mp3"][0] == "failed" and "not an audio file that can be read" in reasons["fake.mp3"][1]
    assert reasons["short.wav"][0] == "failed" and "too short (0.5 s)" in reasons["short.wav"][1]
    assert reasons["locked.json"][0] == "failed"  # unreadable, or (as root, who reads anything) not a transcript


def test_missing_path_and_bad_rep_pattern_are_clear_errors(tmp_path):
    """A path that does not exist or a broken --rep-from pattern stops before anything is recorded."""
    with pytest.raises(CoachError, match="does not exist"):
        _plan([tmp_path / "nowhere"])
    with pytest.raises(CoachError, match="not a valid regular expression"):
        _plan([tmp_path], rep_from="([")
    assert open_db().execute("SELECT count(*) FROM batches").fetchone()[0] == 0


def test_rep_from_that_does_not_match_fails_only_that_file(tmp_path):
    """A file whose path has no rep name by the pattern is failed with the reason; the others are saved."""
    copy_samples(tmp_path / "team" / "Cleo")
    copy_samples(tmp_path / "loose")
    report, _ = _run(_plan([tmp_path], rep_from=r"team/(\w+)/"), use_test_model(), workers=1)
    assert report.count("done") == 8
    assert all("--rep-from" in i.error for i in report.items if i.state == "failed")
    assert {i.rep for i in batch_items(open_db(), report.batch_id) if i.state == "done"} == {"Cleo"}


def test_worker_count_follows_request_cores_and_files():
    """Asked-for counts are kept (up to the files), the default is at most one per core, 0 is refused."""
    assert worker_count(3, 10, None) == 3
    assert worker_count(3, 2, None) == 2
    assert 1 <= worker_count(None, 100, None) <= os.cpu_count()
    with pytest.raises(CoachError, match="--workers 0"):
        worker_count(0, 5, None)


def test_a_worker_process_that_dies_has_its_file_retried_not_lost(tmp_path, tmp_path_factory):
    """SIGKILL one worker process mid-batch: the pool is restarted and every file is still saved exactly once."""
    settings = use_test_model()
    files = write_calls(tmp_path / "in", 4, tmp_path_factory)
    batch_id = _plan([tmp_path / "in"])
    result: list = []
    worker = threading.Thread(target=lambda: result.append(_run(batch_id, settings, workers=2)[0]))
    worker.start()
    me = psutil.Process()
    deadline = time.monotonic() + 120
    victim = None
    while victim is None and time.monotonic() < deadline:
        victim = next(iter(_workers(me)), None)
        time.sleep(0.2)
    assert victim is not None, "no worker process started"
    time.sleep(1.0)  # let it take a file
    victim.send_signal(signal.SIGKILL)
    worker.join(600)
    (report,) = result
    assert report.count("done") == len(files)
    sessions = open_db().execute("SELECT count(*) FROM sessions").fetchone()[0]
    assert sessions == len(files)


def _workers(parent: psutil.Process) -> list[psutil.Process]:
    """The pool's worker processes: spawned children, or children of the fork server that preloaded the model."""
    found = []
    for process in parent.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            line = " ".join(process.cmdline())
            if "spawn_main" in line or (process.ppid() != parent.pid and "forkserver" in line):
                found.append(process)
    return found
