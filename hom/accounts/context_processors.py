"""The navigation each role sees. Apps declare their entries on their AppConfig."""
from django.apps import apps
from django.urls import reverse


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    entries = []
    for config in apps.get_app_configs():
        for entry in getattr(config, "navigation", ()):
            if user.has_role(*entry["roles"]):
                url = reverse(entry["url_name"])
                entries.append(
                    {"label": entry["label"], "url": url, "active": request.path.startswith(url) and url != "/"}
                )
    return {"navigation": entries}
