class VietnameseFirstMiddleware:
    """The interface is Vietnamese unless the user chose English (the language cookie set by /i18n/setlang/).

    A browser's Accept-Language says nothing about the civil servant using it: many office machines run in English.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
