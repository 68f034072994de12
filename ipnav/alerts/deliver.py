"""Deliver queued alerts: e-mail through the configured SMTP server, and a JSON POST to the admin's webhook.
Each try is recorded (`Alerts.record`); a failed one waits 1, 2, 4, 8 minutes before the next, and after
`MAX_ATTEMPTS` it stays failed on the admin page."""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from email.message import EmailMessage
from typing import Any

from ipnav.alerts import Alerts
from ipnav.config import Settings

_KINDS = {"search": ("检索式", "saved search"), "watch": ("商标监测", "watch")}
_DETAIL = {"score": "分数 score", "reasons": "理由 reasons", "owner": "申请人 owner",
           "publication_date": "公告日 published", "deadline": "异议截止日 opposition deadline", "rule": "规则 rule",
           "query": "检索式 query", "applicants": "申请人 applicants", "filing_date": "申请日 filed"}  # fmt: skip


def _message(item: dict[str, Any], settings: Settings) -> EmailMessage:
    zh, en = _KINDS.get(item["kind"], (item["kind"], item["kind"]))
    message = EmailMessage()
    message["Subject"] = f"[ipnav] {zh} {item['source']}: {item['title']}"
    message["From"] = settings.smtp_from
    message["To"] = item["target"]
    link = settings.public_url.rstrip("/") + item["link"] if settings.public_url else item["link"]
    lines = [f"{zh} / {en}: {item['source']}", f"{item['title']}", link, ""]
    for key, value in item["detail"].items():
        if value not in (None, "", []):
            lines.append(f"{_DETAIL.get(key, key)}: {'; '.join(map(str, value)) if isinstance(value, list) else value}")
    message.set_content("\n".join(lines))
    return message


def _send_mail(item: dict[str, Any], settings: Settings) -> None:
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(_message(item, settings))


def _post(item: dict[str, Any]) -> None:
    body = {k: item[k] for k in ("user", "kind", "source", "item", "title", "link", "detail", "created_at")}
    request = urllib.request.Request(
        item["target"], data=json.dumps(body, ensure_ascii=False, default=str).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "ipnav-alerts"}, method="POST",
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:
        if response.status >= 300:
            raise OSError(f"HTTP {response.status}")


def deliver(alerts: Alerts, settings: Settings, *, now: bool = False) -> dict[str, int]:
    """Try every due delivery once (`now`: failed ones too before their wait is over): how many were sent
    and how many failed."""
    sent = failed = 0
    for item in alerts.due(now=now):
        try:
            if item["channel"] == "email":
                _send_mail(item, settings)
            else:
                _post(item)
        except (OSError, smtplib.SMTPException, urllib.error.URLError) as exc:
            alerts.record(item["id"], f"{type(exc).__name__}: {exc}")
            failed += 1
        else:
            alerts.record(item["id"], None)
            sent += 1
    return {"sent": sent, "failed": failed}
