"""Challenges' public pages below each hub (``cms.hub_routes``)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from challenges import editor_views, views
from cms.hub_routes import HubSection


@hooks.register("register_hub_routes")
def challenge_routes():
    return [
        # The editor's addresses first: "new" and "from-idea" would otherwise be taken for slugs.
        path("challenges/new/", editor_views.challenge_new, name="challenge_new"),
        path("challenges/from-idea/<int:idea_id>/", editor_views.challenge_from_idea, name="challenge_from_idea"),
        path("challenges/<slug:slug>/edit/", editor_views.challenge_edit, name="challenge_edit"),
        path("challenges/<slug:slug>/documents/", editor_views.challenge_documents, name="challenge_documents"),
        path("challenges/<slug:slug>/approval/", editor_views.challenge_approval, name="challenge_approval"),
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


@hooks.register("register_hub_section")
def challenges_hub_section():
    return HubSection(_("Challenges"), "challenges/", order=40)


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
