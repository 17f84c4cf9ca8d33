"""Project pages that belong to a project or a goal rather than to a hub's list (those are ProjectIndexPage routes)."""

from django.urls import path

from projects import feeds, views

urlpatterns = [
    path("<int:page_id>/updates/new/", views.progress_update_new, name="project_update_new"),
    path("goals/<int:number>/feed/", feeds.GoalProjectsFeed(), name="project_goal_feed"),
]
