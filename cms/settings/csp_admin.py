"""django-csp's middleware, with the two places where the one policy (CONTENT_SECURITY_POLICY) must give way.

- The Wagtail admin: its page editor and listings run inline scripts that Wagtail's widgets write (date
  choosers, StreamField blocks) and set inline styles, which no nonce or hash can cover. Under its path
  prefix, CONTENT_SECURITY_POLICY_ADMIN["REPLACE"] replaces those directives; the rest of the policy stays.
- A view that lets its own site frame it (X-Frame-Options: SAMEORIGIN, as Wagtail's preview panel does)
  gets frame-ancestors 'self' to match: browsers obey frame-ancestors over X-Frame-Options.

It lives beside the settings because the policy does; MIDDLEWARE names it in place of csp's own.
"""

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class CSPMiddlewareWithAdminPolicy(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        replace = {}
        admin = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", None) or {}
        if admin and request.path_info.startswith(admin["PATH_PREFIX"]):
            replace.update(admin["REPLACE"])
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            replace["frame-ancestors"] = [SELF]
        if replace:
            # What a view asked for itself (csp_replace) still wins.
            parts.replace = {**replace, **(parts.replace or {})}
        return parts
