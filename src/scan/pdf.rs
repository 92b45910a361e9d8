//! The pictures inside a scan-to-PDF file. A copier writes each scanned page as one picture
//! (usually JPEG, sometimes deflated raw pixels); these are taken out as they are, in the order
//! the file holds them, without drawing the PDF. Soft masks and thumbnails are skipped, and
//! fax-style black-and-white compression is refused with advice.

use std::collections::HashSet;
use std::io::Read;

use image::GrayImage;

use super::input::{MAX_SIDE, MIN_SIDE};

/// Most bytes one page's pixels may inflate to.
const MAX_INFLATED: usize = 200 * 1024 * 1024;

/// One picture object.
pub struct PdfImage {
    width: u32,
    height: u32,
    bits: u32,
    colours: Option<u32>,
    filters: Vec<String>,
    predictor: u32,
    invert: bool,
    data: Vec<u8>,
}

/// A picture ready to read: grey pixels, or a JPEG to decode.
pub enum Decoded {
    Gray(GrayImage),
    Jpeg(Vec<u8>),
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The dictionary starting at `start` (at its `<<`), to its matching `>>`.
fn dictionary(bytes: &[u8], start: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut i = start;
    while i + 1 < bytes.len() {
        match &bytes[i..i + 2] {
            b"<<" => {
                depth += 1;
                i += 2;
            }
            b">>" => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Some((start, i));
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// The token after `/key` in a dictionary's text.
fn value<'a>(dict: &'a str, key: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(p) = dict[from..].find(key) {
        let at = from + p + key.len();
        let next = dict[at..].chars().next();
        if next.is_some_and(|c| c.is_ascii_alphanumeric()) {
            from = at;
            continue;
        }
        return Some(dict[at..].trim_start());
    }
    None
}

fn number(dict: &str, key: &str) -> Option<u32> {
    let v = value(dict, key)?;
    let end = v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len());
    v[..end].parse().ok()
}

/// The object numbers a key refers to anywhere in the file (`/SMask 12 0 R`).
fn referenced(text: &str, key: &str) -> HashSet<u32> {
    let mut out = HashSet::new();
    let mut from = 0;
    while let Some(p) = text[from..].find(key) {
        let at = from + p + key.len();
        let rest = text[at..].trim_start();
        let end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if let Ok(n) = rest[..end].parse() {
            out.insert(n);
        }
        from = at;
    }
    out
}

/// The object number of the `N 0 obj` that ends just before `at`.
fn object_number(bytes: &[u8], at: usize) -> Option<u32> {
    let head = &bytes[at.saturating_sub(40)..at];
    let text = String::from_utf8_lossy(head);
    let before = text.rsplit_once("obj")?.0.trim_end();
    let mut parts = before.rsplitn(3, |c: char| c.is_whitespace());
    let _generation = parts.next()?;
    let n = parts.next()?;
    n.rsplit(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

/// Every page picture of a PDF, in file order.
pub fn page_images(bytes: &[u8]) -> Result<Vec<PdfImage>, String> {
    let text = String::from_utf8_lossy(bytes);
    if text.contains("/Encrypt") {
        return Err("文件加了密码或限制，请在复印机上关掉加密后重新扫描。".into());
    }
    let mut skip = referenced(&text, "/SMask");
    skip.extend(referenced(&text, "/Mask"));
    skip.extend(referenced(&text, "/Thumb"));
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(obj) = find(bytes, b"obj", from) {
        from = obj + 3;
        let Some(open) = find(bytes, b"<<", from)
            .filter(|o| bytes[from..*o].iter().all(u8::is_ascii_whitespace))
        else {
            continue;
        };
        let Some((s, e)) = dictionary(bytes, open) else {
            break;
        };
        let dict = String::from_utf8_lossy(&bytes[s..e]).replace(['\r', '\n'], " ");
        let compact = dict.replace(' ', "");
        let after = bytes[e..]
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .map(|p| e + p);
        let is_stream = after.is_some_and(|a| bytes[a..].starts_with(b"stream"));
        if !compact.contains("/Subtype/Image") || !is_stream {
            from = e;
            continue;
        }
        if object_number(bytes, obj + 3).is_some_and(|n| skip.contains(&n))
            || compact.contains("/ImageMasktrue")
        {
            from = e;
            continue;
        }
        let Some(a) = after else { break };
        let mut start = a + b"stream".len();
        if bytes[start..].starts_with(b"\r\n") {
            start += 2;
        } else if bytes[start..].starts_with(b"\n") {
            start += 1;
        }
        let direct = value(&dict, "/Length").and_then(|v| {
            let t: Vec<&str> = v.split_whitespace().take(3).collect();
            let indirect = t.get(2).is_some_and(|r| r.starts_with('R'));
            if indirect {
                None
            } else {
                t.first()?
                    .trim_end_matches(|c: char| !c.is_ascii_digit())
                    .parse::<usize>()
                    .ok()
            }
        });
        let end = match direct.and_then(|n| start.checked_add(n)) {
            Some(end) if end <= bytes.len() => end,
            _ => find(bytes, b"endstream", start).ok_or("文件不完整（缺少图片数据的结尾）")?,
        };
        let data = bytes[start..end].to_vec();
        let filters: Vec<String> = value(&dict, "/Filter")
            .map(|v| {
                let v = if v.starts_with('[') {
                    &v[1..v.find(']').unwrap_or(v.len())]
                } else {
                    v.split_whitespace().next().unwrap_or("")
                };
                v.split('/')
                    .map(|f| f.trim().trim_end_matches(['>', '/']).to_string())
                    .filter(|f| !f.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let colours = value(&dict, "/ColorSpace").and_then(|v| {
            if v.starts_with("/DeviceGray") || v.starts_with("/CalGray") {
                Some(1)
            } else if v.starts_with("/DeviceRGB") || v.starts_with("/CalRGB") {
                Some(3)
            } else if v.starts_with("/DeviceCMYK") {
                Some(4)
            } else {
                None
            }
        });
        out.push(PdfImage {
            width: number(&dict, "/Width").ok_or("图片缺少宽度")?,
            height: number(&dict, "/Height").ok_or("图片缺少高度")?,
            bits: number(&dict, "/BitsPerComponent").unwrap_or(8),
            colours,
            filters,
            predictor: number(&dict, "/Predictor").unwrap_or(1),
            invert: compact.contains("/Decode[10]"),
            data,
        });
        from = end;
    }
    if out.is_empty() {
        return Err(
            "文件里没有扫描图片。请上传复印机“扫描到 PDF”得到的文件，不要上传电脑上另存的 PDF。"
                .into(),
        );
    }
    Ok(out)
}

/// Undoes PNG row predictors (`/Predictor` 10–15) on rows of `row` bytes, `bpp` bytes a pixel.
fn unpredict(data: &[u8], row: usize, bpp: usize) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(data.len());
    let mut prev = vec![0u8; row];
    for chunk in data.chunks(row + 1) {
        if chunk.len() < row + 1 {
            break;
        }
        let (kind, line) = (chunk[0], &chunk[1..]);
        let mut cur = vec![0u8; row];
        for i in 0..row {
            let a = if i >= bpp { cur[i - bpp] } else { 0 };
            let b = prev[i];
            let c = if i >= bpp { prev[i - bpp] } else { 0 };
            let pred = match kind {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                4 => {
                    let p = i16::from(a) + i16::from(b) - i16::from(c);
                    let (pa, pb, pc) = (
                        (p - i16::from(a)).abs(),
                        (p - i16::from(b)).abs(),
                        (p - i16::from(c)).abs(),
                    );
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                _ => return Err("图片数据损坏".into()),
            };
            cur[i] = line[i].wrapping_add(pred);
        }
        out.extend_from_slice(&cur);
        prev = cur;
    }
    Ok(out)
}

/// A picture as grey pixels (or its JPEG bytes).
pub fn to_gray(im: &PdfImage) -> Result<Decoded, String> {
    let filters: Vec<&str> = im.filters.iter().map(String::as_str).collect();
    if filters
        .iter()
        .any(|f| matches!(*f, "CCITTFaxDecode" | "JBIG2Decode" | "JPXDecode"))
    {
        return Err("扫描用的是黑白传真或 JPEG 2000 压缩，读不出来。请在复印机上选“灰度”或“彩色”、“JPEG”扫描后重新上传。".into());
    }
    if im.width.max(im.height) > MAX_SIDE {
        return Err("图片太大，请用 200–300 dpi 扫描".into());
    }
    if im.width.min(im.height) < MIN_SIDE {
        return Err("图片太小、太模糊，请用至少 150 dpi 扫描".into());
    }
    let mut data = im.data.clone();
    for f in &filters {
        match *f {
            "DCTDecode" => return Ok(Decoded::Jpeg(data)),
            "FlateDecode" => {
                let mut out = Vec::new();
                flate2::read::ZlibDecoder::new(data.as_slice())
                    .take(MAX_INFLATED as u64)
                    .read_to_end(&mut out)
                    .map_err(|_| "图片数据损坏，文件可能不完整".to_string())?;
                data = out;
            }
            other => return Err(format!("图片用了读不了的压缩方式（{other}）")),
        }
    }
    let (w, h) = (im.width as usize, im.height as usize);
    let bits = im.bits as usize;
    if !matches!(bits, 1 | 8) {
        return Err("图片的颜色深度读不了，请用 8 位灰度或彩色扫描".into());
    }
    let row_for = |c: usize| (w * c * bits).div_ceil(8);
    let colours = match im.colours {
        Some(c) => c as usize,
        None => [1, 3, 4]
            .into_iter()
            .find(|c| {
                let row = row_for(*c) + usize::from(im.predictor >= 10);
                data.len() == row * h
            })
            .ok_or("图片的颜色格式读不了")?,
    };
    let row = row_for(colours);
    if im.predictor >= 10 {
        data = unpredict(&data, row, (colours * bits).div_ceil(8))?;
    }
    if data.len() < row * h {
        return Err("图片数据不完整".into());
    }
    let img = GrayImage::from_fn(im.width, im.height, |x, y| {
        let (x, y) = (x as usize, y as usize);
        let line = &data[y * row..(y + 1) * row];
        let v = if bits == 1 {
            if line[x / 8] & (0x80 >> (x % 8)) != 0 {
                255
            } else {
                0
            }
        } else {
            match colours {
                1 => line[x],
                3 => {
                    let p = &line[x * 3..x * 3 + 3];
                    ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000)
                        as u8
                }
                _ => {
                    let p = &line[x * 4..x * 4 + 4];
                    let k = 255 - u32::from(p[3]);
                    let grey =
                        (u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114)
                            / 1000;
                    ((255 - grey) * k / 255) as u8
                }
            }
        };
        image::Luma([if im.invert { 255 - v } else { v }])
    });
    Ok(Decoded::Gray(img))
}
