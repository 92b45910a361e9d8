//! A parent's complaint or suggestion about a school's after-school service:
//! checked, limited per browser and per address, stored, and e-mailed to the
//! office that handles the school's level (初幼教科 for primary, 中教科 for
//! secondary; a nine-year school has both).

use super::with_conn;
use crate::db::{self, complaints::NewComplaint, rate};
use crate::domain::account::Email;
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

/// A complaint as the form sent it.
pub struct Complaint {
    pub school_id: i64,
    pub school_name: String,
    /// The school's level code (`primary`, `junior`, `nine_year`).
    pub school_level: String,
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

/// The offices that hear of a school of `level`, with their configured addresses.
fn offices_for(state: &AppState, level: Option<SchoolLevel>) -> Vec<(&'static str, String)> {
    let e = &state.settings.email;
    let primary = ("初幼教科", e.office_primary.clone());
    let secondary = ("中教科", e.office_secondary.clone());
    match level {
        Some(SchoolLevel::Primary) => vec![primary],
        Some(SchoolLevel::JuniorMiddle) => vec![secondary],
        _ => vec![primary, secondary],
    }
}

/// Checks, limits, stores and mails the complaint.
pub async fn submit(state: &AppState, c: Complaint, from: Sender) -> AppResult<()> {
    check(&c).map_err(AppError::Invalid)?;
    let now = state.clock.now();
    let (body, contact) = (c.body.trim().to_string(), c.contact.trim().to_string());
    let level = SchoolLevel::from_db_code(&c.school_level);
    let new = NewComplaint {
        school_id: c.school_id,
        kind: c.kind.clone(),
        body: body.clone(),
        contact: (!contact.is_empty()).then(|| contact.clone()),
        office: if level == Some(SchoolLevel::Primary) {
            "primary"
        } else {
            "secondary"
        }
        .into(),
    };
    let client_key = format!("feedback-client:{}", from.client);
    let addr_key = format!("feedback-address:{}", from.address);
    let has_client = !from.client.is_empty();
    with_conn(state, move |conn| {
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
        db::complaints::insert(conn, &new, now).during("storing the complaint")
    })
    .await?;
    let kind_label = if c.kind == "complaint" {
        "投诉举报"
    } else {
        "意见建议"
    };
    let link = format!("{}/admin/complaints", state.public_base);
    for (office, address) in offices_for(state, level) {
        let Ok(to) = Email::parse(&address) else {
            tracing::error!(
                address,
                "the office e-mail address in the settings is invalid"
            );
            continue;
        };
        let msg = messages::complaint(
            &to,
            office,
            &c.school_name,
            kind_label,
            &body,
            (!contact.is_empty()).then_some(contact.as_str()),
            &link,
        );
        match state.mailer.send(&msg).await {
            Ok(_) => {
                let detail = format!("complaint to {address}");
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

pub use crate::db::complaints::ComplaintRow;

/// Every complaint, for the bureau; looking is itself recorded.
pub async fn list(state: &AppState, by: i64) -> AppResult<Vec<ComplaintRow>> {
    let now = state.clock.now();
    with_conn(state, move |c| {
        db::audit::record(c, Some(by), "complaints_viewed", "", now)
            .during("recording the view")?;
        db::complaints::list(c).during("listing complaints")
    })
    .await
}

/// The longest note on how a complaint was handled, in characters.
pub const MAX_REPLY_CHARS: usize = 1000;

/// Marks a complaint handled (or new again) with the bureau's note.
pub async fn set_status(
    state: &AppState,
    id: i64,
    handled: bool,
    reply: String,
    by: i64,
) -> AppResult<()> {
    let reply = reply.trim().to_string();
    if reply.chars().count() > MAX_REPLY_CHARS {
        return Err(AppError::BadRequest(format!(
            "处理情况不能超过 {MAX_REPLY_CHARS} 字。"
        )));
    }
    let now = state.clock.now();
    with_conn(state, move |c| {
        if db::complaints::set_status(c, id, handled, &reply, by, now)
            .during("updating the complaint")?
            == 0
        {
            return Err(AppError::NotFound);
        }
        db::audit::record(
            c,
            Some(by),
            "complaint_updated",
            &format!("complaint={id} handled={handled}"),
            now,
        )
        .during("recording the update")
    })
    .await
}
