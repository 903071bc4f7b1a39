"""URLs of the projects app; its views arrive with their issue."""
app_name = "projects"

urlpatterns = []
