"""Tests without Qt, in the feature packages of the code they test."""
