from django.urls import path

from accounts import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("language/", views.language_switch, name="language_switch"),
    path("data/", views.personal_data, name="personal_data"),
    path("data/download/<str:token>/", views.data_export_download, name="data_export_download"),
    path("close/", views.close_account, name="close_account"),
]
