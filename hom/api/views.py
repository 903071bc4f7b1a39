"""The token pages of a user's account: create (the key shown once), list with last use, revoke."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hom.accounts.access import get_visible_or_404
from hom.forms import add_service_error

from . import selectors, services
from .forms import TokenForm
from .models import ApiToken


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            form = TokenForm()
    tokens = selectors.api_tokens_of(request.user)
    response = render(request, "api/tokens.html", {"form": form, "tokens": tokens, "new_key": new_key})
    if new_key:
        response["Cache-Control"] = "no-store"  # the key is shown once: never kept by a cache
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_visible_or_404(ApiToken, request.user, pk=pk)
    services.api_token_revoke(token=token, revoked_by=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api:tokens")
