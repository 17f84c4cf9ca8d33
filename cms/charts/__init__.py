"""Accessible SVG charts rendered on the server: a title and description, patterns or labels besides colour, and the
same figures as a table beside every chart (see each module)."""
