"""Open data: ``/opendata/`` (site-wide) and ``/opendata/<hub>/`` with their downloads and catalogues."""

from django.urls import path, re_path

from opendata import views

DATASET = r"(?P<dataset>projects|partners)\.(?P<fmt>csv|json)"
CATALOGUE = r"catalog\.(?P<ext>ttl|rdf)"

urlpatterns = [
    path("", views.index, name="opendata_index"),
    re_path(rf"^{DATASET}$", views.download, name="opendata_download"),
    re_path(rf"^{CATALOGUE}$", views.catalogue, name="opendata_catalog"),
    path("<slug:slug>/", views.hub_index, name="opendata_hub"),
    re_path(rf"^(?P<slug>[-\w]+)/{DATASET}$", views.hub_download, name="opendata_hub_download"),
    re_path(rf"^(?P<slug>[-\w]+)/{CATALOGUE}$", views.hub_catalogue, name="opendata_hub_catalog"),
]
