"""Test helpers shared by every app: access matrix, query counts, URL coverage, users by role.

Loaded as a pytest plugin from the root ``conftest.py``.
"""
