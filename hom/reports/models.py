"""Aggregated, anonymised reports and commune profiles; they arrive with their issue."""
