"""The partner pages that belong to a person rather than to a hub (a hub's pages are PartnerIndexPage routes)."""

from django.urls import path

from partners import views

urlpatterns = [
    path("mine/", views.mine, name="partner_mine"),
    path("mine/<slug:slug>/", views.manage, name="partner_manage"),
    path("mine/<slug:slug>/invite/", views.member_invite, name="partner_member_invite"),
    path("mine/<slug:slug>/members/<int:member_id>/remove/", views.member_remove, name="partner_member_remove"),
    path("invitations/<str:token>/", views.invitation, name="partner_invitation"),
]
