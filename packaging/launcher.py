"""Entry point of the bundled program: the same as the `coach-app` command."""

from coach_app.cli import main

raise SystemExit(main())
