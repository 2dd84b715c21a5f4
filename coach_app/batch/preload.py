"""Imported once by the fork server that starts batch workers: loads the speech model named in the environment,
so the workers forked from it share the model's memory instead of each loading a copy (about 0.5 GB each)."""

import contextlib
import os

MODEL_ENV = "COACH_APP_BATCH_MODEL"

if os.environ.get(MODEL_ENV):
    from coach_app.transcription.engine import load_model

    with contextlib.suppress(Exception):  # a model that fails here is loaded, and reported, by each worker
        load_model(os.environ[MODEL_ENV])
