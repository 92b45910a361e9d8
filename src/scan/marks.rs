//! Finding a slip's four solid corner marks on a page, whatever the scan's resolution and
//! however the slip lies: the page is shrunk, inked parts are separated from paper against
//! their surroundings (so uneven light in a phone photo does not matter), and the solid square
//! blobs nearest the page's corners are taken and measured again at full resolution.

use image::GrayImage;

use super::geometry::dist;

/// The corner marks' centres in the image: top left, top right, bottom left, bottom right as
/// the page lies (not yet as the slip is turned).
#[derive(Debug, Clone, Copy)]
pub struct Corners {
    pub points: [(f64, f64); 4],
}

/// Why no slip was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarksProblem {
    /// Fewer than four solid squares.
    Missing,
    /// Four were found but do not make a slip's rectangle.
    Shape,
}

struct Blob {
    min: (usize, usize),
    max: (usize, usize),
    count: usize,
    sum: (f64, f64),
}

/// The page's long side after shrinking, in pixels.
const SMALL_SIDE: usize = 900;

/// Averages `f`×`f` blocks.
fn shrink(img: &GrayImage, f: usize) -> (Vec<u8>, usize, usize) {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let (sw, sh) = (w / f, h / f);
    let raw = img.as_raw();
    let mut out = vec![0u8; sw * sh];
    let mut acc = vec![0u32; sw];
    for sy in 0..sh {
        acc.iter_mut().for_each(|a| *a = 0);
        for y in sy * f..sy * f + f {
            let row = &raw[y * w..y * w + sw * f];
            for (sx, chunk) in row.chunks_exact(f).enumerate() {
                acc[sx] += chunk.iter().map(|&v| u32::from(v)).sum::<u32>();
            }
        }
        let n = (f * f) as u32;
        for (o, a) in out[sy * sw..(sy + 1) * sw].iter_mut().zip(&acc) {
            *o = (a / n) as u8;
        }
    }
    (out, sw, sh)
}

/// Ink against its surroundings: darker than the mean of a window around it by a clear margin.
fn ink_mask(px: &[u8], w: usize, h: usize) -> Vec<bool> {
    let r = (w.max(h) / 60).max(4);
    let mut integral = vec![0u64; (w + 1) * (h + 1)];
    for y in 0..h {
        let mut row = 0u64;
        for x in 0..w {
            row += u64::from(px[y * w + x]);
            integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row;
        }
    }
    let mut mask = vec![false; w * h];
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            let sum = integral[y1 * (w + 1) + x1] + integral[y0 * (w + 1) + x0]
                - integral[y0 * (w + 1) + x1]
                - integral[y1 * (w + 1) + x0];
            let mean = sum as f64 / ((x1 - x0) * (y1 - y0)) as f64;
            let v = f64::from(px[y * w + x]);
            mask[y * w + x] = v < mean - 25.0 && v < mean * 0.75;
        }
    }
    mask
}

/// Connected inked regions (4-neighbours).
fn blobs(mask: &mut [bool], w: usize, h: usize) -> Vec<Blob> {
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for start in 0..mask.len() {
        if !mask[start] {
            continue;
        }
        mask[start] = false;
        stack.push(start);
        let mut b = Blob {
            min: (usize::MAX, usize::MAX),
            max: (0, 0),
            count: 0,
            sum: (0.0, 0.0),
        };
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            b.min = (b.min.0.min(x), b.min.1.min(y));
            b.max = (b.max.0.max(x), b.max.1.max(y));
            b.count += 1;
            b.sum.0 += x as f64;
            b.sum.1 += y as f64;
            let mut push = |j: usize| {
                if mask[j] {
                    mask[j] = false;
                    stack.push(j);
                }
            };
            if x > 0 {
                push(i - 1);
            }
            if x + 1 < w {
                push(i + 1);
            }
            if y > 0 {
                push(i - w);
            }
            if y + 1 < h {
                push(i + w);
            }
        }
        out.push(b);
    }
    out
}

/// A blob that could be a corner mark: solid and about square.
fn solid_square(b: &Blob, page: usize) -> bool {
    let (bw, bh) = (b.max.0 - b.min.0 + 1, b.max.1 - b.min.1 + 1);
    let ratio = bw.max(bh) as f64 / bw.min(bh) as f64;
    bw >= 4
        && bh >= 4
        && ratio <= 1.5
        && b.count as f64 >= 0.7 * (bw * bh) as f64
        && b.count * 50 <= page
}

/// The centre of the ink in a window of the full image: pixels darker than halfway between the
/// window's paper and its ink.
fn refine(img: &GrayImage, centre: (f64, f64), half: f64) -> (f64, f64) {
    let (w, h) = (f64::from(img.width()), f64::from(img.height()));
    let (x0, x1) = (
        (centre.0 - half).max(0.0) as u32,
        (centre.0 + half).min(w - 1.0) as u32,
    );
    let (y0, y1) = (
        (centre.1 - half).max(0.0) as u32,
        (centre.1 + half).min(h - 1.0) as u32,
    );
    let (mut lo, mut hi) = (255u8, 0u8);
    for y in y0..=y1 {
        for x in x0..=x1 {
            let v = img.get_pixel(x, y).0[0];
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    let cut = (u16::from(lo) + u16::from(hi)) / 2;
    let (mut n, mut sx, mut sy) = (0.0, 0.0, 0.0);
    for y in y0..=y1 {
        for x in x0..=x1 {
            if u16::from(img.get_pixel(x, y).0[0]) < cut {
                n += 1.0;
                sx += f64::from(x);
                sy += f64::from(y);
            }
        }
    }
    if n == 0.0 {
        centre
    } else {
        (sx / n + 0.5, sy / n + 0.5)
    }
}

/// The four corner marks of the slip on `img`.
pub fn find(img: &GrayImage) -> Result<Corners, MarksProblem> {
    let long = img.width().max(img.height()) as usize;
    let f = (long / SMALL_SIDE).max(1);
    let (small, sw, sh) = shrink(img, f);
    if sw < 20 || sh < 20 {
        return Err(MarksProblem::Missing);
    }
    let mut mask = ink_mask(&small, sw, sh);
    let mut squares: Vec<Blob> = blobs(&mut mask, sw, sh)
        .into_iter()
        .filter(|b| solid_square(b, sw * sh))
        .collect();
    if squares.len() < 4 {
        return Err(MarksProblem::Missing);
    }
    squares.sort_by_key(|b| std::cmp::Reverse(b.count));
    let reference = squares[3].count as f64;
    squares.retain(|b| b.count as f64 >= 0.35 * reference);
    let centre = |b: &Blob| (b.sum.0 / b.count as f64, b.sum.1 / b.count as f64);
    let pick = |score: &dyn Fn((f64, f64)) -> f64| {
        squares
            .iter()
            .min_by(|a, b| score(centre(a)).total_cmp(&score(centre(b))))
            .map(|b| (centre(b), b.count))
    };
    let picks = [
        pick(&|(x, y)| x + y),
        pick(&|(x, y)| y - x),
        pick(&|(x, y)| x - y),
        pick(&|(x, y)| -x - y),
    ];
    let mut points = [(0.0, 0.0); 4];
    let mut area = 0.0;
    for (p, pick) in points.iter_mut().zip(picks) {
        let ((x, y), count) = pick.ok_or(MarksProblem::Missing)?;
        *p = (x, y);
        area += count as f64 / 4.0;
    }
    let side_small = area.sqrt();
    let scale = f as f64;
    for p in &mut points {
        let full = ((p.0 + 0.5) * scale, (p.1 + 0.5) * scale);
        *p = refine(img, full, side_small * scale * 1.1 + scale);
    }
    let side = side_small * scale;
    let [tl, tr, bl, br] = points;
    let (top, bottom, left, right) = (dist(tl, tr), dist(bl, br), dist(tl, bl), dist(tr, br));
    let similar = |a: f64, b: f64| a > 0.0 && b > 0.0 && (a / b - 1.0).abs() < 0.2;
    let plausible = |len: f64| (15.0..=65.0).contains(&(len / side));
    if !(similar(top, bottom) && similar(left, right) && plausible(top) && plausible(left)) {
        return Err(MarksProblem::Shape);
    }
    Ok(Corners { points })
}
