from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    # E-mail preferences and unsubscribing.
    path("settings/", views.email_settings, name="email_settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    # Following and the notification centre.
    path("", views.notification_centre, name="centre"),
    path("read/", views.notifications_mark_all_read, name="mark_all_read"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("<int:pk>/read/", views.notification_mark_read, name="mark_read"),
    path("following/", views.following_list, name="following"),
    path("follow/<slug:kind>/<int:pk>/", views.follow_view, name="follow"),
    path("unfollow/<slug:kind>/<int:pk>/", views.unfollow_view, name="unfollow"),
]
