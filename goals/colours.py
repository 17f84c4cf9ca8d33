"""The goals' official colours and the text colour that stays readable on each.

Pure functions with no Django imports, so that the data migration can use them safely.
"""

# UN SDG communications guidelines: goal number -> background colour.
OFFICIAL_GOAL_COLOURS = {
    1: "#E5243B",
    2: "#DDA63A",
    3: "#4C9F38",
    4: "#C5192D",
    5: "#FF3A21",
    6: "#26BDE2",
    7: "#FCC30B",
    8: "#A21942",
    9: "#FD6925",
    10: "#DD1367",
    11: "#FD9D24",
    12: "#BF8B2E",
    13: "#3F7E44",
    14: "#0A97D9",
    15: "#56C02B",
    16: "#00689D",
    17: "#19486A",
}

WHITE = "#FFFFFF"
BLACK = "#000000"

# WCAG 2.x success criterion 1.4.3 (AA) for normal-sized text.
AA_NORMAL_TEXT = 4.5


def _channel_to_linear(value: int) -> float:
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    """Relative luminance of an sRGB colour written as `#RRGGBB`, as WCAG 2.x defines it (0 to 1)."""
    digits = hex_colour.removeprefix("#")
    if len(digits) != 6:
        raise ValueError(f"Expected a colour as #RRGGBB, got {hex_colour!r}.")
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel_to_linear(red) + 0.7152 * _channel_to_linear(green) + 0.0722 * _channel_to_linear(blue)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two `#RRGGBB` colours, from 1 (none) to 21 (black on white); order is irrelevant."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_colour(background: str, candidates: tuple[str, ...] = (WHITE, BLACK)) -> str:
    """The candidate text colour with the highest contrast on `background`.

    Chosen by measurement rather than by eye: several official colours look dark enough for white
    text but are not (goal 1's red gives 4.52 with white and 4.65 with black). Raises ValueError if
    no candidate reaches WCAG AA for normal text, so a bad colour stops the catalogue from loading
    instead of reaching the page.
    """
    best = max(candidates, key=lambda candidate: contrast_ratio(background, candidate))
    if contrast_ratio(background, best) < AA_NORMAL_TEXT:
        raise ValueError(f"No text colour reaches {AA_NORMAL_TEXT}:1 on {background}.")
    return best
