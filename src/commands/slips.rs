//! `slips`: paper reply slips (回执) for one school in a round, written as print-ready HTML,
//! or as a PDF when a headless Chromium is on PATH (there is no PDF writer in the binary).

use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::Context;

use crate::app::slips::{print, Wanted};
use crate::catalog::Catalog;
use crate::cli::SlipsArgs;
use crate::config::Settings;
use crate::db;
use crate::publish::slips::render;
use crate::startup::prepare_database;
use crate::templates::Templates;

/// Browsers that can print a page to PDF without a screen, tried in order.
const BROWSERS: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];

pub fn run(settings: &Settings, args: &SlipsArgs) -> anyhow::Result<ExitCode> {
    let now = settings.clock.now();
    let mut conn = prepare_database(settings)?;
    let catalog = Catalog::load(&settings.survey_dir, &mut conn, now)?;
    let school = db::schools::find_by_code(&mut conn, &args.school)?
        .with_context(|| format!("unknown school code {}", args.school))?;
    let wanted = Wanted {
        count: args.count,
        page: args.page,
    };
    let printed = print(
        &mut conn,
        &catalog.versions(),
        (args.round, school.id),
        wanted,
        None,
        now,
    )
    .map_err(|e| match e {
        crate::error::AppError::Unexpected(e) => e,
        other => anyhow::anyhow!("{}", other.user_message().1),
    })?;
    let html = render(&Templates::new()?, &printed)?;
    let pdf = args
        .out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if pdf {
        to_pdf(&html, &args.out)?;
    } else {
        std::fs::write(&args.out, html)
            .with_context(|| format!("writing {}", args.out.display()))?;
    }
    let (first, last) = (printed.slips.first(), printed.slips.last());
    println!(
        "已为{}生成 {} 张回执（编号 {} 至 {}），已写入 {}",
        school.name,
        printed.slips.len(),
        first.map_or(String::new(), |s| s.serial.to_string()),
        last.map_or(String::new(), |s| s.serial.to_string()),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Prints the HTML to `out` with the first headless browser found, keeping the HTML beside it
/// (same name, `.html`); without a browser, says how to print that HTML instead.
fn to_pdf(html: &str, out: &Path) -> anyhow::Result<()> {
    let target = std::path::absolute(out).context("resolving the output path")?;
    let page = target.with_extension("html");
    std::fs::write(&page, html).with_context(|| format!("writing {}", page.display()))?;
    for browser in BROWSERS {
        let ran = Command::new(browser)
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                &format!("--print-to-pdf={}", target.display()),
            ])
            .arg(&page)
            .output();
        match ran {
            Ok(o) if o.status.success() && target.exists() => return Ok(()),
            Ok(o) => anyhow::bail!(
                "{browser} could not print the slips: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            ),
            Err(_) => continue,
        }
    }
    anyhow::bail!(
        "没有找到可以生成 PDF 的浏览器（chromium）。回执已写入 {}，请用浏览器打开后打印（A4，不缩放）。",
        page.display()
    )
}
