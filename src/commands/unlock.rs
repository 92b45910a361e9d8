//! `unlock --email X`: lift the sign-in hold of an account, so that a right password is never
//! refused for as long as someone keeps guessing. Recorded in the audit log.

use std::process::ExitCode;

use crate::auth::sign_in::SubmittedEmail;
use crate::auth::throttle;
use crate::config::Settings;
use crate::db;
use crate::startup::prepare_database;

pub fn run(settings: &Settings, email: &str) -> anyhow::Result<ExitCode> {
    let mut conn = prepare_database(settings)?;
    let now = settings.clock.now();
    let email = SubmittedEmail::parse(email);
    let Some(user) = db::users::find_by_email(&mut conn, email.as_str())? else {
        eprintln!("没有使用该邮箱的账户：{}", email.for_audit());
        return Ok(ExitCode::FAILURE);
    };
    let was_held = throttle::unlock_account(&mut conn, email.as_str(), now)?;
    db::audit::record(
        &mut conn,
        Some(user.id),
        "account_unlocked",
        &format!("email={}（命令行）", email.for_audit()),
        now,
    )?;
    if was_held {
        println!(
            "已解除 {} 的登录限制，现在可以用正确的密码登录。",
            user.email
        );
    } else {
        println!("{} 当前没有被限制登录；已清除其失败记录。", user.email);
    }
    Ok(ExitCode::SUCCESS)
}
