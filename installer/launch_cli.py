"""Frozen entry point of the command line (silverdesk-cli import|report|backup|…)."""

import sys

from silverdesk.cli import main

sys.exit(main())
