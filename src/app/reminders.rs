//! Reminders: e-mail the school administrators of every school, within the
//! sender's reach and filter, whose response rate is below a threshold, and
//! record each mail sent.

use super::coverage::{self, Filter};
use super::with_conn;
use crate::db::{self, users::User};
use crate::domain::account::Email;
use crate::email::{messages, Delivery};
use crate::error::{AppError, AppResult, During};
use crate::state::AppState;

/// What the reminders did, for the page that reports it.
pub struct Sent {
    pub round_id: i64,
    /// Schools below the threshold.
    pub schools: usize,
    pub sent: usize,
    pub failed: usize,
    /// Schools with no address to remind.
    pub no_address: Vec<String>,
    /// No mail server: the mails went to the outbox folder.
    pub outbox: bool,
}

/// Sends the reminders for `filter`'s round to schools below `threshold` percent.
pub async fn send(
    state: &AppState,
    user: &User,
    filter: Filter,
    threshold: f64,
) -> AppResult<Sent> {
    let now = state.clock.now();
    let u = user.clone();
    let (round, schools) =
        with_conn(state, move |c| coverage::below(c, &u, &filter, threshold)).await?;
    let round = round.ok_or(AppError::NotFound)?;
    let mut out = Sent {
        round_id: round.id,
        schools: schools.len(),
        sent: 0,
        failed: 0,
        no_address: Vec::new(),
        outbox: false,
    };
    for (school, rate, addresses) in &schools {
        if addresses.is_empty() {
            out.no_address.push(school.name.clone());
        }
        for a in addresses {
            let Ok(to) = Email::parse(a) else {
                out.failed += 1;
                continue;
            };
            let link = format!(
                "{}/admin/schools/{}/rounds/{}",
                state.public_base, school.id, round.id
            );
            let msg = messages::reminder(&to, &school.name, &round.name, *rate, threshold, &link);
            match state.mailer.send(&msg).await {
                Ok(d) => {
                    out.sent += 1;
                    out.outbox |= matches!(d, Delivery::Outbox(_));
                    let (uid, detail) = (user.id, format!("reminder round={} to={a}", round.id));
                    with_conn(state, move |c| {
                        db::audit::record(c, Some(uid), "email_reminder", &detail, now)
                            .during("recording the reminder")
                    })
                    .await?;
                }
                Err(e) => {
                    out.failed += 1;
                    tracing::error!(error = ?e, "reminder not sent");
                }
            }
        }
    }
    Ok(out)
}
