from django.urls import path

from embeds import views

urlpatterns = [
    path("<int:hub_id>/", views.embed_projects, name="embed_projects"),
    path("<int:hub_id>/projects.json", views.embed_projects_json, name="embed_projects_json"),
    path("<int:hub_id>/snippet/", views.embed_snippet, name="embed_snippet"),
    path("<int:hub_id>/share/", views.share, name="embed_share"),
]
