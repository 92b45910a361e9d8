//! Outgoing e-mail over SMTP (lettre), or, with no SMTP server configured,
//! into a local outbox folder, so that nothing is silently dropped. Every
//! message has a plain-text and an HTML part.

pub mod ledger;
pub mod messages;

use std::path::PathBuf;

use anyhow::Context;
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Deserialize;

use crate::domain::account::Email;

/// How to reach the SMTP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// Plain SMTP (a relay on the same machine or private network).
    None,
    /// STARTTLS on the submission port (587), required.
    #[default]
    Starttls,
    /// TLS from the first byte (465).
    Tls,
}

#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmailSettings {
    /// SMTP server; none means mail goes to `outbox_dir`.
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    pub smtp_tls: TlsMode,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<String>,
    /// The From address, e.g. `晋江市教育局课后服务调查 <noreply@example.edu.cn>`.
    pub from: String,
    pub outbox_dir: PathBuf,
    /// Who gets the monthly ledger (台账月报告) on the first working day of each month.
    pub ledger_recipients: Vec<String>,
}

/// The password is never printed, not even in debug logs.
impl std::fmt::Debug for EmailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailSettings")
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("smtp_tls", &self.smtp_tls)
            .field("smtp_username", &self.smtp_username)
            .field("smtp_password", &self.smtp_password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .field("outbox_dir", &self.outbox_dir)
            .field("ledger_recipients", &self.ledger_recipients)
            .finish()
    }
}

impl Default for EmailSettings {
    fn default() -> Self {
        Self {
            smtp_host: None,
            smtp_port: 587,
            smtp_tls: TlsMode::Starttls,
            smtp_username: None,
            smtp_password: None,
            from: "课后服务需求调查平台 <noreply@localhost>".into(),
            outbox_dir: "outbox".into(),
            ledger_recipients: Vec::new(),
        }
    }
}

/// One message to one recipient.
pub struct OutgoingEmail {
    pub to: Email,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub attachments: Vec<Attachment>,
}

/// A file sent with a message (the monthly ledger's workbook).
pub struct Attachment {
    pub filename: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Where a message went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    Outbox(PathBuf),
}

pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    outbox: PathBuf,
}

impl Mailer {
    pub fn from_settings(s: &EmailSettings) -> anyhow::Result<Self> {
        let from: Mailbox = s
            .from
            .parse()
            .with_context(|| format!("the e-mail From address “{}”", s.from))?;
        let transport = match &s.smtp_host {
            None => None,
            Some(host) => {
                let tls = match s.smtp_tls {
                    TlsMode::None => Tls::None,
                    TlsMode::Starttls => Tls::Required(TlsParameters::new(host.clone())?),
                    TlsMode::Tls => Tls::Wrapper(TlsParameters::new(host.clone())?),
                };
                let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.as_str())
                    .port(s.smtp_port)
                    .tls(tls)
                    .timeout(Some(std::time::Duration::from_secs(20)));
                if let (Some(u), Some(p)) = (&s.smtp_username, &s.smtp_password) {
                    b = b.credentials(Credentials::new(u.clone(), p.clone()));
                }
                Some(b.build())
            }
        };
        Ok(Self {
            transport,
            from,
            outbox: s.outbox_dir.clone(),
        })
    }

    /// Whether mail really leaves the machine (the UI says so when not).
    pub fn is_smtp(&self) -> bool {
        self.transport.is_some()
    }

    pub fn outbox_dir(&self) -> &std::path::Path {
        &self.outbox
    }

    pub fn build(&self, msg: &OutgoingEmail) -> anyhow::Result<Message> {
        if msg.subject.contains(['\r', '\n']) {
            anyhow::bail!("an e-mail subject may not contain a line break");
        }
        let to: Mailbox = msg
            .to
            .as_str()
            .parse()
            .with_context(|| format!("recipient {}", msg.to.as_str()))?;
        let body = MultiPart::alternative()
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(msg.text.clone()),
            )
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(msg.html.clone()),
            );
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(msg.subject.clone());
        if msg.attachments.is_empty() {
            return builder.multipart(body).context("building the e-mail");
        }
        let mut mixed = MultiPart::mixed().multipart(body);
        for a in &msg.attachments {
            let kind = ContentType::parse(a.content_type)
                .with_context(|| format!("content type {}", a.content_type))?;
            mixed = mixed.singlepart(
                lettre::message::Attachment::new(a.filename.clone()).body(a.bytes.clone(), kind),
            );
        }
        builder.multipart(mixed).context("building the e-mail")
    }

    pub async fn send(&self, msg: &OutgoingEmail) -> anyhow::Result<Delivery> {
        let sent = self.deliver(msg).await;
        crate::metrics::global().mail(sent.is_ok());
        sent
    }

    async fn deliver(&self, msg: &OutgoingEmail) -> anyhow::Result<Delivery> {
        let message = self.build(msg)?;
        match &self.transport {
            Some(t) => {
                t.send(message).await.context("sending e-mail over SMTP")?;
                Ok(Delivery::Sent)
            }
            None => {
                let dir = self.outbox.clone();
                let bytes = message.formatted();
                let path = actix_web::web::block(move || -> anyhow::Result<PathBuf> {
                    std::fs::create_dir_all(&dir)
                        .with_context(|| format!("creating the outbox {}", dir.display()))?;
                    let name = format!(
                        "{}-{}.eml",
                        chrono::Utc::now().format("%Y%m%dT%H%M%S%.6f"),
                        crate::domain::token::random_token(6)
                    );
                    let path = dir.join(name);
                    std::fs::write(&path, bytes)
                        .with_context(|| format!("writing {}", path.display()))?;
                    Ok(path)
                })
                .await
                .map_err(|e| anyhow::anyhow!("outbox writer: {e}"))??;
                Ok(Delivery::Outbox(path))
            }
        }
    }
}
