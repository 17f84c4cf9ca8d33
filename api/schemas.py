"""The API's response shapes (pydantic, through django-ninja): what its OpenAPI document describes.

Ids are database ids: a hub's and a project's id is its Wagtail page id (stable across edits,
moves and re-publishing), a partner's and a progress update's the row's id; goals are identified
by their number, targets and indicators by their code. ``url`` is always the absolute address of
the public HTML page.
"""

from datetime import date, datetime

from ninja import Schema
from pydantic import Field


class LocalisedText(Schema):
    nb: str = Field(description="Bokmål")
    nn: str = Field(description="Nynorsk (Bokmål where the catalogue has no Nynorsk text)")
    en: str = Field(description="English")


class ErrorDetail(Schema):
    parameter: str = Field(description="The query parameter the detail is about, empty if none")
    message: str


class ErrorBody(Schema):
    code: str = Field(
        description="Stable: bad_request, unknown_parameter, invalid_parameter, not_found, "
        "method_not_allowed, rate_limited, server_error"
    )
    message: str
    details: list[ErrorDetail] = Field(default_factory=list)


class ErrorOut(Schema):
    error: ErrorBody


class HubOut(Schema):
    id: int = Field(description="The hub's page id")
    title: str
    slug: str
    municipality: str
    default_language: str
    introduction: str = Field(description="Plain text")
    url: str
    partner_directory_url: str | None
    project_list_url: str | None
    published_at: datetime | None
    updated_at: datetime


class GoalOut(Schema):
    number: int = Field(ge=1, le=17)
    short_name: LocalisedText
    title: LocalisedText
    colour: str
    url: str


class TargetOut(Schema):
    code: str
    goal: int = Field(description="The goal's number")
    title: LocalisedText
    url: str


class IndicatorOut(Schema):
    code: str
    target: str = Field(description="The target's code")
    goal: int = Field(description="The goal's number")
    title: LocalisedText
    url: str


class HubLink(Schema):
    id: int = Field(description="The hub's page id")
    url: str | None = Field(description="The partner's page in the hub's partner directory")


class PartnerOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    organisation_number: str
    description: str = Field(description="Plain text")
    website: str
    public_email: str
    municipality: str
    latitude: float | None
    longitude: float | None
    goals: list[int] = Field(description="Goal numbers")
    hubs: list[HubLink] = Field(description="The public hubs where the partnership is approved")
    url: str | None = Field(description="The partner's page in the first of its hubs")
    created_at: datetime
    updated_at: datetime


class MeasurementOut(Schema):
    value: float
    measured_on: date
    progress_update: int = Field(description="The progress update that reported it")


class OutcomeOut(Schema):
    id: int
    title: str
    unit: str
    baseline: float
    target_value: float
    target_date: date
    latest_value: float | None
    measurements: list[MeasurementOut] = Field(description="Oldest first")


class ProjectOut(Schema):
    id: int = Field(description="The project's page id")
    title: str
    slug: str
    url: str
    hub: int = Field(description="The hub's page id")
    summary: str
    status: str
    start_date: date | None
    end_date: date | None
    location: str
    primary_goal: int = Field(description="Goal number")
    goals: list[int] = Field(description="Goal numbers, the primary goal first")
    targets: list[str] = Field(description="Target codes")
    lead_partner: int | None = Field(description="Partner id, if approved in the hub")
    partners: list[int] = Field(description="Participating partners approved in the hub")
    outcomes: list[OutcomeOut]
    last_reported_on: date | None = Field(description="The date of the newest progress update")
    reporting_freshness: str = Field(description="up_to_date, due or overdue, by the hub's thresholds")
    published_at: datetime | None
    updated_at: datetime = Field(description="Last publication or newest progress update, whichever is later")


class ProgressMeasurementOut(Schema):
    outcome: int
    value: float
    measured_on: date


class ProgressUpdateOut(Schema):
    id: int
    project: int = Field(description="The project's page id")
    hub: int
    partner: int | None = Field(description="The reporting partner, if approved in the hub")
    reported_on: date
    text: str = Field(description="Plain text")
    measurements: list[ProgressMeasurementOut]
    url: str = Field(description="The project's page, where the update is shown")
    created_at: datetime


class ListPage(Schema):
    next: str | None = Field(description="The next page's full address; null on the last page")
    next_cursor: str | None = Field(description="The opaque cursor in ``next``")


class HubList(ListPage):
    data: list[HubOut]


class GoalList(ListPage):
    data: list[GoalOut]


class TargetList(ListPage):
    data: list[TargetOut]


class IndicatorList(ListPage):
    data: list[IndicatorOut]


class PartnerList(ListPage):
    data: list[PartnerOut]


class ProjectList(ListPage):
    data: list[ProjectOut]


class ProgressUpdateList(ListPage):
    data: list[ProgressUpdateOut]


class IndexOut(Schema):
    hubs: str
    partners: str
    projects: str
    progress_updates: str
    goals: str
    targets: str
    indicators: str
    openapi: str
    docs: str
