//! A parent's complaint or suggestion about after-school services: checked, limited per
//! browser and per address, stored, and e-mailed to the office that handles the school's
//! level (初幼教科 for primary, 中教科 for secondary; a nine-year school, or none named,
//! both) — only to the mailboxes the operator set in `[offices]`.

use super::with_conn;
use crate::config::{Office, Offices};
use crate::db::{self, complaints::NewComplaint, rate, DbConnection};
use crate::domain::school::SchoolLevel;
use crate::email::messages;
use crate::error::{AppError, AppResult, During, Invalid};
use crate::state::AppState;

pub const MAX_BODY_CHARS: usize = 1000;
pub const MAX_CONTACT_CHARS: usize = 100;
/// Per browser per hour.
pub const PER_CLIENT: i64 = 5;
/// Per address per hour: a whole school's parents share one address.
pub const PER_ADDRESS: i64 = 300;

/// A complaint as the form sent it: about a school (a survey link names one, the standing
/// channel lets the parent pick one), a township, or neither.
pub struct Complaint {
    pub school_id: Option<i64>,
    pub township_id: Option<i64>,
    /// `complaint` or `suggestion`.
    pub kind: String,
    pub body: String,
    pub contact: String,
}

/// Who sent it, for the rate limits: the browser's cookie (may be empty) and the address.
pub struct Sender {
    pub client: String,
    pub address: String,
}

fn check(c: &Complaint) -> Result<(), Invalid> {
    let body = c.body.trim();
    let contact = c.contact.trim();
    if !matches!(c.kind.as_str(), "complaint" | "suggestion") {
        Err(Invalid::field("kind", "请选择“意见建议”或“投诉举报”。"))
    } else if body.is_empty() {
        Err(Invalid::field("body", "请填写内容。"))
    } else if body.chars().count() > MAX_BODY_CHARS {
        Err(Invalid::field(
            "body",
            format!("内容不能超过 {MAX_BODY_CHARS} 字。"),
        ))
    } else if contact.chars().count() > MAX_CONTACT_CHARS || contact.contains(['\r', '\n']) {
        Err(Invalid::field(
            "contact",
            format!("联系方式不能超过 {MAX_CONTACT_CHARS} 字，且不能换行。"),
        ))
    } else {
        Ok(())
    }
}

/// The offices that hear of a school of `level` (both when it is not known).
fn offices_for(offices: &Offices, level: Option<SchoolLevel>) -> Vec<&Office> {
    match level {
        Some(SchoolLevel::Primary) => vec![&offices.primary],
        Some(SchoolLevel::JuniorMiddle) => vec![&offices.secondary],
        _ => vec![&offices.primary, &offices.secondary],
    }
}

/// What a complaint is about, checked: school, township, the label the offices read, and the
/// school's level.
type About = (Option<i64>, Option<i64>, String, Option<SchoolLevel>);

/// The school and township named, checked against each other.
fn resolve(conn: &mut DbConnection, c: &Complaint) -> AppResult<About> {
    let townships = db::townships::list(conn).during("reading townships")?;
    let township = match c.township_id {
        Some(id) => Some(townships.iter().find(|t| t.id == id).ok_or_else(|| {
            AppError::Invalid(Invalid::field("township", "请从列表中选择镇街。"))
        })?),
        None => None,
    };
    let Some(school_id) = c.school_id else {
        let label = township.map_or_else(
            || "未指明学校".to_string(),
            |t| format!("{}（未指明学校）", t.name),
        );
        return Ok((None, township.map(|t| t.id), label, None));
    };
    let school = db::schools::find(conn, school_id)
        .during("reading the school")?
        .ok_or_else(|| AppError::Invalid(Invalid::field("school", "请从列表中选择学校。")))?;
    if township.is_some_and(|t| t.id != school.township_id) {
        return Err(AppError::Invalid(Invalid::field(
            "school",
            "所选学校不在所选镇街，请重新选择。",
        )));
    }
    Ok((
        Some(school.id),
        Some(school.township_id),
        school.name.clone(),
        SchoolLevel::from_db_code(&school.level),
    ))
}

/// Checks, limits, stores and mails the complaint.
pub async fn submit(state: &AppState, c: Complaint, from: Sender) -> AppResult<()> {
    check(&c).map_err(AppError::Invalid)?;
    let now = state.clock.now();
    let (body, contact) = (c.body.trim().to_string(), c.contact.trim().to_string());
    let (kind, kind_code) = (c.kind.clone(), c.kind.clone());
    let client_key = format!("feedback-client:{}", from.client);
    let addr_key = format!("feedback-address:{}", from.address);
    let has_client = !from.client.is_empty();
    let (b, ct) = (body.clone(), contact.clone());
    let (label, level) = with_conn(state, move |conn| {
        let (school_id, township_id, label, level) = resolve(conn, &c)?;
        let hour = chrono::Duration::hours(1);
        let client_n = if has_client {
            rate::count_within(conn, &client_key, hour, now).during("counting complaints")?
        } else {
            0
        };
        let addr_n =
            rate::count_within(conn, &addr_key, hour, now).during("counting complaints")?;
        if client_n >= PER_CLIENT || addr_n >= PER_ADDRESS {
            return Err(AppError::TooManyRequests);
        }
        if has_client {
            rate::record(conn, &client_key, now).during("recording a complaint")?;
        }
        rate::record(conn, &addr_key, now).during("recording a complaint")?;
        let new = NewComplaint {
            school_id,
            township_id,
            kind,
            body: b,
            contact: (!ct.is_empty()).then_some(ct),
            office: match level {
                Some(SchoolLevel::Primary) => "primary",
                Some(SchoolLevel::JuniorMiddle) => "secondary",
                _ => "both",
            }
            .into(),
        };
        db::complaints::insert(conn, &new, now).during("storing the complaint")?;
        Ok((label, level))
    })
    .await?;
    let kind_label = if kind_code == "complaint" {
        "投诉举报"
    } else {
        "意见建议"
    };
    let link = format!("{}/admin/complaints", state.public_base);
    for office in offices_for(&state.offices, level) {
        // No mailbox set for this office: the complaint waits in the app, nothing is mailed.
        let Some(to) = &office.email else { continue };
        let msg = messages::complaint(
            to,
            office.name,
            &label,
            kind_label,
            &body,
            (!contact.is_empty()).then_some(contact.as_str()),
            &link,
        );
        match state.mailer.send(&msg).await {
            Ok(_) => {
                let detail = format!("complaint to {}", to.as_str());
                with_conn(state, move |conn| {
                    db::audit::record(conn, None, "email_complaint", &detail, now)
                        .during("recording the complaint mail")
                })
                .await?;
            }
            Err(e) => tracing::error!(error = ?e, "complaint e-mail not sent"),
        }
    }
    Ok(())
}

/// A township and its schools, for the standing channel's lists.
pub struct TownshipChoice {
    pub id: i64,
    pub name: String,
    /// `(id, name)`, by name.
    pub schools: Vec<(i64, String)>,
}

/// Every township in the bureau's order, each with its schools.
pub async fn choices(state: &AppState) -> AppResult<Vec<TownshipChoice>> {
    with_conn(state, |conn| {
        let townships = db::townships::list(conn).during("reading townships")?;
        let schools = db::schools::list(conn).during("reading schools")?;
        Ok(townships
            .into_iter()
            .map(|t| {
                let mut list: Vec<(i64, String)> = schools
                    .iter()
                    .filter(|s| s.township_id == t.id)
                    .map(|s| (s.id, s.name.clone()))
                    .collect();
                list.sort_by(|a, b| a.1.cmp(&b.1));
                TownshipChoice {
                    id: t.id,
                    name: t.name,
                    schools: list,
                }
            })
            .collect())
    })
    .await
}
