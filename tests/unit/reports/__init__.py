"""Tests of silverdesk.reports."""
