//! Plane geometry for reading a scanned slip: the perspective map from the slip's millimetres
//! to the image's pixels (found from the four corner marks), and grey values sampled between
//! pixels.

use image::GrayImage;

/// A projective map of the plane (a homography), from slip millimetres to image pixels.
#[derive(Debug, Clone, Copy)]
pub struct Homography([f64; 8]);

impl Homography {
    /// The map taking each of `from` to the matching point of `to`; `None` when three of the
    /// points lie on a line.
    pub fn through(from: [(f64, f64); 4], to: [(f64, f64); 4]) -> Option<Self> {
        let mut m = [[0.0_f64; 9]; 8];
        for (i, ((x, y), (u, v))) in from.iter().zip(to.iter()).enumerate() {
            m[2 * i] = [*x, *y, 1.0, 0.0, 0.0, 0.0, -x * u, -y * u, *u];
            m[2 * i + 1] = [0.0, 0.0, 0.0, *x, *y, 1.0, -x * v, -y * v, *v];
        }
        solve(&mut m).map(Homography)
    }

    /// Where the point `(x, y)` goes.
    pub fn map(&self, (x, y): (f64, f64)) -> (f64, f64) {
        let h = &self.0;
        let w = h[6] * x + h[7] * y + 1.0;
        (
            (h[0] * x + h[1] * y + h[2]) / w,
            (h[3] * x + h[4] * y + h[5]) / w,
        )
    }

    /// Image pixels per slip millimetre near `(x, y)`.
    pub fn scale_at(&self, (x, y): (f64, f64)) -> f64 {
        let a = self.map((x, y));
        let b = self.map((x + 1.0, y));
        let c = self.map((x, y + 1.0));
        (dist(a, b) + dist(a, c)) / 2.0
    }
}

pub fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

/// Gaussian elimination with partial pivoting on an 8×9 augmented matrix.
fn solve(m: &mut [[f64; 9]; 8]) -> Option<[f64; 8]> {
    for col in 0..8 {
        let pivot = (col..8).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))?;
        if m[pivot][col].abs() < 1e-12 {
            return None;
        }
        m.swap(col, pivot);
        for row in 0..8 {
            if row != col {
                let f = m[row][col] / m[col][col];
                if f != 0.0 {
                    let pivot_row = m[col];
                    for (v, p) in m[row].iter_mut().zip(pivot_row).skip(col) {
                        *v -= f * p;
                    }
                }
            }
        }
    }
    let mut out = [0.0; 8];
    for (i, o) in out.iter_mut().enumerate() {
        *o = m[i][8] / m[i][i];
    }
    Some(out)
}

/// The grey value at `(x, y)`, interpolated between the four nearest pixels; white outside.
pub fn sample(img: &GrayImage, x: f64, y: f64) -> f32 {
    let (w, h) = (img.width() as i64, img.height() as i64);
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = ((x - x0) as f32, (y - y0) as f32);
    let (x0, y0) = (x0 as i64, y0 as i64);
    let raw = img.as_raw();
    let at = |xi: i64, yi: i64| -> f32 {
        if xi < 0 || yi < 0 || xi >= w || yi >= h {
            255.0
        } else {
            f32::from(raw[(yi * w + xi) as usize])
        }
    };
    let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx;
    let bottom = at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx;
    top * (1.0 - fy) + bottom * fy
}

/// The part of the slip `(x, y, w, h)` mm, straightened and resampled at `per_mm` pixels per
/// millimetre.
pub fn warp(
    img: &GrayImage,
    map: &Homography,
    rect: (f64, f64, f64, f64),
    per_mm: f64,
) -> GrayImage {
    let (x, y, w, h) = rect;
    let (cols, rows) = (
        (w * per_mm).round().max(1.0) as u32,
        (h * per_mm).round().max(1.0) as u32,
    );
    GrayImage::from_fn(cols, rows, |c, r| {
        let p = map.map((
            x + (f64::from(c) + 0.5) / per_mm,
            y + (f64::from(r) + 0.5) / per_mm,
        ));
        image::Luma([sample(img, p.0, p.1).round().clamp(0.0, 255.0) as u8])
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_homography_maps_its_four_points_and_keeps_lines_straight() {
        let from = [(0.0, 0.0), (100.0, 0.0), (0.0, 200.0), (100.0, 200.0)];
        let to = [(10.0, 12.0), (410.0, 30.0), (5.0, 820.0), (420.0, 790.0)];
        let h = Homography::through(from, to).unwrap();
        for (a, b) in from.iter().zip(to.iter()) {
            let p = h.map(*a);
            assert!(dist(p, *b) < 1e-6, "{p:?} vs {b:?}");
        }
        assert!(Homography::through([(0.0, 0.0); 4], to).is_none());
    }
}
