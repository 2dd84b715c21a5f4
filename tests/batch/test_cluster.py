"""`--cluster`: a real Dask LocalCluster with separate worker processes scores like the local pool does."""

import os
import signal
import socket
import threading
import time

import pytest
from batch_files import copy_samples, recognised_alike, use_test_model, write_calls
from distributed import Client, LocalCluster

from coach_app.batch.cluster import connect
from coach_app.batch.runner import plan, process_batch
from coach_app.errors import CoachError
from coach_app.storage.db import open_db
from coach_app.storage.sessions import load_session


def _import(paths, settings, **options):
    batch_id = plan(
        paths,
        rep=None,
        rep_from=None,
        tags=(),
        default_rep="Sam",
        on_progress=lambda f, m: None,
        cancel=threading.Event(),
    )
    report = process_batch(batch_id, settings, on_progress=lambda f, m: None, cancel=threading.Event(), **options)
    db = open_db()
    return {
        item.path: (load_session(db, item.session_id).automatic, load_session(db, item.session_id).transcript)
        for item in report.items
    }, report


def test_local_cluster_gives_the_same_scores_as_a_local_run(tmp_path, tmp_path_factory, monkeypatch):
    """10 files (recordings and transcripts) scored on two Dask worker processes equal a local two-worker run."""
    files = write_calls(tmp_path / "in", 3, tmp_path_factory) + copy_samples(tmp_path / "in", 7)
    monkeypatch.setenv("COACH_APP_HOME", str(tmp_path / "local"))
    local, _ = _import([tmp_path / "in"], use_test_model(), workers=2)
    monkeypatch.setenv("COACH_APP_HOME", str(tmp_path / "cluster"))
    with LocalCluster(processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        remote, report = _import([tmp_path / "in"], use_test_model(), cluster=cluster.scheduler_address)
    assert report.count("done") == len(files) == 10 and report.workers == 2
    assert remote.keys() == local.keys()
    for path, (scorecard, transcript) in local.items():
        remote_scorecard, remote_transcript = remote[path]
        if path.endswith(".json"):  # the same transcript: exactly the same scores
            assert remote_transcript == transcript and remote_scorecard == scorecard, path
        else:
            assert recognised_alike(remote_transcript, transcript), path
            assert abs(remote_scorecard.overall - scorecard.overall) <= 5, path


def test_unreachable_scheduler_is_a_clear_error_within_the_timeout():
    """Nothing listens on the port: a CoachError naming the address and what to do, after about the timeout."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    with pytest.raises(CoachError, match=rf"Cannot reach the Dask scheduler at tcp://127.0.0.1:{port} within 2 s"):
        connect(f"tcp://127.0.0.1:{port}", timeout_s=2)
    assert time.perf_counter() - started < 30


def test_a_cluster_worker_that_dies_loses_no_file(tmp_path, tmp_path_factory):
    """SIGKILL a Dask worker process after the first result: its files are scored elsewhere, each saved once."""
    files = write_calls(tmp_path / "in", 5, tmp_path_factory)
    settings = use_test_model()
    batch_id = plan(
        [tmp_path / "in"],
        rep=None,
        rep_from=None,
        tags=(),
        default_rep="Sam",
        on_progress=lambda f, m: None,
        cancel=threading.Event(),
    )
    with LocalCluster(processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            pids = list(client.run(os.getpid).values())
        killed: list[int] = []

        def kill_one(item, overall) -> None:
            if not killed:
                killed.append(pids[0])
                os.kill(pids[0], signal.SIGKILL)

        report = process_batch(
            batch_id,
            settings,
            cluster=cluster.scheduler_address,
            on_item=kill_one,
            on_progress=lambda f, m: None,
            cancel=threading.Event(),
        )
    assert killed and report.count("done") == len(files)
    assert open_db().execute("SELECT count(*) FROM sessions").fetchone()[0] == len(files)
