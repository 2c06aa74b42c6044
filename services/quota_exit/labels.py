"""The court's words for the terms of a quota exit (zh, en): grounds, outcomes, windows, submissions."""

GROUNDS = {
    "application": ("申请退出", "application"),
    "retirement": ("退休", "retirement"),
    "resignation": ("辞职", "resignation"),
    "death": ("死亡", "death"),
    "transfer_out": ("调出", "transfer out"),
    "dismissal": ("辞退", "dismissal"),
    "expulsion": ("开除", "expulsion"),
    "loss_of_nationality": ("丧失国籍", "loss of nationality"),
    "rotation": ("因工作需要交流至非员额岗位", "rotation to a non-quota post"),
    "assessment_failure": ("考核不合格", "assessment failure"),
    "discipline_violation": ("违纪", "discipline violation"),
    "law_violation": ("违法", "law violation"),
    "recusal_duty": ("应当任职回避", "recusal duty"),
    "unable_to_work": ("一年以上不能正常履职", "unable to work for over a year"),
    "disciplinary_committee_opinion": ("法官惩戒委员会意见", "disciplinary committee opinion"),
    "refused_quota_post": ("拒不服从员额岗位安排", "refusing a quota post"),
}
OUTCOMES = {
    "exit": ("退出员额", "exit from the quota"),
    "no_exit": ("不予退出", "no exit"),
    "observation": ("设置观察期", "observation period"),
}
WINDOWS = {
    "statement": ("陈述申辩期", "statement period"),
    "committee_decision": ("委员会决定期限", "committee decision period"),
    "reconsideration_application": ("复议申请期", "time to apply for reconsideration"),
    "reconsideration_decision": ("复议决定期限", "reconsideration decision period"),
    "higher_review_application": ("复核申请期", "time to apply for review by the higher court"),
}
SUBMISSIONS = {
    "grounds_evidence": ("退出理由证据", "evidence for the grounds"),
    "statement": ("陈述申辩意见", "statement"),
    "evidence": ("证据材料", "evidence file"),
    "hearing_request": ("听证申请", "hearing request"),
    "waiver": ("放弃陈述申辩", "waiver"),
    "hearing_minutes": ("听证笔录", "hearing minutes"),
    "reconsideration_application": ("复议申请", "application for reconsideration"),
    "higher_review_application": ("复核申请", "application for review by the higher court"),
}
DOCUMENTS = {
    "notice": ("员额退出程序告知书", "Notice of quota-exit proceedings"),
    "decision": ("员额退出决定书", "Quota-exit decision"),
    "reconsideration_decision": ("员额退出复议决定书", "Reconsideration decision"),
    "higher_review_decision": ("员额退出复核决定书", "Decision on review by the higher court"),
}


def zh(table: dict, key: str | None) -> str:
    return table.get(key or "", (key or "", ""))[0]


def en(table: dict, key: str | None) -> str:
    return table.get(key or "", ("", key or ""))[1]
