"""The API's documentation page (Swagger UI) served from our own static files.

django-ninja's default page loads swagger-ui from a CDN (an unpinned major version, run with the signed-in user's
session) and starts it with an inline script. Ours loads the pinned `swagger-ui-dist` of package.json through
STATICFILES_DIRS ("vendor/swagger-ui") and starts it from web/api-docs.js, so it works offline and under the
Content-Security-Policy (script-src 'self').
"""

from django.shortcuts import render
from ninja.openapi.docs import Swagger, _csrf_needed


class StaticSwagger(Swagger):
    template = "web/api_docs.html"
    # No online validator badge: it would send the document to a third party (and the CSP refuses the image).
    default_settings = {**Swagger.default_settings, "validatorUrl": None}

    def render_page(self, request, api, **kwargs):
        swagger_settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"swagger_settings": swagger_settings, "api": api, "add_csrf": _csrf_needed(api)}
        return render(request, self.template, context)
