"""The goal icon: one component for every place a goal is shown as a picture.

Dugnad draws its own tile (the goal's official colour, its number and short name) instead of
shipping the UN's icons; goals/data/sdg/README.md says why. goals is the lowest app, so every
other app's templates may load this.
"""

from django import template

register = template.Library()

SIZES = ("sm", "md", "lg")


@register.inclusion_tag("components/goal_icon.html")
def goal_icon(goal, size: str = "md", link: bool = True):
    """A goal's tile: ``size`` "md" shows number and short name, "lg" the same filling its grid
    cell (the goal list), "sm" the number alone (the name then in the accessible name).
    ``link`` False for a tile inside another link."""
    if size not in SIZES:
        raise template.TemplateSyntaxError(f"goal_icon size must be one of {SIZES}, not {size!r}.")
    return {"goal": goal, "size": size, "link": link}
