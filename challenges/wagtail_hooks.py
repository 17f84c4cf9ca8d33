"""Challenges' public pages below each hub (``cms.hub_routes``)."""

from django.urls import path
from wagtail import hooks

from challenges import views


@hooks.register("register_hub_routes")
def challenge_routes():
    return [
        path("challenges/", views.challenge_list, name="challenge_list"),
        path("challenges/<slug:slug>/", views.challenge_detail, name="challenge_detail"),
        path("challenges/<slug:slug>/follow/", views.challenge_follow, name="challenge_follow"),
        path("challenges/<slug:slug>/questions/", views.question_ask, name="challenge_question_ask"),
        path(
            "challenges/<slug:slug>/questions/<int:question_id>/answer/",
            views.question_answer,
            name="challenge_question_answer",
        ),
        path("challenges/<slug:slug>/submit/", views.submission_form, name="challenge_submit"),
        path("challenges/<slug:slug>/submissions/", views.submission_list, name="challenge_submissions"),
        path(
            "challenges/<slug:slug>/submissions/<int:submission_id>/",
            views.submission_detail,
            name="challenge_submission",
        ),
        path(
            "challenges/<slug:slug>/submissions/<int:submission_id>/attachments/<int:attachment_id>/",
            views.attachment_download,
            name="challenge_attachment",
        ),
        path("challenges/<slug:slug>/manage/", views.challenge_manage, name="challenge_manage"),
    ]


@hooks.register("register_hub_routes")
def challenge_dialogue_routes():
    """The market dialogue's meetings and one-to-one slots (``challenges.dialogue_views``)."""
    from challenges import dialogue_views

    prefix = "challenges/<slug:slug>/dialogue/"
    return [
        path(f"{prefix}meetings/new/", dialogue_views.meeting_create, name="challenge_dialogue_meeting_new"),
        path(f"{prefix}slots/new/", dialogue_views.series_create, name="challenge_dialogue_series_new"),
        path(f"{prefix}slots/<int:series_id>/", dialogue_views.series_detail, name="challenge_dialogue_series"),
        path(
            f"{prefix}slots/<int:series_id>/cancel/",
            dialogue_views.booking_cancel,
            name="challenge_dialogue_booking_cancel",
        ),
        path(
            f"{prefix}slots/<int:series_id>/summary/",
            dialogue_views.summary_publish,
            name="challenge_dialogue_summary",
        ),
    ]
