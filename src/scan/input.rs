//! What may be uploaded for scanning, and its pages as grey pictures: a PDF from a copier's
//! scan-to-PDF (one picture per page, taken out as it is, no PDF renderer needed), or JPEG and
//! PNG photos. Sizes and page counts are checked first, and a problem names the file and page.

use image::GrayImage;

use super::pdf;

/// Largest file taken.
pub const MAX_FILE_BYTES: usize = 40 * 1024 * 1024;
/// Most pages in one upload (a few classes' slips).
pub const MAX_PAGES: usize = 300;
/// Largest picture side, in pixels (a 600-dpi A4 scan is about 7,000).
pub const MAX_SIDE: u32 = 8_000;
/// Smallest picture side: below this a slip's boxes cannot be told apart.
pub const MIN_SIDE: u32 = 600;

/// Why a file cannot be scanned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("文件太大（超过 {} MB），请分成几个文件上传。", MAX_FILE_BYTES / 1024 / 1024)]
    TooLarge,
    #[error("只能上传扫描得到的 PDF，或 JPEG、PNG 照片。这个文件不是这几种格式。")]
    Kind,
    #[error("一次最多上传 {MAX_PAGES} 页，请分成几个文件上传。")]
    TooManyPages,
    #[error("第 {page} 页：{why}")]
    Page { page: usize, why: String },
    #[error("这个 PDF 读不出来：{0}")]
    Pdf(String),
}

/// The kinds of file taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Jpeg,
    Png,
}

/// The kind of `bytes`, by its first bytes (not by its name).
pub fn kind_of(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"%PDF-") {
        Some(Kind::Pdf)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Kind::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Kind::Png)
    } else {
        None
    }
}

/// A JPEG or PNG picture as grey, after checking its size from its header.
pub fn picture(bytes: &[u8], page: usize) -> Result<GrayImage, InputError> {
    let bad = |why: &str| InputError::Page {
        page,
        why: why.to_string(),
    };
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| bad("图片读不出来"))?;
    let (w, h) = reader
        .into_dimensions()
        .map_err(|_| bad("图片读不出来，文件可能不完整"))?;
    if w.max(h) > MAX_SIDE {
        return Err(bad("图片太大，请用 200–300 dpi 扫描"));
    }
    if w.min(h) < MIN_SIDE {
        return Err(bad(
            "图片太小、太模糊，请用至少 150 dpi 扫描，或离近一点拍照",
        ));
    }
    let img = image::load_from_memory(bytes).map_err(|_| bad("图片读不出来，文件可能不完整"))?;
    Ok(img.to_luma8())
}

/// Every page of an uploaded file, as grey pictures.
pub fn pages(bytes: &[u8]) -> Result<Vec<GrayImage>, InputError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(InputError::TooLarge);
    }
    match kind_of(bytes).ok_or(InputError::Kind)? {
        Kind::Jpeg | Kind::Png => Ok(vec![picture(bytes, 1)?]),
        Kind::Pdf => {
            let images = pdf::page_images(bytes).map_err(InputError::Pdf)?;
            if images.len() > MAX_PAGES {
                return Err(InputError::TooManyPages);
            }
            images
                .into_iter()
                .enumerate()
                .map(|(i, im)| {
                    pdf::to_gray(&im)
                        .map_err(|why| InputError::Page { page: i + 1, why })
                        .and_then(|g| match g {
                            pdf::Decoded::Gray(g) => Ok(g),
                            pdf::Decoded::Jpeg(bytes) => picture(&bytes, i + 1),
                        })
                })
                .collect()
        }
    }
}
