"""The personal data of the case library: a case's contact person, and the
contributions ("Del en erfaring") an account has sent. Registered in
`CasesConfig.ready()`."""

from portal.privacy import PersonalDataHolder, rows

from .models import Case, ContributionEvent


class CaseContacts(PersonalDataHolder):
    key = "cases_som_kontaktperson"

    def _cases(self, subject):
        return Case.objects.filter(subject.email_q("contact_email")).order_by("pk")

    def export(self, subject):
        return rows(self._cases(subject), exclude=["search_vector"])

    def erase(self, subject, report):
        cases = list(self._cases(subject))
        for case in cases:
            case.contact_name = ""
            case.contact_email = ""
            # A save, so the case list's and the booklet's caches follow.
            case.save(update_fields=["contact_name", "contact_email", "updated_at"])
        if cases:
            report.add(f"Kontaktpersonen fjernet fra {len(cases)} case(s).")


class CaseContributions(PersonalDataHolder):
    """An account's contributions and their moderation. Erasing deletes the ones that
    were never published (they are only the person's text); a published case stays
    with its workplace, without the person (the contact is `CaseContacts`' part, the
    account link goes with the account)."""

    key = "cases_bidrag"

    def _contributions(self, subject):
        if subject.user is None:
            return Case.objects.none()
        return Case.objects.contributed_by(subject.user).order_by("pk")

    def export(self, subject):
        contributions = self._contributions(subject)
        events = ContributionEvent.objects.filter(case__in=contributions).order_by("pk")
        return {
            "bidrag": rows(contributions, exclude=["search_vector"]),
            "forloeb": rows(events),
        }

    def erase(self, subject, report):
        contributions = self._contributions(subject)
        unpublished = [case for case in contributions if not case.is_public]
        for case in unpublished:
            case.delete()
        published = list(self._contributions(subject))
        for case in published:
            case.contributor = None
            case.credit_person = False
            case.save(update_fields=["contributor", "credit_person", "updated_at"])
        if unpublished:
            report.add(f"{len(unpublished)} bidrag, der ikke var offentliggjort, er slettet.")
        if published:
            report.add(
                f"{len(published)} offentliggjort(e) bidrag er ikke længere knyttet til kontoen."
            )
