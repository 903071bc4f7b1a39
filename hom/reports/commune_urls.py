"""Public commune profiles (/communes/<code>/); views arrive with their issue."""
app_name = "communes"

urlpatterns = []
