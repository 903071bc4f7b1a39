"""URLs of the notifications (/notifications/); views arrive with their issue."""
app_name = "notifications"

urlpatterns = []
