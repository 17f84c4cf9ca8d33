from django.urls import path, re_path

from api.views import api, api_docs, api_not_found

urlpatterns = [
    path("v1/docs", api_docs, name="api_docs"),
    path("v1/", api.urls),
    re_path(r"^(?P<rest>.*)$", api_not_found),
]
