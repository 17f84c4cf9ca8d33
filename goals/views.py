"""Public pages of the SDG catalogue: all goals, and one goal with its targets and indicators."""

from django.http import Http404
from django.shortcuts import render

from goals.models import Goal
from goals.selectors import goal_with_targets, goals_in_order


def goal_list(request):
    return render(request, "goals/goal_list.html", {"goals": goals_in_order()})


def goal_detail(request, number: int):
    try:
        goal = goal_with_targets(number)
    except Goal.DoesNotExist as error:
        raise Http404(str(error)) from error
    return render(request, "goals/goal_detail.html", {"goal": goal})
