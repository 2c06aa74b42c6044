"""The codes of a quota exit's terms: grounds, outcomes, windows, submissions, documents. Their words are the
catalog's `exit_ground.<code>`, `exit_outcome.<code>`, … (i18n/locale/*/LC_MESSAGES/quota_exit.po); the legal
documents and the dossier are written in Chinese (`in_chinese`)."""
import i18n

GROUNDS = ('application', 'retirement', 'resignation', 'death', 'transfer_out', 'dismissal', 'expulsion', 'loss_of_nationality', 'rotation', 'assessment_failure', 'discipline_violation', 'law_violation', 'recusal_duty', 'unable_to_work', 'disciplinary_committee_opinion', 'refused_quota_post')
OUTCOMES = ('exit', 'no_exit', 'observation')
WINDOWS = ('statement', 'committee_decision', 'reconsideration_application', 'reconsideration_decision', 'higher_review_application')
SUBMISSIONS = ('grounds_evidence', 'statement', 'evidence', 'hearing_request', 'waiver', 'hearing_minutes', 'reconsideration_application', 'higher_review_application')
DOCUMENTS = ('notice', 'decision', 'reconsideration_decision', 'higher_review_decision')


def in_chinese(prefix: str, code: str | None) -> str:
    """The Chinese word for a code (`in_chinese("exit_outcome", "exit")` → 退出员额), for documents and the dossier."""
    return i18n.label(prefix, code, "zh_CN")
