"""四类案件 supervision (SPEC §3): flagged → reported → ended.

The lead judge reports the flagged case to the division chief; supervisors take measures
(read the file, attend a hearing, require a report, require a similar-case search, refer
to the professional judges' meeting or the adjudication committee), each a recorded event
that keeps the state. No event here touches the panel's decision. Supervision ends when
the case is decided.
"""
from statemachine import State, StateMachine

from statemachines.base import Refusal

_measure_states = ("flagged", "reported")


class SupervisionMachine(StateMachine):
    flagged = State(initial=True)
    reported = State()
    ended = State(final=True)

    report = flagged.to(reported)
    read_file = flagged.to.itself(internal=True) | reported.to.itself(internal=True)
    attend_hearing = flagged.to.itself(internal=True) | reported.to.itself(internal=True)
    require_report = flagged.to.itself(internal=True) | reported.to.itself(internal=True)
    require_similar_case_search = flagged.to.itself(internal=True) | reported.to.itself(internal=True)
    refer_to_meeting = (flagged.to.itself(internal=True, validators="no_search_outstanding")
                        | reported.to.itself(internal=True, validators="no_search_outstanding"))
    refer_to_committee = flagged.to.itself(internal=True) | reported.to.itself(internal=True)
    end = flagged.to(ended) | reported.to(ended)

    def no_search_outstanding(self, outstanding_searches: int = 0, **_):
        if outstanding_searches:
            raise Refusal("refused.machine.similar_case_search_report_required_before_2")


class RequiredReportMachine(StateMachine):
    """A report a supervisor or the panel required: required → received, or withdrawn by whoever required it."""
    required = State(initial=True)
    received = State(final=True)
    withdrawn = State(final=True)

    submit = required.to(received, validators="has_text")
    withdraw = required.to(withdrawn)

    def has_text(self, data=None, **_):
        if not (data and data.text.strip()):
            raise Refusal("refused.machine.report_needs_text")


class ProposalMachine(StateMachine):
    """A proposal to flag a case (e.g. a petition naming the judge): proposed → accepted | declined."""
    proposed = State(initial=True)
    accepted = State(final=True)
    declined = State(final=True)

    accept = proposed.to(accepted)
    decline = proposed.to(declined)
