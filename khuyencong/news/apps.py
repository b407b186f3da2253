from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "khuyencong.news"
    label = "news"
    verbose_name = _("News")

    def ready(self) -> None:
        from khuyencong.core.audit import register_action_labels, register_change_labels, register_object_page

        from .flows import ARTICLE_ROWS  # also registers the badge tones of an article's states

        labels = {f"news.article.{row.action}": row.label for row in ARTICLE_ROWS}
        labels.update({
            "news.article.create": _("Wrote the article"),
            "news.article.update": _("Changed the article"),
            "news.image.add": _("Added a picture"),
            "news.image.remove": _("Removed a picture"),
        })
        register_action_labels(labels)
        register_change_labels({"picture": _("picture")})
        register_object_page("news.article", "news_manage_detail")
