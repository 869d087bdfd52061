"""Fixtures for the pypicloud screens (helpers live in helpers.py)."""
