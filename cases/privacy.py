"""The personal data of the case library: a case's contact person. Registered in
`CasesConfig.ready()`."""

from portal.privacy import PersonalDataHolder, rows

from .models import Case


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
