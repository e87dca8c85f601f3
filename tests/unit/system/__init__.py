"""Tests of silverdesk.services.system."""
