//! Pen strokes on a page and what a scanner or a phone does to the page afterwards: turning,
//! a little perspective, resampling to the scan's resolution, blur, noise and JPEG.

use image::GrayImage;

use super::Rng;
use crate::scan::geometry::{sample, Homography};

/// A pen: stroke width in pixels and ink grey (0 black, 255 paper).
#[derive(Debug, Clone, Copy)]
pub struct Pen {
    pub width: f64,
    pub ink: f64,
}

/// Inks the pixels within `pen.width / 2` of the segment `a`–`b`, with soft edges.
pub fn segment(img: &mut GrayImage, a: (f64, f64), b: (f64, f64), pen: Pen) {
    let r = pen.width / 2.0;
    let (w, h) = (img.width() as i64, img.height() as i64);
    let x0 = ((a.0.min(b.0) - r - 1.0).floor() as i64).max(0);
    let x1 = ((a.0.max(b.0) + r + 1.0).ceil() as i64).min(w - 1);
    let y0 = ((a.1.min(b.1) - r - 1.0).floor() as i64).max(0);
    let y1 = ((a.1.max(b.1) + r + 1.0).ceil() as i64).min(h - 1);
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = (dx * dx + dy * dy).max(1e-9);
    let darken = 1.0 - pen.ink / 255.0;
    for y in y0..=y1 {
        for x in x0..=x1 {
            let (px, py) = (x as f64 + 0.5, y as f64 + 0.5);
            let t = (((px - a.0) * dx + (py - a.1) * dy) / len2).clamp(0.0, 1.0);
            let d = ((px - a.0 - t * dx).powi(2) + (py - a.1 - t * dy).powi(2)).sqrt();
            let cover = (r + 0.5 - d).clamp(0.0, 1.0);
            if cover > 0.0 {
                let p = img.get_pixel_mut(x as u32, y as u32);
                let v = f64::from(p.0[0]) * (1.0 - cover * darken);
                p.0[0] = v.round().clamp(0.0, 255.0) as u8;
            }
        }
    }
}

/// A stroke through `points`, one segment after another.
pub fn polyline(img: &mut GrayImage, points: &[(f64, f64)], pen: Pen) {
    for pair in points.windows(2) {
        segment(img, pair[0], pair[1], pen);
    }
}

/// What happens to a filled page between the parent's pen and the upload.
#[derive(Debug, Clone, Copy)]
pub struct Distortion {
    /// The scan's resolution.
    pub dpi: f64,
    /// Quarter turns of the slip on the glass (0 upright, 2 upside down).
    pub quarter_turns: u8,
}

/// The page a scanner would give of `slip` (at `base_dpi`), laid on the glass with a random
/// small turn and offset, read at `d.dpi` with a little blur, noise and JPEG at quality 60–90.
/// Returns the decoded grey page and its JPEG bytes.
pub fn scan(
    slip: &GrayImage,
    base_dpi: f64,
    d: Distortion,
    rng: &mut Rng,
) -> Option<(GrayImage, Vec<u8>)> {
    let scale = d.dpi / base_dpi;
    let sideways = d.quarter_turns % 2 == 1;
    let (pw, ph) = if sideways {
        (297.0, 210.0)
    } else {
        (210.0, 297.0)
    };
    let per_mm = d.dpi / 25.4;
    let (cw, ch) = ((pw * per_mm) as u32, (ph * per_mm) as u32);
    let angle = f64::from(d.quarter_turns) * std::f64::consts::FRAC_PI_2
        + rng.range(-5.0, 5.0).to_radians();
    let (sin, cos) = angle.sin_cos();
    let (sw, sh) = (f64::from(slip.width()), f64::from(slip.height()));
    let src = [(0.0, 0.0), (sw, 0.0), (0.0, sh), (sw, sh)];
    let turned = src.map(|(x, y)| {
        let (x, y) = (x - sw / 2.0, y - sh / 2.0);
        ((x * cos - y * sin) * scale, (x * sin + y * cos) * scale)
    });
    let (min_x, max_x) = turned
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (min_y, max_y) = turned
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let slack_x = (f64::from(cw) - (max_x - min_x)).max(0.0);
    let slack_y = (f64::from(ch) - (max_y - min_y)).max(0.0);
    let (ox, oy) = (
        f64::from(cw) / 2.0 + rng.range(-0.45, 0.45) * slack_x,
        f64::from(ch) / 2.0 + rng.range(-0.45, 0.45) * slack_y,
    );
    let wobble = 0.004 * f64::from(cw.max(ch));
    let dst = turned.map(|(x, y)| {
        (
            x + ox + rng.range(-wobble, wobble),
            y + oy + rng.range(-wobble, wobble),
        )
    });
    let back = Homography::through(dst, src)?;
    let lid = rng.range(244.0, 254.0) as f32;
    let (paper, ink) = (rng.range(220.0, 252.0) as f32, rng.range(0.0, 45.0) as f32);
    let mut page = GrayImage::new(cw, ch);
    for (x, y, p) in page.enumerate_pixels_mut() {
        let (u, v) = back.map((f64::from(x) + 0.5, f64::from(y) + 0.5));
        let g = if u < 0.0 || v < 0.0 || u >= sw || v >= sh {
            lid
        } else {
            ink + (paper - ink) * sample(slip, u - 0.5, v - 0.5) / 255.0
        };
        p.0[0] = g.round().clamp(0.0, 255.0) as u8;
    }
    let page = blur(&page, rng.range(0.05, 0.25) as f32);
    let mut page = page;
    let noise = rng.range(1.0, 6.0);
    for p in page.pixels_mut() {
        let n = (rng.unit() + rng.unit() + rng.unit() - 1.5) * 2.0 * noise;
        p.0[0] = (f64::from(p.0[0]) + n).round().clamp(0.0, 255.0) as u8;
    }
    let quality = 60 + (rng.next() % 31) as u8;
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality)
        .encode_image(&page)
        .ok()?;
    let decoded = image::load_from_memory(&jpeg).ok()?.to_luma8();
    Some((decoded, jpeg))
}

/// A separable blur with weights `a, 1 - 2a, a` across and down.
fn blur(img: &GrayImage, a: f32) -> GrayImage {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let src = img.as_raw();
    let mut tmp = vec![0f32; w * h];
    for y in 0..h {
        let row = &src[y * w..(y + 1) * w];
        for x in 0..w {
            let l = row[x.saturating_sub(1)];
            let r = row[(x + 1).min(w - 1)];
            tmp[y * w + x] =
                a * f32::from(l) + (1.0 - 2.0 * a) * f32::from(row[x]) + a * f32::from(r);
        }
    }
    let mut out = vec![0u8; w * h];
    for y in 0..h {
        let (up, down) = (y.saturating_sub(1), (y + 1).min(h - 1));
        for x in 0..w {
            let v = a * tmp[up * w + x] + (1.0 - 2.0 * a) * tmp[y * w + x] + a * tmp[down * w + x];
            out[y * w + x] = v.round().clamp(0.0, 255.0) as u8;
        }
    }
    GrayImage::from_raw(img.width(), img.height(), out).unwrap_or_else(|| img.clone())
}
