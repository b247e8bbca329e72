from .records import ActivityViews, ArticleViews, ChannelViews, InternalBulletinViews, RoleModelViews

app_name = "publicity"

urlpatterns: list = [
    *ArticleViews().urlpatterns(),
    *InternalBulletinViews().urlpatterns(),
    *ChannelViews().urlpatterns(),
    *RoleModelViews().urlpatterns(),
    *ActivityViews().urlpatterns(),
]
