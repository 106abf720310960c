"""What the public page about the support says about each form of support.

Written in our own words from the partnership's invitation (seed 003, "Støtte til
initiativer målrettet udvikling, trivsel og arbejdsmiljø"). The one-line summaries are
SUPPORT_FORM_HINTS (also shown in the form) and the criteria are workflow.CONFIRMATIONS
(what the applicant confirms), so each is written once.
"""

from dataclasses import dataclass

from . import workflow
from .models import SupportForm
from .models.applications import SUPPORT_FORM_HINTS

SOURCE = (
    "Danske Regioner og de faglige organisationer på sygehusområdet: „Støtte til "
    "initiativer målrettet udvikling, trivsel og arbejdsmiljø“ (projektet „Rette "
    "kompetencer til rette opgaver – mod og idéer til nytænkning på sygehusområdet“)."
)


@dataclass(frozen=True)
class SupportDescription:
    form: str
    purpose: str
    activities: tuple
    course: tuple
    duration: str
    requirements: tuple

    @property
    def name(self):
        return SupportForm(self.form).label

    @property
    def summary(self):
        return SUPPORT_FORM_HINTS[self.form]


DESCRIPTIONS = (
    SupportDescription(
        form=SupportForm.STARTHJAELP,
        purpose=(
            "At få et initiativ godt fra start – både når idéen stadig skal sorteres og "
            "skærpes, og når initiativet er planlagt, men har brug for et skub for at "
            "komme i gang."
        ),
        activities=(
            "Sortering af idéer, så initiativets fokus og omfang bliver tydeligt.",
            "Projektplanlægning med konkrete redskaber: en projekt- og aktivitetsplan "
            "med roller og ansvar.",
            "Løbende sparring til den lokale projektleder.",
            "Temamøder i projektgruppen om det, der giver mening for initiativet.",
        ),
        course=(
            "Introduktionsmøde",
            "Fælles projektplanlægning",
            "Løbende sparring til projektlederen",
            "2-3 temamøder med projektgruppen",
            "Plan for det videre arbejde",
        ),
        duration="Op til 3 måneder, afhængigt af initiativets størrelse.",
        requirements=(
            "Både ledelse og medarbejdere bakker op om initiativet.",
            "En lokal projektleder deltager, gerne sammen med et par andre fra projektgruppen.",
        ),
    ),
    SupportDescription(
        form=SupportForm.UDVIKLINGSRUM,
        purpose=(
            "At samle afdelinger, der arbejder med lignende initiativer, så de kan "
            "inspirere og hjælpe hinanden."
        ),
        activities=(
            "3-5 afdelinger mødes i en række udviklingsrum på ca. tre timer, fysisk "
            "eller virtuelt.",
            "Før og mellem møderne aftaler vi, hvad I har brug for hjælp og inspiration "
            "til, og tilrettelægger indholdet efter det.",
            "I udviklingsrummene deler I udfordringer, gode idéer og erfaringer.",
        ),
        course=(
            "Introduktionsmøde",
            "Første udviklingsrum",
            "Dialog om udbytte og behov",
            "Andet udviklingsrum",
            "Dialog om udbytte og behov",
            "Tredje udviklingsrum",
            "Opfølgning og hjælp til næste skridt",
        ),
        duration="Typisk et halvt år med ca. tre workshops.",
        requirements=(
            "I deltager med et initiativ, der allerede er i gang.",
            "I deltager aktivt i alle aktiviteter.",
            "Mindst 3-5 personer fra jer deltager, fra både ledelse og medarbejdere.",
        ),
    ),
    SupportDescription(
        form=SupportForm.EVALUERING,
        purpose=(
            "At give et initiativ, der allerede er i gang, et blik udefra på resultater og proces."
        ),
        activities=(
            "Et fælles afsæt: vi definerer sammen, hvad der skal måles – forudsætninger, "
            "aktiviteter og resultater.",
            "Indsamling af erfaringer, fx interviews med medarbejdere og ledere og "
            "eventuelt patienter, observation eller data.",
            "Løbende feedback til afdelingen og en samlet evaluering med resultater og "
            "læring til intern brug.",
        ),
        course=(
            "Introduktionsmøde",
            "Fælles valg af målepunkter",
            "Indsamling af erfaringer og viden",
            "Løbende feedback til afdelingen",
            "Samlet evaluering",
        ),
        duration="Typisk 4-8 uger.",
        requirements=(
            "I hjælper med at koordinere aftaler og data og deltager i de aftalte aktiviteter.",
            "Ledelsen er interesseret i at deltage i og modtage evalueringen.",
        ),
    ),
)

# What the application must contain, in the form's order (the form asks for each).
APPLICATION_CONTENTS = (
    "Afsendere: en leder og en medarbejderrepræsentant, og hvem af dem der er kontaktperson",
    "Navnet på jeres sygehus eller institution og afdeling",
    "En kort beskrivelse af initiativet",
    "Hvilken form for støtte I ønsker",
    "Hvilke ressourcer I selv kan stille med",
    "Hvornår I er klar til at gå i gang",
)


def criteria():
    """The criteria an applicant confirms in the form, as the form's validation words them."""
    return tuple(workflow.CONFIRMATIONS.values())
