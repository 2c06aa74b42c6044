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
}


def translate(key: str, lang: str) -> str:
    pair = TEXTS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]
