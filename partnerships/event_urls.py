"""URLs of meetings (with their action items) and events (forums, missions, trainings, exchange visits)."""

urlpatterns: list = []
