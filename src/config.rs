//! Typed settings. Layers, later wins: built-in defaults, the `config.toml`
//! file (or `--config FILE`), environment variables, command-line flags.
//! The result travels through app state; nothing reads settings globally.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// `postgres://…` for PostgreSQL, otherwise an SQLite file path.
    pub database_url: String,
    pub host: String,
    pub port: u16,
    /// The address parents reach, printed in QR codes and letters, e.g.
    /// `https://survey.example.edu.cn`. Defaults to `http://host:port`.
    pub public_url: Option<String>,
    /// Folder with the survey definitions and taxonomy.
    pub survey_dir: PathBuf,
    /// Folder for files the platform keeps (typical cases' images and PDFs, in `cases/`).
    pub data_dir: PathBuf,
    /// Database connections for reads (the writer has its own).
    pub pool_size: u32,
    /// Submissions allowed to wait for the writer before 503s start.
    pub queue_capacity: usize,
    /// Most submissions committed in one transaction.
    pub max_batch: usize,
    /// HTTP worker threads; 0 means one per core.
    pub workers: usize,
    /// Above one school, analysis cells with fewer respondents than this are suppressed.
    pub min_cell: i64,
    /// The analysis's own thresholds (`[analysis]` in config.toml).
    pub analysis: AnalysisSettings,
    /// Reverse proxies whose `X-Forwarded-For` is believed (for per-address limits). Empty:
    /// the connection's own address always counts.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Outgoing e-mail (`[email]` in config.toml).
    pub email: crate::email::EmailSettings,
    /// The two offices that hear complaints (`[offices]` in config.toml).
    pub offices: OfficeSettings,
    /// Who may read `/metrics` (`[metrics]` in config.toml).
    pub metrics: MetricsSettings,
    /// How logs are written (`[log]` in config.toml).
    pub log: LogSettings,
    /// What time it is. The system clock, unless `SURVEY_CLOCK` fixes an
    /// instant for a test or a drill; never set in a config file.
    #[serde(skip)]
    pub clock: crate::clock::Clock,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: "data/survey.db".into(),
            host: "127.0.0.1".into(),
            port: 8080,
            public_url: None,
            survey_dir: "survey-definitions".into(),
            data_dir: "data".into(),
            pool_size: 8,
            queue_capacity: 4096,
            max_batch: 512,
            workers: 0,
            min_cell: crate::analysis::DEFAULT_MIN_CELL,
            analysis: AnalysisSettings::default(),
            trusted_proxies: Vec::new(),
            email: crate::email::EmailSettings::default(),
            offices: OfficeSettings::default(),
            metrics: MetricsSettings::default(),
            log: LogSettings::default(),
            clock: crate::clock::Clock::System,
        }
    }
}

/// `[analysis]`: when figures are said to rest on too few answers.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnalysisSettings {
    /// A school whose response rate (in percent) is below this is "low": highlighted on the
    /// coverage and ledger pages, offered as the reminders' default, and its figures flagged
    /// 仅供参考 in every analysis output.
    pub low_rate_percent: f64,
}

impl Default for AnalysisSettings {
    fn default() -> Self {
        Self {
            low_rate_percent: crate::analysis::DEFAULT_LOW_RATE_PERCENT,
        }
    }
}

/// `[metrics]`: `/metrics` answers a request from a listed address that no proxy forwarded,
/// or one with `Authorization: Bearer <token>`; any other gets 404, as if it did not exist.
/// Neither set: nobody reads it.
#[derive(Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsSettings {
    /// Addresses that may scrape without the token, e.g. `["127.0.0.1", "::1"]`.
    pub allow: Vec<std::net::IpAddr>,
    /// A shared secret for scrapers elsewhere (never logged).
    pub token: Option<String>,
}

impl std::fmt::Debug for MetricsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetricsSettings")
            .field("allow", &self.allow)
            .field("token", &self.token.as_ref().map(|_| "<set>"))
            .finish()
    }
}

/// `[log]`: how log lines are written to stderr.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
}

/// `text` for people reading a terminal, `json` (one object a line) for a log collector.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl LogFormat {
    pub fn parse(s: &str) -> anyhow::Result<Self> {
        match s {
            "text" => Ok(Self::Text),
            "json" => Ok(Self::Json),
            _ => anyhow::bail!("the log format is text or json, not “{s}”"),
        }
    }
}

/// Environment variables read on top of the file.
const ENV_VARS: &[&str] = &[
    "DATABASE_URL",
    "SURVEY_HOST",
    "SURVEY_PORT",
    "SURVEY_PUBLIC_URL",
    "SURVEY_DIR",
    "SURVEY_DATA_DIR",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_TLS",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
    "MAIL_FROM",
    "LEDGER_RECIPIENTS",
    "OFFICE_PRIMARY_EMAIL",
    "OFFICE_PRIMARY_PHONE",
    "OFFICE_SECONDARY_EMAIL",
    "OFFICE_SECONDARY_PHONE",
    "SURVEY_TRUSTED_PROXIES",
    "SURVEY_LOW_RATE_PERCENT",
    "SURVEY_CLOCK",
    "SURVEY_METRICS_ALLOW",
    "SURVEY_METRICS_TOKEN",
    "SURVEY_LOG_FORMAT",
];

impl Settings {
    /// Defaults, then `file` (an explicit file must exist; the default
    /// `config.toml` is optional), then environment variables.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let mut s = match file {
            Some(path) => Self::from_file(path)?,
            None if Path::new("config.toml").exists() => Self::from_file(Path::new("config.toml"))?,
            None => Self::default(),
        };
        s.apply_env(|k| std::env::var(k).ok())?;
        s.check()?;
        Ok(s)
    }

    fn from_file(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading settings file {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("settings file {}", path.display()))
    }

    fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        for key in ENV_VARS {
            let Some(v) = get(key).filter(|v| !v.is_empty()) else {
                continue;
            };
            match *key {
                "DATABASE_URL" => self.database_url = v,
                "SURVEY_HOST" => self.host = v,
                "SURVEY_PORT" => {
                    self.port = v.parse().with_context(|| format!("SURVEY_PORT={v}"))?
                }
                "SURVEY_PUBLIC_URL" => self.public_url = Some(v),
                "SURVEY_DIR" => self.survey_dir = v.into(),
                "SURVEY_DATA_DIR" => self.data_dir = v.into(),
                "SMTP_HOST" => self.email.smtp_host = Some(v),
                "SMTP_PORT" => {
                    self.email.smtp_port = v.parse().with_context(|| format!("SMTP_PORT={v}"))?
                }
                "SMTP_TLS" => {
                    self.email.smtp_tls = match v.as_str() {
                        "none" => crate::email::TlsMode::None,
                        "starttls" => crate::email::TlsMode::Starttls,
                        "tls" => crate::email::TlsMode::Tls,
                        _ => anyhow::bail!("SMTP_TLS must be none, starttls or tls"),
                    }
                }
                "SMTP_USERNAME" => self.email.smtp_username = Some(v),
                "SMTP_PASSWORD" => self.email.smtp_password = Some(v),
                "MAIL_FROM" => self.email.from = v,
                "SURVEY_TRUSTED_PROXIES" => {
                    self.trusted_proxies = v
                        .split([',', ' '])
                        .filter(|a| !a.is_empty())
                        .map(|a| {
                            a.parse().with_context(|| {
                                format!("SURVEY_TRUSTED_PROXIES: “{a}” is not an IP address")
                            })
                        })
                        .collect::<anyhow::Result<_>>()?
                }
                "SURVEY_LOW_RATE_PERCENT" => {
                    self.analysis.low_rate_percent = v
                        .parse()
                        .with_context(|| format!("SURVEY_LOW_RATE_PERCENT={v}"))?
                }
                "SURVEY_CLOCK" => {
                    self.clock = crate::clock::Clock::parse_fixed(&v)
                        .map_err(|e| anyhow::anyhow!("SURVEY_CLOCK: {e}"))?
                }
                "OFFICE_PRIMARY_EMAIL" => self.offices.primary_email = Some(v),
                "OFFICE_PRIMARY_PHONE" => self.offices.primary_phone = Some(v),
                "OFFICE_SECONDARY_EMAIL" => self.offices.secondary_email = Some(v),
                "OFFICE_SECONDARY_PHONE" => self.offices.secondary_phone = Some(v),
                "SURVEY_METRICS_ALLOW" => {
                    self.metrics.allow = v
                        .split([',', ' '])
                        .filter(|a| !a.is_empty())
                        .map(|a| {
                            a.parse().with_context(|| {
                                format!("SURVEY_METRICS_ALLOW: “{a}” is not an IP address")
                            })
                        })
                        .collect::<anyhow::Result<_>>()?
                }
                "SURVEY_METRICS_TOKEN" => self.metrics.token = Some(v),
                "SURVEY_LOG_FORMAT" => {
                    self.log.format = LogFormat::parse(&v).context("SURVEY_LOG_FORMAT")?
                }
                "LEDGER_RECIPIENTS" => {
                    self.email.ledger_recipients = v
                        .split([',', ';', ' '])
                        .filter(|a| !a.is_empty())
                        .map(String::from)
                        .collect()
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Settings no layer may leave out of range.
    fn check(&self) -> anyhow::Result<()> {
        let p = self.analysis.low_rate_percent;
        if !(0.0..=100.0).contains(&p) {
            anyhow::bail!("[analysis] low_rate_percent must be between 0 and 100, not {p}");
        }
        Ok(())
    }

    /// The public base URL without a trailing slash.
    pub fn public_base(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}:{}", self.host, self.port))
            .trim_end_matches('/')
            .to_string()
    }
}

/// The complaint phone numbers and mailboxes of the two offices (举报电话和邮箱): 初幼教科
/// for primary schools, 中教科 for secondary ones. Nothing is built in: an office without a
/// mailbox here gets no mail (complaints are still stored and shown to the bureau), and one
/// without a phone number shows none.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OfficeSettings {
    pub primary_email: Option<String>,
    pub primary_phone: Option<String>,
    pub secondary_email: Option<String>,
    pub secondary_phone: Option<String>,
}

/// Which office hears about a school.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficeKind {
    /// 初幼教科
    Primary,
    /// 中教科
    Secondary,
}

impl OfficeKind {
    pub fn label(self) -> &'static str {
        match self {
            OfficeKind::Primary => "初幼教科",
            OfficeKind::Secondary => "中教科",
        }
    }
}

/// One office, its settings checked.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Office {
    pub name: &'static str,
    pub email: Option<crate::domain::account::Email>,
    pub phone: Option<String>,
    #[serde(skip)]
    pub kind: OfficeKind,
}

/// Both offices, checked at start so that a mistyped address stops the server instead of
/// losing complaints.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Offices {
    pub primary: Office,
    pub secondary: Office,
}

impl OfficeSettings {
    pub fn check(&self) -> anyhow::Result<Offices> {
        let office = |kind: OfficeKind,
                      key: &str,
                      email: &Option<String>,
                      phone: &Option<String>|
         -> anyhow::Result<Office> {
            let email = match email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
                Some(e) => Some(
                    crate::domain::account::Email::parse(e)
                        .map_err(|m| anyhow::anyhow!("[offices] {key} “{e}”：{m}"))?,
                ),
                None => None,
            };
            let phone = phone
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(String::from);
            Ok(Office {
                name: kind.label(),
                email,
                phone,
                kind,
            })
        };
        Ok(Offices {
            primary: office(
                OfficeKind::Primary,
                "primary_email",
                &self.primary_email,
                &self.primary_phone,
            )?,
            secondary: office(
                OfficeKind::Secondary,
                "secondary_email",
                &self.secondary_email,
                &self.secondary_phone,
            )?,
        })
    }
}

impl Offices {
    /// Whether complaints can be mailed at all (at least one office has a mailbox).
    pub fn mail_routed(&self) -> bool {
        self.primary.email.is_some() || self.secondary.email.is_some()
    }

    /// The offices with no mailbox, by name.
    pub fn unrouted(&self) -> Vec<&'static str> {
        [&self.primary, &self.secondary]
            .into_iter()
            .filter(|o| o.email.is_none())
            .map(|o| o.name)
            .collect()
    }
}

#[cfg(test)]
mod tests;
