"""Tests of silverdesk.services.activities."""
