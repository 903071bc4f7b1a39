"""In-app notifications and daily reminder digests; they arrive with their issue."""
