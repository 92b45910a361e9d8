//! Files attached to a typical case: what they are is read from their content, never their
//! name, and images lose their metadata (EXIF with its GPS position, XMP, IPTC, comments,
//! PNG text chunks) before anything is stored.

/// The kinds of file a case may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Jpeg,
    Png,
    Pdf,
}

impl FileKind {
    pub fn db_code(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpeg",
            FileKind::Png => "png",
            FileKind::Pdf => "pdf",
        }
    }

    pub fn from_db_code(s: &str) -> Option<Self> {
        [FileKind::Jpeg, FileKind::Png, FileKind::Pdf]
            .into_iter()
            .find(|k| k.db_code() == s)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Pdf => "application/pdf",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
            FileKind::Pdf => "pdf",
        }
    }

    pub fn is_image(self) -> bool {
        self != FileKind::Pdf
    }
}

/// Most files on one case.
pub const MAX_FILES: usize = 9;
/// Largest file, in bytes.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The kind of `bytes`, by their content alone.
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileKind::Jpeg)
    } else if bytes.starts_with(PNG_SIGNATURE) {
        Some(FileKind::Png)
    } else if bytes.starts_with(b"%PDF-") {
        Some(FileKind::Pdf)
    } else {
        None
    }
}

/// A file checked and cleaned, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanFile {
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

/// Checks one file (`name` only for the messages) and strips an image's metadata; the error
/// is the message for the person uploading it.
pub fn clean(name: &str, bytes: Vec<u8>) -> Result<CleanFile, String> {
    if bytes.is_empty() {
        return Err(format!("文件“{name}”是空的。"));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!("文件“{name}”超过 10 MB，请压缩后再上传。"));
    }
    let kind = sniff(&bytes).ok_or_else(|| {
        format!("文件“{name}”不是 JPEG、PNG 图片或 PDF 文件（按文件内容判断，与扩展名无关）。")
    })?;
    let bytes = match kind {
        FileKind::Jpeg => strip_jpeg(&bytes),
        FileKind::Png => strip_png(&bytes),
        FileKind::Pdf => {
            if !bytes.windows(5).any(|w| w == b"%%EOF") {
                return Err(format!("文件“{name}”不是完整的 PDF 文件。"));
            }
            Some(bytes)
        }
    }
    .ok_or_else(|| format!("文件“{name}”已损坏，无法读取。"))?;
    Ok(CleanFile { kind, bytes })
}

/// A JPEG without its APP1 (EXIF, XMP), APP13 (IPTC) and comment segments; `None` if its
/// segments do not parse.
pub fn strip_jpeg(src: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(src.len());
    out.extend_from_slice(&src[..2]);
    let mut i = 2;
    loop {
        // Fill bytes (0xFF) may precede a marker.
        while src.get(i) == Some(&0xFF) && src.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        if src.get(i) != Some(&0xFF) {
            return None;
        }
        let marker = *src.get(i + 1)?;
        match marker {
            // Start of scan: the entropy-coded data and everything after it are kept as is.
            0xDA => {
                out.extend_from_slice(&src[i..]);
                return Some(out);
            }
            0xD9 => {
                out.extend_from_slice(&src[i..i + 2]);
                return Some(out);
            }
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&src[i..i + 2]);
                i += 2;
            }
            _ => {
                let len = usize::from(u16::from_be_bytes([*src.get(i + 2)?, *src.get(i + 3)?]));
                if len < 2 || i + 2 + len > src.len() {
                    return None;
                }
                let end = i + 2 + len;
                if !matches!(marker, 0xE1 | 0xED | 0xFE) {
                    out.extend_from_slice(&src[i..end]);
                }
                i = end;
            }
        }
    }
}

/// A PNG without its text, EXIF and time chunks; `None` if its chunks do not parse.
pub fn strip_png(src: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(src.len());
    out.extend_from_slice(PNG_SIGNATURE);
    let mut i = PNG_SIGNATURE.len();
    while i < src.len() {
        let len = u32::from_be_bytes(src.get(i..i + 4)?.try_into().ok()?) as usize;
        let kind = src.get(i + 4..i + 8)?;
        let end = i.checked_add(12)?.checked_add(len)?;
        if end > src.len() {
            return None;
        }
        if !matches!(kind, b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME") {
            out.extend_from_slice(&src[i..end]);
        }
        i = end;
        if kind == b"IEND" {
            return Some(out);
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A minimal JPEG: SOI, an EXIF APP1 with a GPS tag, a comment, a DQT, SOS, data, EOI.
    pub fn jpeg_with_gps() -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        let exif = b"Exif\0\0MM\0*GPSLatitude 24.78N";
        v.extend_from_slice(&[0xFF, 0xE1]);
        v.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
        v.extend_from_slice(exif);
        v.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x07]);
        v.extend_from_slice(b"hello");
        v.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x04, 0x00, 0x01]);
        v.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x12, 0x34, 0xFF, 0xD9]);
        v
    }

    #[test]
    fn jpeg_metadata_is_stripped_and_the_image_kept() {
        let src = jpeg_with_gps();
        let clean = clean("a.jpg", src).unwrap();
        assert_eq!(clean.kind, FileKind::Jpeg);
        let s = String::from_utf8_lossy(&clean.bytes);
        assert!(!s.contains("Exif") && !s.contains("GPS") && !s.contains("hello"));
        assert_eq!(
            clean.bytes,
            vec![
                0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x04, 0x00, 0x01, 0xFF, 0xDA, 0x00, 0x02, 0x12, 0x34,
                0xFF, 0xD9
            ]
        );
    }

    #[test]
    fn png_text_chunks_are_stripped() {
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            c.extend_from_slice(&[0, 0, 0, 0]);
            c
        };
        let mut src = PNG_SIGNATURE.to_vec();
        src.extend(chunk(b"IHDR", &[0; 13]));
        src.extend(chunk(b"tEXt", b"GPS\0here"));
        src.extend(chunk(b"eXIf", b"MM\0*"));
        src.extend(chunk(b"IDAT", &[1, 2, 3]));
        src.extend(chunk(b"IEND", &[]));
        let out = clean("a.png", src).unwrap().bytes;
        let s = String::from_utf8_lossy(&out);
        assert!(!s.contains("GPS") && !s.contains("eXIf") && s.contains("IDAT"));
    }

    #[test]
    fn the_content_decides_not_the_name() {
        assert!(clean("photo.jpg", b"MZ\x90\0 not an image".to_vec()).is_err());
        assert!(clean("a.pdf", b"<html><script>".to_vec()).is_err());
        assert!(clean("x.jpg", vec![0xFF, 0xD8, 0xFF, 0xE1, 0xFF]).is_err());
        assert!(clean("big.pdf", vec![b'%'; MAX_FILE_BYTES + 1]).is_err());
        assert_eq!(
            clean("doc.bin", b"%PDF-1.4\n...\n%%EOF".to_vec())
                .unwrap()
                .kind,
            FileKind::Pdf
        );
    }
}
