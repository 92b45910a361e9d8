//! `lint`: check survey definition files and print every problem as
//! `file:line:column: message`. Exit code 1 if any file has a problem.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::catalog::{lint_file, load_taxonomy, survey_files};
use crate::config::Settings;
use crate::domain::survey::format_lint;

pub fn run(settings: &Settings, files: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let taxonomy = load_taxonomy(&settings.survey_dir)?;
    let files = if files.is_empty() {
        survey_files(&settings.survey_dir)?
    } else {
        files.to_vec()
    };
    let mut bad = 0;
    for path in &files {
        let linted = lint_file(path, &taxonomy)?;
        match linted.result {
            Ok(def) => println!(
                "{}: ok ({}, {} questions)",
                path.display(),
                def.id,
                def.questions.len()
            ),
            Err(errs) => {
                bad += 1;
                print!("{}", format_lint(&path.display().to_string(), &errs));
            }
        }
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
