"""An article's body: sanitised rich text (an explicit allow-list of tags and attributes, through `nh3`), and the
plain text the search folds.

Staff write in a plain textarea: text without any allowed tag becomes paragraphs (blank lines) and line breaks;
text with the few tags of the toolbar keeps them. Anything else (scripts, styles, event handlers, iframes, images
from elsewhere) is removed."""

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "blockquote", "h2", "h3", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

_TAG = re.compile(r"</?(?:" + "|".join(sorted(ALLOWED_TAGS)) + r")\b[^>]*>", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n")


def clean_body(raw: str | None) -> str:
    text = (raw or "").replace("\r\n", "\n").strip()
    if not text:
        return ""
    if not _TAG.search(text):
        paragraphs = [p.strip() for p in _BLANK_LINES.split(text) if p.strip()]
        text = "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow", strip_comments=True).strip()


def plain_text(body: str | None) -> str:
    """The body without tags, for search and the feed's summary."""
    text = nh3.clean((body or "").replace("</p>", "</p> ").replace("<br>", " "), tags=set(), attributes={})
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
