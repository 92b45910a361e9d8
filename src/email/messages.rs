//! The platform's e-mails, each as plain text and HTML. Every value that
//! comes from a user is escaped in the HTML part; subjects never contain
//! user-supplied line breaks (the mailer refuses them).

use crate::templates::escape as esc;

use super::OutgoingEmail;
use crate::domain::account::Email;

fn html(paragraphs: &[String], link: Option<&str>) -> String {
    let mut out = String::from(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"></head>\
         <body style=\"font:16px/1.6 sans-serif;color:#1a1a1a\">",
    );
    for p in paragraphs {
        out.push_str(&format!("<p>{}</p>", esc(p)));
    }
    if let Some(l) = link {
        out.push_str(&format!("<p><a href=\"{0}\">{0}</a></p>", esc(l)));
    }
    out.push_str("<p style=\"color:#555\">此邮件由课后服务需求调查平台自动发送，请勿直接回复。</p></body></html>");
    out
}

fn text(paragraphs: &[String], link: Option<&str>) -> String {
    let mut out = paragraphs.join("\n\n");
    if let Some(l) = link {
        out.push_str("\n\n");
        out.push_str(l);
    }
    out.push_str("\n\n此邮件由课后服务需求调查平台自动发送，请勿直接回复。\n");
    out
}

fn message(
    to: &Email,
    subject: &str,
    paragraphs: Vec<String>,
    link: Option<&str>,
) -> OutgoingEmail {
    OutgoingEmail {
        to: to.clone(),
        subject: subject.replace(['\r', '\n'], " "),
        text: text(&paragraphs, link),
        html: html(&paragraphs, link),
        attachments: Vec::new(),
    }
}

pub fn invitation(
    to: &Email,
    name: &str,
    role_label: &str,
    scope: &str,
    link: &str,
) -> OutgoingEmail {
    message(
        to,
        "课后服务需求调查平台：请设置您的登录密码",
        vec![
            format!("{name}，您好："),
            format!("教育局已为您开通课后服务需求调查平台账户（{role_label}，{scope}）。"),
            "请在 72 小时内打开下面的链接设置登录密码。链接只能使用一次。".into(),
        ],
        Some(link),
    )
}

pub fn password_reset(to: &Email, link: &str) -> OutgoingEmail {
    message(
        to,
        "课后服务需求调查平台：重置登录密码",
        vec![
            "您好：".into(),
            "我们收到了重置您登录密码的请求。请在 2 小时内打开下面的链接设置新密码。".into(),
            "如果不是您本人操作，请忽略此邮件，您的密码不会改变。".into(),
        ],
        Some(link),
    )
}

pub fn reminder(
    to: &Email,
    school: &str,
    round: &str,
    rate_percent: f64,
    threshold: f64,
    link: &str,
) -> OutgoingEmail {
    message(
        to,
        &format!("提醒：{school}“{round}”问卷回收率偏低"),
        vec![
            format!("{school}："),
            format!(
                "贵校“{round}”问卷目前回收率为 {rate_percent:.1}%，低于 {threshold:.0}%。"
            ),
            "请通过班级群再次转发问卷二维码或告家长书，提醒家长自愿填写。登录平台可查看各年级、各班的回收情况。".into(),
        ],
        Some(link),
    )
}

pub fn complaint(
    to: &Email,
    office: &str,
    school: &str,
    kind: &str,
    body: &str,
    contact: Option<&str>,
    link: &str,
) -> OutgoingEmail {
    let mut p = vec![
        format!("{office}："),
        format!("收到一条关于“{school}”课后服务的{kind}："),
        body.to_string(),
    ];
    p.push(match contact {
        Some(c) => format!("家长留下的联系方式（选填）：{c}"),
        None => "家长未留联系方式。".into(),
    });
    p.push("请登录平台处理并记录处理情况。".into());
    message(to, &format!("课后服务{kind}：{school}"), p, Some(link))
}

/// The daily list of complaints past their rectification deadline, one line each.
pub fn overdue(to: &Email, items: Vec<String>, link: &str) -> OutgoingEmail {
    let n = items.len();
    let mut p = vec![format!(
        "以下 {n} 件投诉举报或意见建议已超过整改期限，尚未办结："
    )];
    p.extend(items);
    p.push("请尽快完成整改，并登录平台更新整改情况。".into());
    message(
        to,
        &format!("整改逾期提醒：{n} 件事项已超过整改期限"),
        p,
        Some(link),
    )
}

/// The monthly ledger (台账月报告), its workbook attached.
pub fn ledger(
    to: &Email,
    month_label: &str,
    summary: Vec<String>,
    workbook: super::Attachment,
) -> OutgoingEmail {
    let mut paragraphs = vec![format!(
        "附件是{month_label}的课后服务台账月报告：当月进行的调查轮次及各校回收率、各校一校一案填报情况、城区学校“2+3”和科学教育两项目标的达成情况及未达标学校名单。"
    )];
    paragraphs.extend(summary);
    let mut m = message(
        to,
        &format!("课后服务台账月报告（{month_label}）"),
        paragraphs,
        None,
    );
    m.attachments.push(workbook);
    m
}
