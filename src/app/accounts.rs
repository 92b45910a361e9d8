//! Staff accounts: who they are, inviting a new one (account, one-time link,
//! invitation mail, audit) and turning one off or on again.

use super::with_conn;
use crate::db::{self, account_tokens::Purpose, users::NewUser};
use crate::domain::account::{Email, Role};
use crate::email::{messages, Delivery};
use crate::error::{AppError, AppResult, During};
use crate::state::AppState;

pub use crate::db::schools::School;
pub use crate::db::townships::Township;
pub use crate::db::users::User;

/// Every account, school and township (for the accounts page).
pub async fn overview(state: &AppState) -> AppResult<(Vec<User>, Vec<School>, Vec<Township>)> {
    with_conn(state, |c| {
        Ok((
            db::users::list(c).during("listing accounts")?,
            db::schools::list(c).during("listing schools")?,
            db::townships::list(c).during("listing townships")?,
        ))
    })
    .await
}

/// An invitation as asked for: name, address and role already parsed.
pub struct Invite {
    pub name: String,
    pub email: Email,
    pub role: Role,
    /// For a school account.
    pub school_code: String,
    /// For a township account.
    pub township_id: Option<i64>,
}

/// Creates the account and its one-time link (valid 72 hours), mails the
/// invitation, and records both. Returns the notice for the bureau.
pub async fn invite(state: &AppState, i: Invite, by: i64) -> AppResult<String> {
    let now = state.clock.now();
    let (email, role, name) = (i.email.clone(), i.role, i.name.clone());
    let (token, scope) = with_conn(state, move |c| {
        diesel::Connection::transaction(c, |c| {
            if db::users::find_by_email(c, i.email.as_str())
                .during("looking up the address")?
                .is_some()
            {
                return Err(AppError::invalid("该电子邮箱已有账户。"));
            }
            let (school_id, township_id, scope) = match i.role {
                Role::Bureau => (None, None, "全市".to_string()),
                Role::Township => {
                    let t = db::townships::list(c)
                        .during("listing townships")?
                        .into_iter()
                        .find(|t| Some(t.id) == i.township_id);
                    match t {
                        Some(t) => (None, Some(t.id), t.name),
                        None => return Err(AppError::invalid("镇街教委办账户需要选择镇街。")),
                    }
                }
                Role::School => match db::schools::find_by_code(c, &i.school_code)
                    .during("looking up the school")?
                {
                    Some(s) => (Some(s.id), None, s.name),
                    None => {
                        return Err(AppError::invalid(format!(
                            "找不到学校代码“{}”。",
                            i.school_code
                        )))
                    }
                },
            };
            let id = db::users::create(
                c,
                &NewUser {
                    email: &i.email,
                    display_name: &i.name,
                    role: i.role,
                    township_id,
                    school_id,
                },
                now,
            )
            .during("creating the account")?;
            let token = db::account_tokens::issue(c, id, Purpose::Invite, now)
                .during("issuing the invitation link")?;
            db::audit::record(
                c,
                Some(by),
                "account_invited",
                &format!("{} role={}", i.email.as_str(), i.role.db_code()),
                now,
            )
            .during("recording the invitation")?;
            Ok((token, scope))
        })
    })
    .await?;
    let link = format!("{}/invite/{token}", state.public_base);
    let msg = messages::invitation(&email, &name, role.label(), &scope, &link);
    let notice = match state.mailer.send(&msg).await {
        Ok(Delivery::Sent) => format!("已向 {} 发送邀请邮件。", email.as_str()),
        Ok(Delivery::Outbox(path)) => {
            format!("未配置邮件服务器：邀请邮件已保存为 {}。", path.display())
        }
        Err(e) => {
            tracing::error!(error = ?e, "invitation not sent");
            "账户已创建，但邀请邮件发送失败，请检查邮件设置。".to_string()
        }
    };
    let detail = format!("invitation to {}", email.as_str());
    with_conn(state, move |c| {
        db::audit::record(c, Some(by), "email_invitation", &detail, now)
            .during("recording the invitation mail")
    })
    .await?;
    Ok(notice)
}

/// Turns an account off (ending its sessions) or on again; nobody turns off their own.
pub async fn set_active(state: &AppState, target: i64, active: bool, by: i64) -> AppResult<()> {
    if target == by {
        return Err(AppError::BadRequest("不能停用自己的账户。".into()));
    }
    let now = state.clock.now();
    with_conn(state, move |c| {
        db::users::find(c, target)
            .during("looking up the account")?
            .ok_or(AppError::NotFound)?;
        db::users::set_active(c, target, active).during("changing the account")?;
        if !active {
            db::sessions::delete_all_for(c, target).during("ending its sessions")?;
        }
        db::audit::record(
            c,
            Some(by),
            if active {
                "account_enabled"
            } else {
                "account_disabled"
            },
            &format!("user={target}"),
            now,
        )
        .during("recording the change")?;
        Ok(())
    })
    .await
}
