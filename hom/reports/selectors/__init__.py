"""The reports' reads, by what they count: ``visits`` (activity, needs, who comes, dossiers),
``outcomes`` (funding, introductions, conventions, events) and ``public`` (the commune profile)."""
