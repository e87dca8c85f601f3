"""Frozen entry point of the GUI (no console window on Windows)."""

import sys

from silverdesk.app import main

sys.exit(main())
