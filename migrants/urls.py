"""URLs of the migrants app; its views arrive with their issue."""
app_name = "migrants"

urlpatterns = []
