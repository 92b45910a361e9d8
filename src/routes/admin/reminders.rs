//! POST /admin/rounds/{round_id}/reminders: e-mail the school administrators
//! of every school (within the sender's reach and filter) whose response
//! rate is below the chosen threshold.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::coverage::{load, Filter};
use crate::auth::session::CurrentUser;
use crate::db;
use crate::domain::account::Email;
use crate::email::{messages, Delivery};
use crate::error::{AppError, AppResult};
use crate::routes::support::{read_form, render, with_conn};
use crate::state::State;
use crate::views::admin::{Page, Section};

pub async fn post(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let round_id = path.into_inner();
    let form = read_form(body).await?;
    let threshold: f64 = form
        .get("threshold")
        .trim()
        .parse()
        .ok()
        .filter(|t: &f64| (0.0..=100.0).contains(t))
        .ok_or_else(|| AppError::BadRequest("回收率阈值应为 0–100 之间的数字。".into()))?;
    let filter = Filter {
        round: Some(round_id),
        urban: Some(form.get("urban").to_string()),
        level: Some(form.get("level").to_string()),
    };
    let u = user.user.clone();
    let targets = with_conn(&state, move |c| {
        let cov = load(c, &u, &filter)?;
        let round = cov.round.ok_or(AppError::NotFound)?;
        let mut out = Vec::new();
        for (s, e, n) in cov.schools {
            let Some(rate) = db::stats::rate(n, e) else {
                continue;
            };
            if rate >= threshold {
                continue;
            }
            let mut to = db::users::school_contacts(c, s.id)?;
            if to.is_empty() {
                to.extend(s.contact_email.clone());
            }
            out.push((s, rate, to));
        }
        Ok((round, out))
    })
    .await?;
    let (round, schools) = targets;
    let (mut sent, mut no_address, mut failed) = (0, Vec::new(), 0);
    let mut outbox = false;
    for (school, rate, addresses) in &schools {
        if addresses.is_empty() {
            no_address.push(school.name.clone());
        }
        for a in addresses {
            let Ok(to) = Email::parse(a) else {
                failed += 1;
                continue;
            };
            let link = format!(
                "{}/admin/schools/{}/rounds/{}",
                state.public_base, school.id, round.id
            );
            let msg = messages::reminder(&to, &school.name, &round.name, *rate, threshold, &link);
            match state.mailer.send(&msg).await {
                Ok(d) => {
                    sent += 1;
                    outbox |= matches!(d, Delivery::Outbox(_));
                    let (uid, detail) =
                        (user.user.id, format!("reminder round={} to={a}", round.id));
                    with_conn(&state, move |c| {
                        Ok(db::audit::record(
                            c,
                            Some(uid),
                            "email_reminder",
                            &detail,
                            now,
                        )?)
                    })
                    .await?;
                }
                Err(e) => {
                    failed += 1;
                    tracing::error!(error = ?e, "reminder not sent");
                }
            }
        }
    }
    let mut paragraphs = vec![format!(
        "回收率低于 {threshold:.0}% 的学校 {} 所，已发送提醒 {sent} 封{}。",
        schools.len(),
        if outbox {
            "（未配置邮件服务器，已保存到发件箱文件夹）"
        } else {
            ""
        }
    )];
    if failed > 0 {
        paragraphs.push(format!("{failed} 封发送失败，详见服务器日志。"));
    }
    if !no_address.is_empty() {
        paragraphs.push(format!(
            "以下学校没有管理员账户或联系邮箱，未能提醒：{}",
            no_address.join("、")
        ));
    }
    let page = Page::for_user(&user, "提醒已发送").section(Section {
        paragraphs,
        links: vec![crate::views::admin::Link {
            href: format!("/admin/coverage?round={}", round.id),
            text: "返回回收情况".into(),
        }],
        ..Section::default()
    });
    render(&state, &page, StatusCode::OK)
}
