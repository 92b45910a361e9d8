//! Tests of the settings: the file, the environment, and what a bad value says.
#![allow(clippy::unwrap_used)]

use super::*;

#[test]
fn env_overrides_defaults() {
    let mut s = Settings::default();
    s.apply_env(|k| match k {
        "SURVEY_PORT" => Some("9000".into()),
        "SURVEY_PUBLIC_URL" => Some("https://x.example/".into()),
        _ => None,
    })
    .unwrap();
    assert_eq!(s.port, 9000);
    assert_eq!(s.public_base(), "https://x.example");
}

#[test]
fn the_low_rate_comes_from_the_file_or_the_environment() {
    assert_eq!(Settings::default().analysis.low_rate_percent, 30.0);
    let mut s: Settings = toml::from_str("[analysis]\nlow_rate_percent = 25").unwrap();
    assert_eq!(s.analysis.low_rate_percent, 25.0);
    s.apply_env(|k| (k == "SURVEY_LOW_RATE_PERCENT").then(|| "40".into()))
        .unwrap();
    assert_eq!(s.analysis.low_rate_percent, 40.0);
    s.analysis.low_rate_percent = 130.0;
    assert!(s.check().is_err());
    assert!(s
        .apply_env(|k| (k == "SURVEY_LOW_RATE_PERCENT").then(|| "x".into()))
        .is_err());
}

#[test]
fn no_office_address_is_built_in() {
    let o = Settings::default().offices.check().unwrap();
    assert!(o.primary.email.is_none() && o.secondary.email.is_none());
    assert!(o.primary.phone.is_none() && o.secondary.phone.is_none());
    assert!(!o.mail_routed());
    let mut s = Settings::default();
    s.offices.primary_email = Some("not an address".into());
    assert!(s.offices.check().is_err());
}

#[test]
fn metrics_and_log_settings_come_from_the_file_or_the_environment() {
    let mut s: Settings = toml::from_str(
        "[metrics]\nallow = [\"127.0.0.1\"]\ntoken = \"s3cret\"\n[log]\nformat = \"json\"",
    )
    .unwrap();
    assert_eq!(
        s.metrics.allow,
        ["127.0.0.1".parse::<std::net::IpAddr>().unwrap()]
    );
    assert_eq!(s.log.format, LogFormat::Json);
    assert!(
        !format!("{s:?}").contains("s3cret"),
        "the token is never printed"
    );
    s.apply_env(|k| match k {
        "SURVEY_METRICS_ALLOW" => Some("10.0.0.5, ::1".into()),
        "SURVEY_LOG_FORMAT" => Some("text".into()),
        _ => None,
    })
    .unwrap();
    assert_eq!(s.metrics.allow.len(), 2);
    assert_eq!(s.log.format, LogFormat::Text);
    assert!(s
        .apply_env(|k| (k == "SURVEY_LOG_FORMAT").then(|| "xml".into()))
        .is_err());
}

#[test]
fn bad_port_is_an_error() {
    let mut s = Settings::default();
    assert!(s
        .apply_env(|k| (k == "SURVEY_PORT").then(|| "x".into()))
        .is_err());
}
