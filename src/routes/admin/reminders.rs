//! POST /admin/rounds/{round_id}/reminders: e-mail the school administrators
//! of every school (within the sender's reach and filter) whose response
//! rate is below the chosen threshold.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::coverage::Filter;
use crate::app::reminders::{self, Sent};
use crate::auth::session::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::routes::support::{read_form, render};
use crate::state::State;
use crate::views::admin::{Page, Section};

pub async fn post(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
    body: web::Payload,
) -> AppResult<HttpResponse> {
    let round_id = path.into_inner();
    let form = read_form(body, &["threshold", "urban", "level"]).await?;
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
        sort: None,
    };
    let Sent {
        round_id,
        schools,
        sent,
        failed,
        no_address,
        outbox,
    } = reminders::send(&state, &user.user, filter, threshold).await?;
    let mut paragraphs = vec![format!(
        "回收率低于 {threshold:.0}% 的学校 {} 所，已发送提醒 {sent} 封{}。",
        schools,
        if outbox {
            "（尚未设置发信服务器，邮件已先保存在服务器上，设置后可补发）"
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
            href: format!("/admin/coverage?round={round_id}"),
            text: "返回回收情况".into(),
        }],
        ..Section::default()
    });
    render(&state, &page, StatusCode::OK)
}
