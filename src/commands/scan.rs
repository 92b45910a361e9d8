//! `scan`: reads returned paper reply slips from scanned files into a round, as the schools'
//! scan page does; each slip's QR code names its school.

use std::process::ExitCode;

use anyhow::Context;

use crate::app::scans::{scan_uploads, Fate, Scope, Upload};
use crate::cli::ScanArgs;
use crate::config::Settings;
use crate::startup::app_state;

pub fn run(settings: Settings, args: &ScanArgs) -> anyhow::Result<ExitCode> {
    let mut uploads = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        uploads.push(Upload { name, bytes });
    }
    let round = args.round;
    actix_web::rt::System::new().block_on(async move {
        let state = app_state(settings)?;
        let result = scan_uploads(&state, Scope::Round(round), uploads, None)
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.user_message().1))?;
        let report = match result {
            Ok(r) => r,
            Err(why) => {
                eprintln!("{why}没有保存任何回执。");
                return Ok(ExitCode::from(2));
            }
        };
        for s in &report.slips {
            let what = match &s.fate {
                Fate::Stored => "已保存".to_string(),
                Fate::Waiting => "等待人工核对".to_string(),
                Fate::Skipped(why) => format!("未保存：{why}"),
            };
            println!("{}\t{}\t{what}", s.place, s.serial);
        }
        println!(
            "共识别 {} 页：已保存 {} 张，等待人工核对 {} 张（请到学校的“上传扫描的纸质回执”页面核对），未保存 {} 张。",
            report.pages,
            report.count(|f| *f == Fate::Stored),
            report.count(|f| *f == Fate::Waiting),
            report.count(|f| matches!(f, Fate::Skipped(_)))
        );
        Ok(ExitCode::SUCCESS)
    })
}
