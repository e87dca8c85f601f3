"""Tests of the window (pytest-qt, offscreen), in the feature packages of the screens they test."""
