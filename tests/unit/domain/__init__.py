"""Tests of silverdesk.domain."""
