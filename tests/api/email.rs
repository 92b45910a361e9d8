//! E-mail: invitations, reminders and complaints, over a real SMTP server
//! process (Debian's python3-aiosmtpd, when TEST_SMTP_PYTHON names a Python
//! that has it) or, with no SMTP configured, into the outbox folder.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kehou_survey::domain::account::Role;
use mail_parser::MessageParser;

use crate::helpers::{encode, spawn_app_with, valid_needs_answers, with_meta};
use crate::staff_helpers::{location, Browser};

/// A real SMTP server that stores what it receives in a Maildir.
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    pub dir: tempfile::TempDir,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start_smtp() -> Option<SmtpServer> {
    let Some(python) = std::env::var("TEST_SMTP_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
    else {
        println!("skipped: set TEST_SMTP_PYTHON=/usr/bin/python3 (with python3-aiosmtpd) to run the SMTP tests");
        return None;
    };
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("mail");
    let child = Command::new(python)
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
        .args(["-c", "aiosmtpd.handlers.Mailbox", maildir.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start aiosmtpd");
    let deadline = Instant::now() + Duration::from_secs(15);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "aiosmtpd did not start listening"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(SmtpServer { child, port, dir })
}

/// Raw messages in a Maildir (or outbox) folder, oldest first.
pub fn read_messages(dir: &Path) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = ["new", "cur", ""]
        .iter()
        .filter_map(|sub| std::fs::read_dir(dir.join(sub)).ok())
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    files.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// Waits (bounded) until `n` messages have arrived.
pub async fn wait_for(dir: &Path, n: usize) -> Vec<Vec<u8>> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let m = read_messages(dir);
        if m.len() >= n || Instant::now() > deadline {
            return m;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub fn parse(raw: &[u8]) -> Mail {
    let m = MessageParser::default()
        .parse(raw)
        .expect("a parsable message");
    let to = m
        .to()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or_default()
        .to_string();
    Mail {
        to,
        subject: m.subject().unwrap_or_default().to_string(),
        text: m.body_text(0).map(|t| t.to_string()).unwrap_or_default(),
        html: m.body_html(0).map(|t| t.to_string()).unwrap_or_default(),
    }
}

fn link_in(text: &str, prefix: &str) -> String {
    let start = text.find(prefix).expect("the link in the mail");
    text[start..]
        .split(|c: char| c.is_whitespace() || c == '"' || c == '<')
        .next()
        .unwrap()
        .to_string()
}

async fn invite(bureau: &Browser, email: &str) -> reqwest::Response {
    let csrf = bureau.csrf_from("/admin/accounts").await;
    bureau
        .post(
            "/admin/accounts",
            &[
                ("csrf", &csrf),
                ("name", "王老师"),
                ("email", email),
                ("role", "school"),
                ("school_code", "3505820001"),
                ("township_id", ""),
            ],
        )
        .await
}

/// A school secretary, from the invitation e-mail alone: sets a password,
/// signs in, prints the letter and watches a response arrive.
#[tokio::test]
async fn school_secretary_from_invitation_to_live_counts() {
    let Some(smtp) = start_smtp() else { return };
    let port = smtp.port;
    let app = spawn_app_with(|s| {
        s.email.smtp_host = Some("127.0.0.1".into());
        s.email.smtp_port = port;
        s.email.smtp_tls = kehou_survey::email::TlsMode::None;
        s.email.from = "晋江市教育局 <noreply@jj.example.cn>".into();
    })
    .await;
    let round = app.setup_round();
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let r = invite(&bureau, "wang@school.cn").await;
    assert_eq!(r.status(), 200);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("已向 wang@school.cn 发送邀请邮件"));

    let mails = wait_for(&smtp.dir.path().join("mail"), 1).await;
    assert_eq!(mails.len(), 1, "one invitation arrived");
    let mail = parse(&mails[0]);
    assert_eq!(mail.to, "wang@school.cn");
    assert_eq!(mail.subject, "课后服务需求调查平台：请设置您的登录密码");
    assert!(mail.text.contains("王老师，您好") && mail.text.contains("晋江市青阳中心小学"));
    assert!(mail.html.contains("王老师，您好") && mail.html.contains("<a href="));
    let link = link_in(&mail.text, &format!("{}/invite/", app.address));
    assert_eq!(
        link,
        link_in(&mail.html, &format!("{}/invite/", app.address))
    );

    // Set a password from the link, then sign in.
    let sec = Browser::new(&app);
    let path = link.trim_start_matches(&app.address).to_string();
    let csrf = sec.csrf_from(&path).await;
    let pass = "my own long password";
    let r = sec
        .post(
            &path,
            &[("csrf", &csrf), ("password", pass), ("confirm", pass)],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(sec.get(&path).await.status(), 404, "the link works once");
    assert_eq!(sec.login("wang@school.cn", pass).await.status(), 303);
    let home = sec.get("/admin").await;
    let school_page = location(&home);
    assert_eq!(
        school_page,
        format!("/admin/schools/{}", app.school_id("3505820001"))
    );

    // The round page: link, QR, letter, and live counts.
    let round_page = format!("{school_page}/rounds/{round}");
    let (status, html) = sec.get_html(&round_page).await;
    assert_eq!(status, 200);
    assert!(html.contains("已回收 0 份"), "{html}");
    let slug = app.slug(round, "3505820001");
    assert!(html.contains(&format!("/s/{slug}/letter")));
    let (status, letter) = sec.get_html(&format!("/s/{slug}/letter")).await;
    assert_eq!(status, 200);
    assert!(letter.contains("晋江市青阳中心小学") && letter.contains("<svg"));
    let (_, idem) = app.open_form(&slug, None).await;
    let answers = valid_needs_answers();
    assert_eq!(
        app.post_form(&slug, encode(&with_meta(&idem, &answers)))
            .await
            .status(),
        303
    );
    let (_, html) = sec.get_html(&round_page).await;
    assert!(html.contains("已回收 1 份"), "{html}");

    // A reminder to the low-response schools reaches the secretary too.
    let csrf = bureau.csrf_from("/admin/coverage").await;
    let r = bureau
        .post(
            &format!("/admin/rounds/{round}/reminders"),
            &[
                ("csrf", &csrf),
                ("threshold", "50"),
                ("urban", ""),
                ("level", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    // Every school is below 50%: school 1 through its admin, school 3 through
    // the roster's contact address; school 2 has neither and is listed.
    assert!(r.text().await.unwrap().contains("晋江市安海镇养正小学"));
    let mails = wait_for(&smtp.dir.path().join("mail"), 3).await;
    let reminders: Vec<Mail> = mails[1..].iter().map(|m| parse(m)).collect();
    let mut to: Vec<&str> = reminders.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    assert_eq!(to, ["cz@example.edu.cn", "wang@school.cn"]);
    let reminder = reminders.iter().find(|m| m.to == "wang@school.cn").unwrap();
    assert!(
        reminder.subject.starts_with("提醒：晋江市青阳中心小学"),
        "{}",
        reminder.subject
    );
    let audit = app.audit_actions();
    for a in [
        "account_invited",
        "email_invitation",
        "password_set_from_invitation",
        "sign_in",
        "email_reminder",
    ] {
        assert!(
            audit.iter().any(|x| x == a),
            "audit log lacks {a}: {audit:?}"
        );
    }
}

fn outbox_app_settings(dir: PathBuf) -> impl FnOnce(&mut kehou_survey::config::Settings) {
    move |s| {
        s.email.smtp_host = None;
        s.email.outbox_dir = dir;
        s.offices.primary_email = Some("cjk@bureau.example.cn".into());
        s.offices.secondary_email = Some("zjk@bureau.example.cn".into());
    }
}

#[tokio::test]
async fn without_smtp_mail_goes_to_the_outbox_and_the_page_says_so() {
    let out = tempfile::tempdir().unwrap();
    let app = spawn_app_with(outbox_app_settings(out.path().to_path_buf())).await;
    app.import_standard_roster();
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let (_, page) = bureau.get_html("/admin/accounts").await;
    assert!(page.contains("尚未设置发信服务器"));
    let r = invite(&bureau, "li@school.cn").await;
    assert!(r.text().await.unwrap().contains("邀请邮件已保存为"));
    let mails = read_messages(out.path());
    assert_eq!(mails.len(), 1);
    let m = parse(&mails[0]);
    assert_eq!(m.to, "li@school.cn");
    assert!(m.text.contains("/invite/"));

    // A header-injection attempt is refused and sends nothing.
    let r = invite(&bureau, "x@school.cn\r\nBcc: evil@example.com").await;
    assert_eq!(r.status(), 422);
    assert_eq!(read_messages(out.path()).len(), 1);
}

#[tokio::test]
async fn complaints_reach_the_office_of_the_school_level_and_are_rate_limited_per_browser() {
    let out = tempfile::tempdir().unwrap();
    let app = spawn_app_with(outbox_app_settings(out.path().to_path_buf())).await;
    let round = app.setup_round();
    let primary = app.slug(round, "3505820001");
    let junior = app.slug(round, "3505820003");
    let parent = Browser::new(&app);
    let (status, form) = parent.get_html(&format!("/s/{primary}/feedback")).await;
    assert_eq!(status, 200);
    assert!(form.contains("联系方式（选填）"));
    let send = |b: &Browser, slug: String, body: &'static str| {
        let b = b.client.clone();
        let url = format!("{}/s/{slug}/feedback", app.address);
        async move {
            b.post(url)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(encode(&[
                    ("kind", "complaint"),
                    ("body", body),
                    ("contact", ""),
                ]))
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        send(&parent, primary.clone(), "托管时间太短")
            .await
            .status(),
        200
    );
    assert_eq!(
        send(&parent, junior.clone(), "收费不透明").await.status(),
        200
    );
    let mails: Vec<Mail> = read_messages(out.path()).iter().map(|m| parse(m)).collect();
    assert_eq!(mails.len(), 2);
    assert!(mails
        .iter()
        .any(|m| m.to == "cjk@bureau.example.cn" && m.text.contains("托管时间太短")));
    assert!(mails
        .iter()
        .any(|m| m.to == "zjk@bureau.example.cn" && m.text.contains("收费不透明")));

    for _ in 0..3 {
        assert_eq!(
            send(&parent, primary.clone(), "再次反映").await.status(),
            200
        );
    }
    assert_eq!(send(&parent, primary.clone(), "第六条").await.status(), 429);
    // Another parent behind the same address is not blocked.
    let neighbour = Browser::new(&app);
    neighbour.get(&format!("/s/{primary}/feedback")).await;
    assert_eq!(
        send(&neighbour, primary.clone(), "邻居的意见")
            .await
            .status(),
        200
    );

    // The bureau sees them and records the handling.
    app.make_user("admin@bureau.cn", Role::Bureau, None, None);
    let bureau = app.signed_in("admin@bureau.cn").await;
    let (_, list) = bureau.get_html("/admin/complaints").await;
    assert!(list.contains("托管时间太短") && list.contains("待分办"));
    let csrf = crate::staff_helpers::csrf_in(&list);
    let r = bureau
        .post(
            "/admin/complaints/1/close",
            &[("csrf", &csrf), ("result", "已约谈学校")],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("已约谈学校"));
}

#[tokio::test]
async fn password_reset_by_e_mail_link() {
    let out = tempfile::tempdir().unwrap();
    let app = spawn_app_with(outbox_app_settings(out.path().to_path_buf())).await;
    app.import_standard_roster();
    app.make_user("sec@school.cn", Role::School, Some("3505820001"), None);
    let b = Browser::new(&app);
    let ask = |email: &'static str| {
        let b = &b;
        async move {
            let csrf = b.csrf_from("/password-reset").await;
            let r = b
                .post("/password-reset", &[("csrf", &csrf), ("email", email)])
                .await;
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let (status, unknown) = ask("nobody@school.cn").await;
    assert_eq!(status, 200);
    assert_eq!(
        read_messages(out.path()).len(),
        0,
        "no mail for an unknown address"
    );
    let (_, known) = ask("sec@school.cn").await;
    let sent = "如果该邮箱已在平台注册";
    assert!(
        unknown.contains(sent) && known.contains(sent),
        "same answer either way"
    );
    let mails = read_messages(out.path());
    assert_eq!(mails.len(), 1);
    let mail = parse(&mails[0]);
    assert_eq!(mail.subject, "课后服务需求调查平台：重置登录密码");
    let link = link_in(&mail.text, &format!("{}/reset/", app.address));
    let path = link.trim_start_matches(&app.address).to_string();
    let csrf = b.csrf_from(&path).await;
    let short = b
        .post(
            &path,
            &[("csrf", &csrf), ("password", "short"), ("confirm", "short")],
        )
        .await;
    assert_eq!(short.status(), 422);
    let new = "a reset long password";
    let r = b
        .post(
            &path,
            &[("csrf", &csrf), ("password", new), ("confirm", new)],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(b.login("sec@school.cn", new).await.status(), 303);
    assert_eq!(
        Browser::new(&app).get(&path).await.status(),
        404,
        "a reset link works once"
    );
}
