"""Entry point of the bundled program: the same as the `coach-app` command."""

import multiprocessing

from coach_app.cli import main

# Batch workers are started by re-running this program: freeze_support turns such a run into the worker.
multiprocessing.freeze_support()
raise SystemExit(main())
