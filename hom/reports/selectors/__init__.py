"""The reports' reads, by what they count: ``visits`` (activity, needs, who comes, dossiers),
``outcomes`` (funding, introductions, conventions, events), ``public`` (the commune profile) and
``dashboard`` (the office's indicators on the staff dashboard)."""
