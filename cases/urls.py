from django.urls import path

from . import contribution_views, embed, feeds, open_data, views

app_name = "cases"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    # Content flowing out (issue 16): feed, open data, the embeddable list; in RESERVED_SLUGS.
    path("feed/", feeds.LatestCasesFeed(), name="feed"),
    path("data.csv", open_data.OpenDataCsvView.as_view(), name="data_csv"),
    path("data.json", open_data.OpenDataJsonView.as_view(), name="data_json"),
    path("indlejr/", embed.CaseEmbedView.as_view(), name="embed"),
    # "Del en erfaring" (issue 16); before "<slug>/", and in RESERVED_SLUGS.
    path("del-en-erfaring/", contribution_views.ContributeView.as_view(), name="contribute"),
    path("mine-bidrag/", contribution_views.MyContributionsView.as_view(), name="my_contributions"),
    path(
        "mine-bidrag/<int:pk>/ret/",
        contribution_views.ContributionEditView.as_view(),
        name="contribution_edit",
    ),
    path("<slug:slug>/", views.CaseDetailView.as_view(), name="detail"),
]
