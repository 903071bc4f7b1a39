"""URLs of conventions: list, dashboard, a convention's page, parties, budget and reports."""

urlpatterns: list = []
