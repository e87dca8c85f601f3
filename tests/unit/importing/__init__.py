"""Tests of the spreadsheet reading layer (silverdesk.services.importing)."""
