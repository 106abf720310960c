from django.urls import path

from . import views

app_name = "initiatives"

urlpatterns = [
    path("", views.InitiativeListView.as_view(), name="initiative_list"),
    path("ansoeg/", views.ApplyView.as_view(), name="apply"),
    # Under ansoeg/ so that it shadows no initiative's slug.
    path("ansoeg/om-stoetten/", views.SupportInfoView.as_view(), name="support"),
    path("mine-ansoegninger/", views.MyApplicationsView.as_view(), name="my_applications"),
    path(
        "mine-ansoegninger/<int:pk>/",
        views.ApplicationDetailView.as_view(),
        name="application_detail",
    ),
    path(
        "mine-ansoegninger/<int:pk>/ret/",
        views.ApplicationEditView.as_view(),
        name="application_edit",
    ),
    path(
        "mine-ansoegninger/<int:pk>/del-en-erfaring/",
        views.ApplicationContributeView.as_view(),
        name="application_contribute",
    ),
    path(
        "mine-ansoegninger/<int:pk>/bilag/",
        views.ApplicationAttachmentView.as_view(),
        name="application_attachment",
    ),
    path("<slug:slug>/", views.InitiativeDetailView.as_view(), name="initiative_detail"),
]
