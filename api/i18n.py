"""Page texts in Chinese (default) and English."""

TEXTS: dict[str, tuple[str, str]] = {
    "app_name": ("courtflow 审判管理", "courtflow trial management"),
    "login": ("登录", "Log in"),
    "logout": ("退出", "Log out"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "login_failed": ("用户名或密码错误", "Wrong username or password"),
    "my_tasks": ("我的待办", "My tasks"),
    "overview": ("法院概览", "Court overview"),
    "no_tasks": ("暂无待办事项", "Nothing waiting for you"),
    "due": ("期限", "Due"),
    "subject": ("事项", "Subject"),
    "kind": ("类型", "Kind"),
    "open": ("打开", "Open"),
    "state": ("状态", "State"),
    "actions": ("可执行操作", "Actions"),
    "no_actions": ("当前没有您可执行的操作", "No action is open to you now"),
    "timeline": ("流程记录", "Timeline"),
    "done": ("已完成", "Done"),
    "refused": ("操作被拒绝", "Refused"),
    "conflict": ("他人已修改，请刷新后重试", "Someone else changed this first; reload and try again"),
    "invalid": ("输入有误", "Invalid input"),
    "submit": ("提交", "Submit"),
    "language": ("English", "中文"),
    "courts": ("法院", "Courts"),
    "pending_cases": ("未结案件", "Pending cases"),
    "overdue": ("超审限", "Overdue"),
    "due_30": ("30日内到期", "Due within 30 days"),
    "open_tasks": ("待办事项", "Open tasks"),
    "days_left": ("剩余天数", "Days left"),
    "deadline": ("审限届满日", "Deadline"),
    "who": ("操作人", "Who"),
    "when": ("时间", "When"),
    "what": ("操作", "What"),
    "why": ("理由", "Why"),
    "escalated": ("已督办", "Escalated"),
    "saved": ("已保存", "Saved"),
    "cases": ("案件", "Cases"),
    "my_cases": ("我的案件", "My cases"),
    "case_number": ("案号", "Case number"),
    "cause": ("案由", "Cause"),
    "procedure": ("程序", "Procedure"),
    "lead_judge": ("承办法官", "Lead judge"),
    "filed_on": ("立案日期", "Filed on"),
    "closed_on": ("结案日期", "Closed on"),
    "clock_stopped": ("审限中止", "clock stopped"),
    "no_time_limit": ("无审限", "no time limit"),
    "case_closed": ("已结案", "closed"),
    "search": ("查找", "Search"), "search_case_number": ("按案号查找", "Find by case number"),
    "search_results": ("案号查找结果", "Cases found"),
    "days_left_n": ("剩余 {n} 天", "{n} days left"),
    "overdue_n": ("已超审限 {n} 天", "{n} days overdue"),
    "days_left_max": ("剩余天数不超过", "At most N days left"),
    "all": ("全部", "All"),
    "state_pending": ("未结", "Pending"),
    "state_closed": ("已结", "Closed"),
    "state_all": ("全部", "All"),
    "filter": ("筛选", "Filter"),
    "total": ("共计", "Total"),
    "no_cases": ("暂无案件", "No cases"),
    "prev_page": ("上一页", "Previous"),
    "next_page": ("下一页", "Next"),
    "excluded_days": ("扣除天数", "Excluded days"),
    "extension_count": ("已延长次数", "Extensions approved"),
    "extension_requests": ("延长审限申请", "Extension requests"),
    "reassignment_requests": ("变更承办法官申请", "Reassignment requests"),
    "party_notices": ("当事人告知", "Notices to parties"),
    "none": ("无", "None"),
    "login_locked": ("登录失败次数过多，该账号或地址已暂时锁定，请于 {until} 后再试。",
                     "Too many failed logins: this account or address is locked until {until}; try again then."),
    "notices": ("站内通知", "Notices"),
    "body_too_large": ("提交的内容过大（上限 {limit} MB）；证据文件请用上传功能提交。",
                       "The request is too large (limit {limit} MB); upload evidence files with the upload form."),
}


def register_texts(texts: dict[str, tuple[str, str]]) -> None:
    """Each feature keeps its page texts in its own module; its page module's `plug(shell)` adds them
    here when the app is built (api/features.py), never on import."""
    clashes = {k for k in texts if k in TEXTS and TEXTS[k] != texts[k]}
    if clashes:
        raise ValueError(f"page text keys defined twice with different texts: {sorted(clashes)}")
    TEXTS.update(texts)


def translate(key: str, lang: str) -> str:
    pair = TEXTS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]
