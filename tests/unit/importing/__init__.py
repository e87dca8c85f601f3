"""Tests of the spreadsheet reading layer (silverdesk.importing)."""
