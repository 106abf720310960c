from django.views.generic import DetailView, ListView

from .models import Case


class CaseListView(ListView):
    model = Case


class CaseDetailView(DetailView):
    model = Case
