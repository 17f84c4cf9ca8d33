"""Content-Security-Policy for every response."""

from django.conf import settings

# The public site runs no inline script and loads nothing from elsewhere.
SITE_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)

# Wagtail's admin still has a few inline scripts and styles (inline panels, date widgets;
# wagtail/wagtail#1288), so only its own pages may run them. The public site stays strict.
ADMIN_POLICY = SITE_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


class ContentSecurityPolicyMiddleware:
    """Adds the policy unless the view set one. A view meant to be framed by other websites (the
    embeds) sets ``response.csp_frame_ancestors = "*"`` (and uses ``xframe_options_exempt``): its
    policy then says ``frame-ancestors *``; every other response keeps ``frame-ancestors 'none'``."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefixes = tuple(getattr(settings, "CSP_RELAXED_PATH_PREFIXES", ("/admin/", "/django-admin/")))

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            relaxed = request.path.startswith(self.admin_prefixes)
            policy = ADMIN_POLICY if relaxed else SITE_POLICY
            frame_ancestors = getattr(response, "csp_frame_ancestors", None)
            if frame_ancestors:
                policy = policy.replace("frame-ancestors 'none'", f"frame-ancestors {frame_ancestors}")
            response["Content-Security-Policy"] = policy
        return response
