"""Models of the partnerships app; they arrive with their issue."""
