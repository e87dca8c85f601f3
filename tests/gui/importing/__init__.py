"""Tests of the screens of silverdesk.ui.importing."""
