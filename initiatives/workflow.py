"""The support application's workflow: every status change goes through here.

    kladde → indsendt → under vurdering ⇄ mangler oplysninger
                                        ↘ bevilget / afslået

When the applicants answer a request for information, the application goes straight back
to "under vurdering" with the consultant who asked: it was already received and assigned,
and "indsendt" would put it back in the queue of new applications.

Views, admin actions, the admin's decision step, the demo command and the tests all call
these functions; nothing else changes an application's status (the model refuses it).
Each change is recorded as an `ApplicationTransition` (who, when, message) and the email
that belongs to it is sent after the transaction commits, so a failing mail server can
never undo or half-save a change.
"""

import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import emails
from .exceptions import (  # in their own module; workflow.InvalidTransition etc. still work
    DeadlinePassed,
    IncompleteApplication,
    InvalidTransition,
    SubmissionLimitReached,
)
from .models import ApplicationTransition, SupportApplication
from .models.applications import WORKFLOW_FIELDS, workflow_write

Status = SupportApplication.Status
# Submissions (first ones and resubmissions) one account may make per 24 hours; each one
# mails the addresses typed into the form, so this bounds what one account can send.
DEFAULT_SUBMISSIONS_PER_DAY = 5

REVIEW_PERMISSION = "initiatives.review_supportapplication"

# Allowed transitions and who may make them.
APPLICANT, SECRETARIAT = "applicant", "secretariat"
TRANSITIONS = {
    (Status.DRAFT, Status.SUBMITTED): APPLICANT,
    (Status.NEEDS_INFO, Status.IN_REVIEW): APPLICANT,
    (Status.SUBMITTED, Status.IN_REVIEW): SECRETARIAT,
    (Status.IN_REVIEW, Status.NEEDS_INFO): SECRETARIAT,
    (Status.IN_REVIEW, Status.GRANTED): SECRETARIAT,
    (Status.IN_REVIEW, Status.REJECTED): SECRETARIAT,
}
DECISIONS = (Status.GRANTED, Status.REJECTED)
# The applicants' own transitions: a first submission and an answer to a request for
# information. Both are checked for completeness and count against the daily limit.
SUBMISSIONS = {(Status.DRAFT, Status.SUBMITTED), (Status.NEEDS_INFO, Status.IN_REVIEW)}
# Transitions whose message the applicants must get.
MESSAGE_REQUIRED = {Status.NEEDS_INFO, Status.REJECTED}

# What a submitted application must contain (003, "Hvis I vil være med"), with the
# message the applicant sees when it is missing.
REQUIRED_FOR_SUBMISSION = {
    "initiative_title": "Skriv initiativets titel.",
    "initiative_description": "Beskriv kort det initiativ, I søger støtte til.",
    "institution": "Skriv navnet på jeres sygehus eller institution.",
    "department": "Skriv navnet på jeres afdeling.",
    "region": "Vælg region.",
    "leader_name": "Skriv lederens navn.",
    "leader_title": "Skriv lederens stilling.",
    "leader_email": "Skriv lederens e-mailadresse.",
    "leader_phone": "Skriv lederens telefonnummer.",
    "employee_rep_name": "Skriv medarbejderrepræsentantens navn.",
    "employee_rep_title": "Skriv medarbejderrepræsentantens stilling.",
    "employee_rep_email": "Skriv medarbejderrepræsentantens e-mailadresse.",
    "employee_rep_phone": "Skriv medarbejderrepræsentantens telefonnummer.",
    "contact_person": "Vælg, hvem af jer der er kontaktperson.",
    "own_resources": "Beskriv, hvilke ressourcer I selv kan stille med.",
    "ready_to_start": "Skriv, hvornår I er klar til at gå i gang.",
}
SUPPORT_FORM_FIELDS = ("wants_starthjaelp", "wants_udviklingsrum", "wants_evaluering")
SUPPORT_FORM_MISSING = "Vælg mindst én form for støtte."
CONFIRMATIONS = {
    "confirms_several_professions": "Initiativet skal involvere flere faggrupper.",
    "confirms_timing": (
        "Initiativet skal være i gang eller kunne sættes i gang inden for de kommende måneder."
    ),
    "confirms_sharing": "I skal være indstillet på, at læring og resultater deles med andre.",
    "confirms_local_backing": (
        "Forslaget skal være drøftet lokalt med opbakning fra både ledelse og medarbejdere."
    ),
}


def missing_for_submission(values):
    """{field: Danish message} for everything a submission lacks; `values` maps fields."""
    problems = {
        field: message
        for field, message in REQUIRED_FOR_SUBMISSION.items()
        if values.get(field) in (None, "")
        or (isinstance(values.get(field), str) and not values[field].strip())
    }
    if not any(values.get(field) for field in SUPPORT_FORM_FIELDS):
        problems["support_forms"] = SUPPORT_FORM_MISSING
    for field, message in CONFIRMATIONS.items():
        if not values.get(field):
            problems[field] = message
    return problems


def application_values(application):
    fields = [*REQUIRED_FOR_SUBMISSION, *SUPPORT_FORM_FIELDS, *CONFIRMATIONS]
    values = {field: getattr(application, field) for field in fields if field != "region"}
    values["region"] = application.region_id
    return values


def can_review(user):
    return bool(user and user.is_active and user.is_staff and user.has_perm(REVIEW_PERMISSION))


def can_read(application, user):
    """Whether `user` may see `application` and its attachment.

    Its applicant always; staff who may view applications in the admin once it has been
    submitted, as the admin hides drafts (the applicants' unfinished work).
    """
    if not (user and user.is_authenticated and user.is_active):
        return False
    if application.applicant_id is not None and application.applicant_id == user.pk:
        return True
    return (
        user.is_staff
        and application.status != Status.DRAFT
        and (
            user.has_perm("initiatives.view_supportapplication")
            or user.has_perm("initiatives.change_supportapplication")
        )
    )


def allowed_targets(application, user):
    """The statuses `user` may move `application` to now, in workflow order."""
    targets = []
    for (source, target), role in TRANSITIONS.items():
        if source != application.status:
            continue
        if role == APPLICANT and user.pk == application.applicant_id:
            if source == Status.DRAFT and not application.round.is_open():
                continue
            targets.append(Status(target))
        elif role == SECRETARIAT and can_review(user):
            targets.append(Status(target))
    return targets


def _check(application, target, actor):
    key = (application.status, target)
    role = TRANSITIONS.get(key)
    if role is None:
        raise InvalidTransition(
            f"En ansøgning med status “{Status(application.status).label}” kan ikke skifte "
            f"til “{Status(target).label}”."
        )
    if role == APPLICANT and actor.pk != application.applicant_id:
        raise InvalidTransition("Kun ansøgeren selv kan indsende ansøgningen.")
    if role == SECRETARIAT and not can_review(actor):
        raise InvalidTransition("Kun sekretariatet kan behandle ansøgninger.")


def submissions_per_day():
    return int(getattr(settings, "APPLICATION_SUBMISSIONS_PER_DAY", DEFAULT_SUBMISSIONS_PER_DAY))


def _check_submission_limit(actor, now):
    """Refuse a submission beyond the account's daily limit.

    The account's row is locked first, so two submissions at the same instant are counted
    one after the other, never both against the same old count.
    """
    get_user_model()._base_manager.select_for_update().filter(pk=actor.pk).first()
    limit = submissions_per_day()
    submissions = Q()
    for source, target in SUBMISSIONS:
        submissions |= Q(from_status=source, to_status=target)
    recent = (
        ApplicationTransition.objects.filter(submissions)
        .filter(actor=actor, at__gt=now - datetime.timedelta(hours=24))
        .count()
    )
    if recent >= limit:
        raise SubmissionLimitReached(
            f"Der kan højst indsendes {limit} ansøgninger fra samme konto i løbet af et døgn. "
            "Prøv igen i morgen, eller skriv til sekretariatet."
        )


@transaction.atomic
def transition(application, target, actor, message=""):
    """Move `application` to `target` as `actor`; returns the recorded transition.

    Raises InvalidTransition (or a subclass) and changes nothing when it is not allowed.
    """
    target = Status(target)
    message = (message or "").strip()
    # Lock the row and judge by the status in the database, not by a stale copy: two
    # clicks or two consultants at once cannot both move the same application.
    current = SupportApplication.objects.select_for_update().get(pk=application.pk)
    for name in WORKFLOW_FIELDS:
        setattr(application, name, getattr(current, name))
    _check(application, target, actor)

    now = timezone.now()
    if (application.status, target) in SUBMISSIONS:
        if application.status == Status.DRAFT and not application.round.is_open():
            raise DeadlinePassed(
                f"Fristen for {application.round.name} var {application.round.closes:%d.%m.%Y}."
            )
        problems = missing_for_submission(application_values(application))
        if problems:
            raise IncompleteApplication(problems)
        _check_submission_limit(actor, now)
        application.first_submitted_at = application.first_submitted_at or now
        application.submitted_at = now
    if target in MESSAGE_REQUIRED and not message:
        raise InvalidTransition("Skriv en besked til ansøgerne.")
    if target in DECISIONS:
        application.decided_at = now

    previous = application.status
    application.status = target
    application._history_user = actor
    with workflow_write(application.pk):
        application.save(update_fields=[*WORKFLOW_FIELDS, "updated_at"])
    record = ApplicationTransition.objects.create(
        application=application,
        from_status=previous,
        to_status=target,
        actor=actor,
        at=now,
        message=message,
    )
    transaction.on_commit(partial(emails.send_for_transition, record))
    transaction.on_commit(partial(emails.notify_secretariat, record))
    return record


def submission_target(status):
    """Where the applicants' "Indsend" takes an application in `status`."""
    return Status.IN_REVIEW if status == Status.NEEDS_INFO else Status.SUBMITTED


def submit(application, actor, message=""):
    """Send a draft to the secretariat, or an answer to its request for information."""
    return transition(application, submission_target(application.status), actor, message)


def start_review(application, actor):
    return transition(application, Status.IN_REVIEW, actor)


def request_information(application, actor, message):
    return transition(application, Status.NEEDS_INFO, actor, message)


def decide(application, actor, outcome, message=""):
    if Status(outcome) not in DECISIONS:
        raise InvalidTransition("En afgørelse er enten bevilget eller afslået.")
    return transition(application, outcome, actor, message)


def backdate_submission(application, moment):
    """Move the latest submission and its transitions back to `moment`.

    For demo content and tests that need an application which has waited; no request
    reaches this.
    """
    with workflow_write(application.pk):
        SupportApplication.objects.filter(pk=application.pk).update(
            submitted_at=moment, first_submitted_at=moment
        )
    ApplicationTransition.objects.filter(application=application).update(at=moment)
    application.submitted_at = application.first_submitted_at = moment


def assign(application, consultant, actor):
    """Make `consultant` (a secretariat member) responsible for the application."""
    if not can_review(actor):
        raise InvalidTransition("Kun sekretariatet kan tildele ansøgninger.")
    if consultant is not None and not can_review(consultant):
        raise InvalidTransition("Ansøgninger kan kun tildeles medlemmer af sekretariatet.")
    application.assigned_to = consultant
    application._history_user = actor
    application.save(update_fields=["assigned_to", "updated_at"])
