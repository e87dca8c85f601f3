"""Tests of the screens of silverdesk.ui.market."""
