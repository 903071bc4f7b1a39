"""URLs of the funding catalogue (/funding/); its views arrive with the funding issue."""
app_name = "funding"

urlpatterns = []
