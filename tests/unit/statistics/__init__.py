"""Tests of silverdesk.services.statistics."""
