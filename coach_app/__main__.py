"""`python -m coach_app`: the same entry point as the `coach-app` command."""

from coach_app.cli import main

raise SystemExit(main())
