//! `import-survey --from xlsform|wjx FILE --out survey.toml`: converts a questionnaire made in
//! another tool into a survey definition, prints every problem with its place, and writes the
//! file only when something could be converted.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::app::survey_import::{self, Format};
use crate::catalog::{lint_file, load_taxonomy, survey_files};
use crate::cli::QuestionnaireFormat;
use crate::config::Settings;

pub fn run(
    settings: &Settings,
    from: QuestionnaireFormat,
    file: &Path,
    out: &Path,
) -> anyhow::Result<ExitCode> {
    let format = match from {
        QuestionnaireFormat::Xlsform => Format::XlsForm,
        QuestionnaireFormat::Wjx => Format::Wjx,
    };
    let taxonomy = load_taxonomy(&settings.survey_dir)?;
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    match survey_import::convert(format, &bytes, &taxonomy) {
        Ok(mut converted) => {
            let mut taken = None;
            for path in survey_files(&settings.survey_dir)? {
                if let Ok(def) = lint_file(&path, &taxonomy)?.result {
                    if def.id == converted.id {
                        taken = Some(def.title);
                    }
                }
            }
            survey_import::note_taken_id(&mut converted, taken.as_deref());
            std::fs::write(out, &converted.source)
                .with_context(|| format!("writing {}", out.display()))?;
            for p in &converted.problems {
                eprintln!("  {p}");
            }
            println!(
                "{}：已转换 {} 道题，写入 {}；有 {} 处需要审核，见上。",
                file.display(),
                converted.questions,
                out.display(),
                converted.problems.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(failure) => {
            eprintln!(
                "{}：发现 {} 处问题，未能转换，没有写入任何文件。",
                file.display(),
                failure.problems.len()
            );
            for p in &failure.problems {
                eprintln!("  {p}");
            }
            Ok(ExitCode::FAILURE)
        }
    }
}
