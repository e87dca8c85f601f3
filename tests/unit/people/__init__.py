"""Tests of silverdesk.services.people."""
