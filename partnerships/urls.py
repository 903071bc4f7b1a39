"""URLs of the partnerships app; its views arrive with their issue."""
app_name = "partnerships"

urlpatterns = []
