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

/// [`convert`] off the request's worker, against the server's taxonomy.
pub async fn convert_upload(
    state: &AppState,
    format: Format,
    bytes: Vec<u8>,
) -> AppResult<Result<Converted, ImportFailure>> {
    let versions = state.catalog.versions();
    Ok(actix_web::web::block(move || convert(format, &bytes, versions.taxonomy())).await?)
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
