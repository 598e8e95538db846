from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Bahasa Indonesia unless the user chose English with the header button.

    The browser's Accept-Language is ignored: officers' laptops often send en-US, and the
    product's language is Indonesian. API clients (`/api/`) are programs: their
    Accept-Language is honoured, so an integrator may ask for English messages.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        if request.path.startswith("/api/") and "Accept-Language" in request.headers:
            asked = translation.get_language_from_request(request)
            chosen = asked if asked in supported else chosen
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
