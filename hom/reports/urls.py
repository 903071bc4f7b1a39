"""URLs of the reports (/reports/); views arrive with their issue."""
app_name = "reports"

urlpatterns = []
