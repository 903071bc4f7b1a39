"""URLs of the registry, under /migrants/."""
from django.urls import include, path

from . import views
from .campaigns import urls as campaign_urls
from .notices import views as notice_views
from .offline import views as offline_views
from .phone_accounts import views as phone_views
from .transfers import urls as transfer_urls
from .transfers import views as transfer_views

app_name = "migrants"

urlpatterns = [
    path("", views.migrant_list, name="list"),
    path("new/", views.migrant_create, name="create"),
    path("new/duplicates/", views.duplicate_check, name="duplicate_check"),
    path("consent-form/", views.consent_form, name="consent_form_blank"),
    path("export.csv", views.migrant_export_csv, name="export_csv"),
    path("export.xlsx", views.migrant_export_xlsx, name="export_xlsx"),
    path("access-log/", views.access_log, name="access_log"),
    path("retention/", views.retention_dry_run, name="retention"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("walk-ins/new/", views.walk_in_create, name="walk_in_create"),
    path("offline/visit/", offline_views.offline_visit, name="offline_visit"),
    path("campaigns/", include(campaign_urls)),
    path("transfers/", include(transfer_urls)),
    path("to-review/", offline_views.reviews, name="reviews"),
    path("to-review/<int:pk>/", offline_views.review_decide, name="review_decide"),
    path("<int:pk>/", views.migrant_detail, name="detail"),
    path("<int:pk>/edit/", views.migrant_edit, name="edit"),
    path("<int:pk>/channels/", notice_views.contact_choices, name="channels"),
    path("<int:pk>/consent-form/", views.consent_form, name="consent_form"),
    path("<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    path("<int:pk>/transfer/", transfer_views.transfer_create, name="transfer_create"),
    path("<int:pk>/merge/", views.migrant_merge, name="merge"),
    path("<int:pk>/erase/", views.migrant_erase, name="erase"),
    path("<int:pk>/data.zip", views.migrant_data_export, name="data_export"),
    path("<int:pk>/data/", views.migrant_data_page, name="data_page"),
    path("visits/<int:pk>/follow-up-done/", views.visit_follow_up_done, name="follow_up_done"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/remove/", views.visit_remove, name="visit_remove"),
    path("links/<int:pk>/decide/", views.link_request_decide, name="link_decide"),
    path("import/", views.import_list, name="import_list"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/start/", views.import_start, name="import_start"),
    path("import/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-up/confirm/<str:token>/", views.sign_up_confirm, name="sign_up_confirm"),
    path("sign-up/phone/<str:token>/", phone_views.sign_up_phone, name="sign_up_phone"),
    path("sign-up/phone/<str:token>/resend/", phone_views.sign_up_phone_resend, name="sign_up_phone_resend"),
    path("password/phone/", phone_views.password_reset_phone, name="password_reset_phone"),
    path("password/phone/<str:token>/", phone_views.password_reset_phone_confirm, name="password_reset_phone_confirm"),
    path("me/", views.my_profile, name="me"),
    path("me/channels/", notice_views.my_contact_choices, name="my_channels"),
    path("me/phone/code/", notice_views.my_phone_code_send, name="my_phone_code"),
    path("me/phone/verify/", notice_views.my_phone_verify, name="my_phone_verify"),
    path("me/data.json", views.my_data, name="my_data"),
    path("me/data/", views.my_data_page, name="my_data_page"),
    path("me/erasure/", views.my_erasure_request, name="my_erasure"),
]
