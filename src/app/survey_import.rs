//! Importing a questionnaire made in another tool (XLSForm, 问卷星 text): the file is converted
//! into survey definition TOML with every loss named; nothing is stored, so the web page and the
//! `import-survey` command share this one entry.

use crate::domain::survey::import;
use crate::domain::survey::Taxonomy;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub use crate::domain::survey::import::{Converted, Format, ImportFailure, Place, Problem};

/// Largest questionnaire file accepted (a long form is a few hundred kilobytes).
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// Converts `bytes`, read as `format`, into definition TOML checked against `taxonomy`.
pub fn convert(
    format: Format,
    bytes: &[u8],
    taxonomy: &Taxonomy,
) -> Result<Converted, ImportFailure> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImportFailure::one(
            Place::File,
            "文件超过 5 MB，不像是一份问卷，请检查是否选错了文件。",
        ));
    }
    import::convert(format, bytes, taxonomy)
}

/// Adds a problem when the converted survey's id is already the id of the survey `taken`
/// (its title), so that the bureau renames it before putting it beside the other.
pub fn note_taken_id(converted: &mut Converted, taken: Option<&str>) {
    if let Some(title) = taken {
        converted.problems.push(Problem::file(format!(
            "转换结果的问卷编号（文件第 2 行）与已有的问卷“{title}”相同，放入问卷目录前请改成另一个英文编号。"
        )));
    }
}

/// [`convert`] off the request's worker, against the server's taxonomy and survey folder.
pub async fn convert_upload(
    state: &AppState,
    format: Format,
    bytes: Vec<u8>,
) -> AppResult<Result<Converted, ImportFailure>> {
    let versions = state.catalog.versions();
    let mut result =
        actix_web::web::block(move || convert(format, &bytes, versions.taxonomy())).await?;
    if let Ok(c) = &mut result {
        let taken = state
            .catalog
            .by_id(&c.id)
            .map(|f| f.definition.title.clone());
        note_taken_id(c, taken.as_deref());
    }
    Ok(result)
}

/// The survey TOML a person downloads after reviewing it: it must still pass the linter, so that
/// only a usable file leaves the page. Returns the file name (the survey's id) and the text.
pub fn download(state: &AppState, source: &str) -> AppResult<(String, String)> {
    let source = source.replace("\r\n", "\n");
    match crate::domain::survey::parse_definition(&source, state.catalog.taxonomy()) {
        Ok(def) => Ok((format!("{}.toml", def.id), source)),
        Err(_) => Err(AppError::BadRequest(
            "要下载的问卷定义没有通过检查，请重新上传原文件转换。".into(),
        )),
    }
}
