"""Models of the migrants app; they arrive with their issue."""
