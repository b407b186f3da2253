from django.urls import path

from . import feeds, views

urlpatterns = [
    # The public portal (no account needed)
    path("tin-tuc/", views.public_list, name="news_public_list"),
    path("tin-tuc/feed/", feeds.NewsFeed(), name="news_feed"),
    path("tin-tuc/tinh/<int:code>/", views.public_province, name="news_public_province"),
    path("tin-tuc/tinh/<int:code>/feed/", feeds.NewsFeed(), name="news_province_feed"),
    path("tin-tuc/anh/<int:pk>/", views.public_image, name="news_public_image"),
    path("tin-tuc/<int:code>/<slug:slug>/", views.public_article, name="news_public_article"),
    # Staff pages
    path("news/manage/", views.manage_list, name="news_manage_list"),
    path("news/manage/new/", views.manage_create, name="news_manage_create"),
    path("news/manage/<int:pk>/", views.manage_detail, name="news_manage_detail"),
    path("news/manage/<int:pk>/edit/", views.manage_edit, name="news_manage_edit"),
    path("news/manage/<int:pk>/act/<slug:action>/", views.manage_act, name="news_manage_act"),
    path("news/manage/<int:pk>/images/", views.manage_image_add, name="news_manage_image_add"),
    path("news/manage/<int:pk>/images/<int:image_id>/remove/", views.manage_image_remove,
         name="news_manage_image_remove"),
    path("news/manage/images/<int:image_id>/", views.manage_image, name="news_manage_image"),
]
