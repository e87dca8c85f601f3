"""Tests of the import pipeline (silverdesk.services.importing)."""
