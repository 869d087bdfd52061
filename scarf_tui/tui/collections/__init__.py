"""Docker collections of one owner (API v2): list, create, edit pattern and domains, delete."""
