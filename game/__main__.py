"""`python -m game` is the `archer` command."""

from game.cli import main

raise SystemExit(main())
