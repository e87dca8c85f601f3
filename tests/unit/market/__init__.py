"""Tests of silverdesk.services.market."""
