"""Models of the projects app; they arrive with their issue."""
