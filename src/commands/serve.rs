//! `serve`: run the web server (and, with `--demo`, seed demo data first).

use std::process::ExitCode;

use crate::cli::ServeArgs;
use crate::config::Settings;
use crate::startup::{prepare_database, Application};

pub fn run(mut settings: Settings, args: ServeArgs) -> anyhow::Result<ExitCode> {
    if let Some(h) = args.host {
        settings.host = h;
    }
    if let Some(p) = args.port {
        settings.port = p;
    }
    if let Some(u) = args.public_url {
        settings.public_url = Some(u);
    }
    if args.demo {
        super::demo::seed_if_empty(&settings)?;
    }
    print_setup_link(&settings)?;
    let system = actix_web::rt::System::new();
    system.block_on(async move {
        let app = Application::build(settings)?;
        let state = app.state();
        tracing::info!(
            "serving on http://{}:{} (public address {})",
            state.settings.host,
            app.port(),
            state.public_base
        );
        app.run_until_stopped().await?;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Until a bureau administrator exists, every start prints a fresh
/// one-time setup link (the previous one stops working).
fn print_setup_link(settings: &Settings) -> anyhow::Result<()> {
    let now = settings.clock.now();
    let mut conn = prepare_database(settings)?;
    if crate::db::users::has_bureau_admin(&mut conn)? {
        return Ok(());
    }
    let token = crate::app::setup::issue_link(&mut conn, now)?;
    eprintln!(
        "\n首次使用：请在 72 小时内打开以下一次性链接，设置教育局管理员账户。\n\
         First start: open this one-time link within 72 hours to set up the bureau administrator:\n\
         {}/setup/{token}\n",
        settings.public_base()
    );
    Ok(())
}
