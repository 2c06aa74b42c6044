"""Page texts of the flow-health page (Chinese default, English), and the labels of what each flow wrote."""
from api.i18n import register_texts, translate

register_texts({
    "flow_health": ("流程运行状况", "Flow health"),
    "fh_flow": ("流程", "Flow"),
    "fh_last_run": ("最近一次运行", "Last run"),
    "fh_state": ("结果", "State"),
    "fh_duration": ("耗时", "Duration"),
    "fh_wrote": ("写入内容", "What it wrote"),
    "fh_next_run": ("下次运行", "Next run"),
    "fh_interval": ("运行间隔", "Interval"),
    "fh_last_completed": ("最近一次成功", "Last completed"),
    "fh_flags": ("提示", "Flags"),
    "fh_late": ("未按时运行", "Late"),
    "fh_failed": ("运行失败", "Failed"),
    "fh_ok": ("正常", "OK"),
    "fh_never": ("从未运行", "Never run"),
    "fh_nothing": ("无", "Nothing"),
    "fh_seconds": ("秒", "s"),
    "fh_minutes": ("分钟", "min"),
    "fh_hours": ("小时", "h"),
    "fh_days": ("天", "d"),
    "fh_dead": ("投递失败的通知", "Undeliverable notices"),
    "fh_no_dead": ("没有投递失败的通知", "No undeliverable notices"),
    "fh_recipient": ("接收人", "Recipient"),
    "fh_notice": ("通知", "Notice"),
    "fh_attempts": ("已尝试次数", "Attempts"),
    "fh_created": ("生成时间", "Created"),
    "fh_error": ("技术详情", "Technical detail"),
    "fh_retry": ("重新投递", "Retry"),
    "fh_retried": ("已重新排入投递队列", "Queued for delivery again"),
    "fh_not_dead": ("该通知不是投递失败状态，无需重新投递", "That notice is not undeliverable; nothing to retry"),
    "fh_only_keepers": ("流程运行状况仅供审管办和系统管理员查看", "Flow health is for the trial office and administrators"),
    "fhs_running": ("运行中", "Running"),
    "fhs_completed": ("已完成", "Completed"),
    "fhs_failed": ("失败", "Failed"),
    "fhs_busy": ("上一轮仍在运行，本轮跳过", "Skipped: the previous run was still working"),
    "flow_daily-monitor": ("日监测", "Daily monitor"),
    "flow_deliver-notices": ("通知投递", "Notice delivery"),
    "flow_quality-review-sampling": ("案件质量评查抽样", "Quality-review sampling"),
    "flow_monthly-assessment": ("月考核", "Monthly assessment"),
    "flow_weekly-notice": ("周通报", "Weekly notice"),
    "flow_quarterly-report": ("季度报告", "Quarterly report"),
    # what the flows wrote (flow_run.summary keys)
    "fhw_sent": ("已送达", "sent"),
    "fhw_pending": ("待重试", "to retry"),
    "fhw_dead": ("投递失败", "undeliverable"),
    "fhw_no_channel": ("无通知渠道", "no channel"),
    "fhw_in_app": ("站内送达", "in-app"),
    "fhw_taken": ("已由其他运行处理", "taken by another run"),
    "fhw_claim_lost": ("认领已过期", "claim expired"),
    "fhw_busy": ("跳过", "skipped"),
    "fhw_warnings": ("审限预警", "deadline warnings"),
    "fhw_overdue": ("超审限通知", "overdue notices"),
    "fhw_long_pending_tasks": ("长期未结督办", "long-pending tasks"),
    "fhw_long_pending_notices": ("长期未结通知", "long-pending notices"),
    "fhw_escalated_approvals": ("逾期审批督办", "overdue approvals escalated"),
    "fhw_four_type": ("四类案件识别", "four-type flags"),
    "fhw_petition_reminders": ("信访提醒", "petition reminders"),
    "fhw_petition_warnings": ("信访预警", "petition warnings"),
    "fhw_petition_escalations": ("信访督办", "petition escalations"),
    "fhw_quality_review": ("评查提醒", "quality-review reminders"),
    "fhw_quota_exit_windows": ("员额退出期限", "quota-exit windows"),
    "fhw_population": ("可抽查案件", "cases eligible"),
    "fhw_drawn": ("抽中", "drawn"),
    "fhw_routine": ("常规抽查", "routine"),
    "fhw_new_draws": ("新抽签", "new draws"),
    "fhw_reports": ("报告", "reports"),
    "fhw_shortfalls": ("承诺未达成", "shortfalls"),
    "fhw_month": ("月度考核记录", "monthly records"),
    "fhw_quarter": ("季度评价记录", "quarterly evaluations"),
    "fhw_half": ("半年评价记录", "half-year evaluations"),
    "fhw_year": ("年度评价记录", "annual evaluations"),
    "fhw_dossier": ("档案记录", "dossier entries"),
})


def wrote(summary: dict, lang: str) -> list[tuple[str, object]]:
    """The counts a run wrote, labelled: numeric leaves of its summary (nested counts are added up by
    name, e.g. the months an assessment run covered). A failed run's error is shown apart, as detail."""
    totals: dict[str, object] = {}
    _collect(summary, totals)
    return [(translate(f"fhw_{key}", lang), value) for key, value in totals.items()]


def _collect(value, totals: dict, key: str = "") -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _collect(v, totals, k if not k[:1].isdigit() else key)  # "2025-07": a period, not a label
    elif isinstance(value, bool):
        return
    elif isinstance(value, (int, float)):
        totals[key] = totals.get(key, 0) + value
