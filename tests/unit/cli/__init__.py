"""Tests of the command line (silverdesk.cli)."""
