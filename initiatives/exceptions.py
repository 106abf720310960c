"""The workflow's exceptions, in a module of their own.

Models, workflow, emails and views all raise or catch these; keeping them here lets those
modules import each other in one direction only (views → workflow → emails → models).
"""


class InvalidTransition(Exception):
    """A status change the workflow does not allow (wrong status, actor or timing)."""


class WorkflowFieldChange(InvalidTransition):
    """A change to the status or its timestamps that did not come through the workflow."""


class DeadlinePassed(InvalidTransition):
    pass


class IncompleteApplication(InvalidTransition):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("Ansøgningen mangler oplysninger: " + " ".join(problems.values()))


class SubmissionLimitReached(InvalidTransition):
    """The account has submitted as many times as allowed in the last 24 hours."""
