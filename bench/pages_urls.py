"""HOM's URLs plus ``/bench/bare/``: behind login, one indexed query, the same middleware as every page."""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from hom.urls import urlpatterns as hom_urlpatterns
from migrants.models import Migrant


@login_required
def bare(request):
    number = Migrant.objects.filter(office_id=request.user.office_id).order_by("-pk").values_list(
        "file_number", flat=True).first()
    return HttpResponse(f"<!doctype html><title>bare</title><p>{number}</p>")


urlpatterns = [path("bench/bare/", bare), *hom_urlpatterns]
