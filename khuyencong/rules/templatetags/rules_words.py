"""The rules' codes in words on a page: a content of the catalogue by its name, a rate's variant by its label.

The catalogue is read once per request, whatever the number of rows that name a content:
`{% content_name r.content_code %}`, `{% variant_name row.variant row.content.code %}`."""

from django import template

from khuyencong.rules.models import ContentItem, SupportRate

register = template.Library()


def _words(context) -> dict:
    request = context.get("request")
    words = getattr(request, "_kc_rule_words", None)
    if words is None:
        words = {
            "content": dict(ContentItem.objects.values_list("code", "name")),
            "variant": {(content, variant): label for content, variant, label in SupportRate.objects.exclude(
                variant_label="").values_list("content__code", "variant", "variant_label")},
        }
        if request is not None:
            request._kc_rule_words = words
    return words


@register.simple_tag(takes_context=True)
def content_name(context, code: str) -> str:
    """`machinery` → the content's name in the catalogue (the code itself only for a content the catalogue lost)."""
    return _words(context)["content"].get(code, code) if code else ""


@register.simple_tag(takes_context=True)
def variant_name(context, variant: str, content_code: str = "") -> str:
    """A rate's variant (`technology_line`) by the label its rate row gives it."""
    if not variant:
        return ""
    labels = _words(context)["variant"]
    if (content_code, variant) in labels:
        return labels[(content_code, variant)]
    return next((label for (_content, code), label in labels.items() if code == variant), variant)
