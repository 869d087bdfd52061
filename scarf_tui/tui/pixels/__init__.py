"""Tracking pixels of one owner (API v2): list, create, edit, delete, export their events."""
