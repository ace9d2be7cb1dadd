"""``python -m meetbridge``: the same command line as ``meetbridge``."""

from meetbridge.cli import main

raise SystemExit(main())
