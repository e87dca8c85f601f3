"""Tests of silverdesk.services.org."""
