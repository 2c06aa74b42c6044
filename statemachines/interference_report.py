"""A judge's monthly report of inquiries and interference (三个规定, 零报告).

due → filed: the judge files it once the month is over, listing the month's records or, when there
were none, as a zero report. A filed report is final; a record made later goes in next month's report.
"""
from statemachine import State, StateMachine

from statemachines.base import Refusal


class InterferenceReportMachine(StateMachine):
    due = State(initial=True)
    filed = State(final=True)

    file = due.to(filed, validators="month_over")

    def month_over(self, today=None, month_end=None, **_):
        """The month being reported is over (the report is filed from its last day)"""
        if today is not None and month_end is not None and today < month_end:
            raise Refusal("refused.machine.report_filed_from_month_end", month=self.model.month, month_end=str(month_end))
