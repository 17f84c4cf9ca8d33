from django.urls import path

from goals import views

urlpatterns = [
    path("", views.goal_list, name="goal_list"),
    path("<int:number>/", views.goal_detail, name="goal_detail"),
]
