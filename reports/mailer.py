"""Mail each unit its 整改清单: one message per unit, the workbook attached.

Deliveries are kept per month, unit and recipient in the store, so a rerun with --send mails
only the recipients that have not yet received the month's list. Temporary failures (4xx,
dropped connections) are retried with a pause; permanent ones (5xx) are recorded at once
and retried by the next --send. Without --send the messages are written as .eml files.

The SMTP user and password come only from GOVAUDIT_SMTP_USER / GOVAUDIT_SMTP_PASSWORD; they
are never written to the store, the messages, the reports or the console.
"""
from __future__ import annotations

import hashlib
import os
import re
import smtplib
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from typing import Any, Callable

from govaudit.history import NEW, OPEN, SiteMonth
from govaudit.store import now_iso

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
USER_ENV, PASSWORD_ENV = "GOVAUDIT_SMTP_USER", "GOVAUDIT_SMTP_PASSWORD"


@dataclass
class Outgoing:
    unit: str
    recipients: list[str]
    subject: str
    body: str
    attachment: Path


def cover_text(unit: str, sites: list[SiteMonth], data: dict[str, Any]) -> str:
    """The short cover letter, in the register of a 工作通知."""
    total = sum(len(s.problems) for s in sites)
    new = sum(len(s.by_status(NEW)) for s in sites)
    still = sum(len(s.by_status(OPEN)) for s in sites)
    fixed = sum(len(s.fixed) for s in sites)
    veto = [s.name for s in sites if s.veto]
    names = "、".join(f"“{s.name}”" for s in sites)
    lines = [f"{unit}：", ""]
    lines.append(f"　　根据{data['month_cn']}政府网站检查情况（检查基准日{data['as_of_cn']}），现将贵单位主办网站{names}"
                 f"的问题整改清单发送给你们（见附件）。")
    if total:
        text = f"　　本次检查共发现问题{total}个，其中新增{new}个、上次检查发现仍未整改{still}个"
        if veto:
            text += "；" + "、".join(f"“{n}”" for n in veto) + "存在单项否决问题，请立即整改"
        if fixed:
            text += f"。上次检查发现的问题已整改{fixed}个"
        lines.append(text + "。")
        lines.append(f"　　请于{data['deadline_cn']}前完成整改，并在清单“整改情况”栏逐项填写整改情况，"
                     f"经单位负责同志审核后报送{data['issuer']}。")
    else:
        text = "　　本次检查未发现贵单位网站存在需要整改的问题"
        if fixed:
            text += f"，上次检查发现的{fixed}个问题均已整改"
        lines.append(text + "，请继续做好网站日常管理。")
    info = sum(len(s.info) for s in sites)
    if info:
        lines.append(f"　　另有提示类事项{info}个（需人工核实，不计入问题数），见清单及网站检查报告。")
    scored = [s for s in sites if s.score is not None]
    if scored:
        lines.append("　　评分结果：" + "；".join(
            f"“{s.name}”" + ("单项否决，不合格" if s.score.vetoed else f"得分{s.score.score:g}分，{s.score.verdict}")
            for s in scored) + "。")
    if data.get("contact"):
        lines.append(f"　　联系人及电话：{data['contact']}")
    lines += ["", data["issuer"], data.get("issued_cn") or data["as_of_cn"], "", "（本邮件由政府网站检查系统发送。）"]
    return "\n".join(lines) + "\n"


def unit_messages(report: list[SiteMonth], data: dict[str, Any], lists: dict[str, Path], cfg: Any,
                  sites_selected: set[str] | None = None) -> list[Outgoing]:
    """One message per unit (restricted to units in sites_selected, when given)."""
    contacts: dict[str, list[str]] = {}
    for s in cfg.sites:
        contacts.setdefault(s.unit, [])
        contacts[s.unit] += [c for c in s.contacts if c not in contacts[s.unit]]
    check_attachments(lists)
    out = []
    for unit, path in lists.items():
        if sites_selected is not None and unit not in sites_selected:
            continue
        sites = [sm for sm in report if sm.unit == unit]
        out.append(Outgoing(unit=unit, recipients=contacts.get(unit, []),
                            subject=f"{data['month_cn']}政府网站检查问题整改清单（{unit}）",
                            body=cover_text(unit, sites, data), attachment=path))
    return out


def check_attachments(lists: dict[str, Path]) -> None:
    """Before anything is mailed: every unit has its own workbook (two units whose names make
    one file name would otherwise both receive the one written last)."""
    by_file: dict[Path, list[str]] = {}
    for unit, path in lists.items():
        by_file.setdefault(Path(path).resolve(), []).append(unit)
    clashes = [units for units in by_file.values() if len(units) > 1]
    if clashes:
        raise ValueError("整改清单文件名冲突，未发送任何邮件：" + "；".join("、".join(u) + " 共用同一文件" for u in clashes))


def build_message(sender: str, sender_name: str, out: Outgoing, recipients: list[str]) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr((sender_name, sender)) if sender_name else sender
    msg["To"] = ", ".join(recipients)
    msg["Subject"] = out.subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] if "@" in sender else None)
    msg.set_content(out.body)
    msg.add_attachment(out.attachment.read_bytes(), maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1],
                       filename=out.attachment.name)
    attachment_name(list(msg.iter_attachments())[-1], out.attachment.name)
    return msg


def attachment_name(part, name: str) -> None:
    """Name the attachment both ways mail clients read: RFC 2231 (``filename*0*=utf-8''…``) in
    Content-Disposition, and an RFC 2047 encoded-word in ``filename=`` and Content-Type's ``name=``,
    which Outlook, Foxmail and older webmail clients show when they ignore RFC 2231.

    The headers are stored pre-folded with ``set_raw``: the default policy would otherwise re-encode
    the encoded-word fallback away.
    """
    from email.header import Header
    from urllib.parse import quote

    words = Header(name, "utf-8").encode(maxlinelen=60, linesep="\n")  # "=?utf-8?b?…?=\n =?utf-8?b?…?="
    encoded = quote(name, safe="")
    chunks, cur = [], ""
    for piece in re.findall(r"%[0-9A-F]{2}|.", encoded):
        if len(cur) + len(piece) > 54:
            chunks.append(cur)
            cur = ""
        cur += piece
    chunks.append(cur)
    star = ";\n ".join(f"filename*{i}*={'utf-8' + chr(39) * 2 if i == 0 else ''}{c}" for i, c in enumerate(chunks))
    ctype = part.get_content_type()
    del part["Content-Type"]
    del part["Content-Disposition"]
    part.set_raw("Content-Type", f'\n {ctype};\n name="{words}"')  # folded after the colon: the type is long
    part.set_raw("Content-Disposition", f'attachment;\n {star};\n filename="{words}"')


def write_drafts(target: Path, messages: list[Outgoing], sender: str = "", sender_name: str = "") -> dict[str, Path]:
    """Dry run: each unit's message as DIR/mail/<unit>.eml (opens in any mail program)."""
    from .rectification import unit_file_names

    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.eml"):
        old.unlink()
    paths = {}
    names = unit_file_names([out.unit for out in messages], ".eml")
    for out in messages:
        msg = build_message(sender or "wzjc@localhost", sender_name, out, out.recipients)
        path = target / names[out.unit]
        path.write_bytes(msg.as_bytes())
        paths[out.unit] = path
    return paths


def connect(cfg: dict[str, Any], user: str | None, password: str | None) -> smtplib.SMTP:
    """An SMTP session as configured: ssl (implicit TLS), starttls, or none (plain)."""
    host, port, timeout = cfg["host"], int(cfg.get("port") or 0), float(cfg.get("timeout", 30))
    security = cfg.get("security", "ssl")
    context = ssl.create_default_context()
    if security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
        smtp.ehlo()
        if security == "starttls":
            smtp.starttls(context=context)
            smtp.ehlo()
    if user:
        try:
            smtp.login(user, password or "")
        except BaseException:
            smtp.close()
            raise
    return smtp


def _describe(exc: BaseException) -> tuple[str, bool]:
    """(message for people, permanent?) — never containing the credentials."""
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"SMTP {exc.smtp_code} {text}".strip(), 500 <= exc.smtp_code < 600
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "邮件服务器断开连接", False
    if isinstance(exc, (TimeoutError, ConnectionError, OSError)):
        return f"无法连接邮件服务器（{type(exc).__name__}: {exc.strerror or exc}）" if isinstance(exc, OSError) else str(exc), False
    return f"{type(exc).__name__}", False


def _refusal(code: int, resp: bytes | str) -> tuple[str, bool]:
    text = resp.decode("utf-8", "replace") if isinstance(resp, bytes) else str(resp)
    return f"SMTP {code} {text}".strip(), 500 <= code < 600


def sent_recipients(db, month: str, unit: str) -> set[str]:
    return {r["recipient"] for r in db.query(
        "SELECT recipient FROM deliveries WHERE month = ? AND unit = ? AND status = 'sent'", [month, unit])}


def record(db, *, month: str, unit: str, recipient: str, status: str, attempts: int, error: str | None,
           subject: str, attachment: Path | None, message_id: str = "") -> None:
    sha = hashlib.sha256(attachment.read_bytes()).hexdigest() if attachment and attachment.exists() else ""
    db.conn.execute(
        "INSERT INTO deliveries (month, unit, recipient, subject, attachment, sha256, status, attempts, error, message_id, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(month, unit, recipient) DO UPDATE SET "
        "subject = excluded.subject, attachment = excluded.attachment, sha256 = excluded.sha256, status = excluded.status, "
        "attempts = deliveries.attempts + excluded.attempts, error = excluded.error, message_id = excluded.message_id, "
        "updated_at = excluded.updated_at",
        [month, unit, recipient, subject, attachment.name if attachment else "", sha, status, attempts, error, message_id, now_iso()])


def send_one(cfg: dict[str, Any], msg: EmailMessage, recipients: list[str], user: str | None, password: str | None,
             sleep: Callable[[float], None] = time.sleep) -> dict[str, tuple[str, str | None, int]]:
    """Send to the recipients, retrying temporary failures; per recipient (status, error, attempts)."""
    retries, delay = int(cfg.get("retries", 2)), float(cfg.get("retry_delay", 5))
    pending = list(recipients)
    result: dict[str, tuple[str, str | None, int]] = {}
    attempt = 0
    while pending:
        attempt += 1
        temporary: dict[str, str] = {}
        try:
            smtp = connect(cfg, user, password)
            try:
                del msg["To"]
                msg["To"] = ", ".join(pending)
                refused = smtp.send_message(msg, to_addrs=pending)
            finally:
                try:
                    smtp.quit()
                except (smtplib.SMTPException, OSError):
                    smtp.close()
            for rcpt in pending:
                if rcpt in refused:
                    text, permanent = _refusal(*refused[rcpt])
                    if permanent:
                        result[rcpt] = ("failed", text, attempt)
                    else:
                        temporary[rcpt] = text
                else:
                    result[rcpt] = ("sent", None, attempt)
        except smtplib.SMTPRecipientsRefused as exc:
            for rcpt in pending:
                text, permanent = _refusal(*exc.recipients.get(rcpt, (550, b"refused")))
                if permanent:
                    result[rcpt] = ("failed", text, attempt)
                else:
                    temporary[rcpt] = text
        except (smtplib.SMTPException, OSError) as exc:
            text, permanent = _describe(exc)
            for rcpt in pending:
                if permanent:
                    result[rcpt] = ("failed", text, attempt)
                else:
                    temporary[rcpt] = text
        pending = list(temporary)
        if pending and attempt > retries:
            for rcpt in pending:
                result[rcpt] = ("failed", temporary[rcpt], attempt)
            break
        if pending:
            sleep(delay)
    return result


def deliver(db, cfg: dict[str, Any], messages: list[Outgoing], *, month: str, issuer: str = "",
            env: dict[str, str] | None = None, echo: Callable[[str], None] = print,
            sleep: Callable[[float], None] = time.sleep) -> list[dict[str, Any]]:
    """Send what has not yet been delivered this month; record and report every outcome."""
    env = os.environ if env is None else env
    user, password = env.get(USER_ENV) or None, env.get(PASSWORD_ENV) or None
    results = []
    for out in messages:
        row: dict[str, Any] = {"unit": out.unit, "recipients": list(out.recipients), "sent": [], "failed": {}, "skipped": []}
        if not out.recipients:
            record(db, month=month, unit=out.unit, recipient="", status="failed", attempts=0,
                   error="未配置联系人邮箱（sites[].contacts）", subject=out.subject, attachment=out.attachment)
            row["failed"][""] = "未配置联系人邮箱（sites[].contacts）"
        else:
            done = sent_recipients(db, month, out.unit)
            row["skipped"] = [r for r in out.recipients if r in done]
            pending = [r for r in out.recipients if r not in done]
            if pending:
                msg = build_message(cfg["sender"], issuer, out, pending)
                outcome = send_one(cfg, msg, pending, user, password, sleep=sleep)
                for rcpt, (status, error, attempts) in outcome.items():
                    record(db, month=month, unit=out.unit, recipient=rcpt, status=status, attempts=attempts, error=error,
                           subject=out.subject, attachment=out.attachment, message_id=msg["Message-ID"] if status == "sent" else "")
                    if status == "sent":
                        row["sent"].append(rcpt)
                    else:
                        row["failed"][rcpt] = error
        row["status"] = "failed" if row["failed"] else ("sent" if row["sent"] else "skipped")
        results.append(row)
        if row["failed"]:
            echo(f"  发送失败：{out.unit} → " + "；".join(f"{r or '（无收件人）'}：{e}" for r, e in row["failed"].items()))
        if row["sent"]:
            echo(f"  已发送：{out.unit} → {', '.join(row['sent'])}")
        if row["skipped"] and not row["sent"] and not row["failed"]:
            echo(f"  此前已送达，未重复发送：{out.unit}")
    return results
