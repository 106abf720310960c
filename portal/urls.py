from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from cases.feeds import ThemeCasesFeed

from . import account_deletion, views
from .accounts import AdminLoginForm
from .admin import view_on_site

portal_patterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("konto/slet/", account_deletion.AccountDeleteView.as_view(), name="account_delete"),
    path("temaer/", views.ThemeListView.as_view(), name="theme_list"),
    path("temaer/<slug:slug>/", views.ThemeDetailView.as_view(), name="theme_detail"),
    path("temaer/<slug:slug>/feed/", ThemeCasesFeed(), name="theme_feed"),
    path("kontakt/", views.ContactView.as_view(), name="contact"),
    path("privatlivspolitik/", views.PrivacyView.as_view(), name="privacy"),
    path("tilgaengelighed/", views.AccessibilityView.as_view(), name="accessibility"),
    path("was", views.AccessibilityShortcutView.as_view(), name="was"),
    path("favicon.ico", views.FaviconView.as_view(), name="favicon"),
]

urlpatterns = [
    path("", include((portal_patterns, "portal"))),
    # Before cases.urls, whose "<slug>/" would take "mappe/".
    path("cases/", include("booklets.urls")),
    path("cases/", include("cases.urls")),
    path("initiativer/", include("initiatives.urls")),
    path("workshops/", include("workshops.urls")),
    path("konto/", include("allauth.urls")),
    # Before the admin's own URLs: its "view on site" with a permission check.
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
    ),
    path("admin/", admin.site.urls),
]

admin.site.login_form = AdminLoginForm
admin.site.site_header = "Sekretariatet – Sammen om udvikling af de regionale arbejdspladser"
admin.site.site_title = "Sekretariatet"
admin.site.index_title = "Administration"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
