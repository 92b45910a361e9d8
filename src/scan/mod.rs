//! Reading returned paper reply slips (回执) from scans and photos (OMR): find the slip by its
//! corner marks, turn it upright by its QR code, map the slip's millimetres onto the picture
//! (rotation, skew and perspective alike), and read every tick box where the printed layout
//! put it. The scanner never guesses: a doubtful question goes to a person.
//!
//! * [`input`] turns an upload (a copier's PDF, JPEG or PNG photos) into grey pages.
//! * [`locate`] finds a slip and its QR code on a page.
//! * [`read`] reads the boxes of a located slip, given its layout.

mod boxes;
pub mod corpus;
mod geometry;
pub mod input;
mod marks;
mod pdf;
mod strike;

use image::GrayImage;

pub use boxes::{Doubt, Outcome, QuestionReading};
use geometry::{dist, Homography};

use crate::domain::slip::{Scanned, Serial};
use crate::domain::slip_layout::{SlipLayout, MARK, QR, WIDTH};

/// Why nothing could be read from a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageProblem {
    /// No four corner marks.
    NoSlip,
    /// Marks, but no readable QR code where the slip has it.
    NoCode,
    /// A QR code that is not one of this platform's slips.
    Foreign,
    /// The marks do not match the slip's printed shape (shrunk to fit, or cut).
    Shape,
    /// Too little contrast to tell ink from paper.
    Faint,
}

impl PageProblem {
    /// What the person who uploaded the page is told.
    pub fn text(&self) -> &'static str {
        match self {
            PageProblem::NoSlip => "找不到回执四角的黑色定位块。请确认整张回执都在画面里、没有被折到或遮住，再重新扫描或拍照。",
            PageProblem::NoCode => "读不出回执右上角的二维码。请确认二维码清楚、没有被涂写或折坏，再重新扫描；也可以改用键盘录入这张回执。",
            PageProblem::Foreign => "这一页的二维码不是本平台打印的回执。",
            PageProblem::Shape => "回执的大小或形状与打印的版式对不上（可能是缩小打印、只扫了一部分，或拍得太斜）。请重新扫描，或改用键盘录入。",
            PageProblem::Faint => "这一页太暗或太淡，分不清笔迹和纸。请调整扫描的亮度后重新扫描。",
        }
    }
}

/// A slip found on a page: what its QR code says, and its corner marks' centres as the slip is
/// turned (top left, top right, bottom left, bottom right of the slip).
#[derive(Debug, Clone)]
pub struct Found {
    pub scanned: Scanned,
    corners: [(f64, f64); 4],
}

impl Found {
    /// The map from the slip's millimetres (as `layout` places things) to the page's pixels.
    fn map_to(&self, layout: &SlipLayout) -> Option<Homography> {
        let half = f64::from(MARK) / 2.0;
        let (w, h) = (f64::from(layout.width), f64::from(layout.height));
        let mm = [
            (half, half),
            (w - half, half),
            (half, h - half),
            (w - half, h - half),
        ];
        Homography::through(mm, self.corners)
    }
}

/// The four ways a slip can lie on a page (upright, upside down, on either side), as the order
/// in which the page's corners are the slip's.
const TURNS: [[usize; 4]; 4] = [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]];

/// Finds the slip on `img` and reads its QR code.
pub fn locate(img: &GrayImage) -> Result<Found, PageProblem> {
    let corners = marks::find(img).map_err(|_| PageProblem::NoSlip)?;
    let mut foreign = false;
    for step in QR_STEPS {
        for turn in TURNS {
            let c = turn.map(|i| corners.points[i]);
            if let Some(text) = qr_sampled(img, c[0], c[1], step) {
                match Serial::parse(&text) {
                    Ok(scanned) if scanned.layout.is_some() => {
                        return Ok(Found {
                            scanned,
                            corners: c,
                        })
                    }
                    _ => foreign = true,
                }
            }
        }
        if foreign {
            break;
        }
    }
    Err(if foreign {
        PageProblem::Foreign
    } else {
        PageProblem::NoCode
    })
}

/// Resolutions (pixels per mm) the QR code is resampled at for the decoder, tried in turn: a
/// blurred or compressed code that one grid misses is often read on another.
const QR_STEPS: [f64; 4] = [10.0, 8.0, 12.0, 6.5];

/// The QR code's text, for a slip whose top-left and top-right marks are centred at `tl`, `tr`,
/// its part of the slip resampled at `step` pixels per mm.
fn qr_sampled(img: &GrayImage, tl: (f64, f64), tr: (f64, f64), step: f64) -> Option<String> {
    let span = f64::from(WIDTH - MARK);
    let u = ((tr.0 - tl.0) / span, (tr.1 - tl.1) / span);
    let v = (-u.1, u.0);
    let half = f64::from(MARK) / 2.0;
    let at = |x: f64, y: f64| {
        let (dx, dy) = (x - half, y - half);
        (tl.0 + u.0 * dx + v.0 * dy, tl.1 + u.1 * dx + v.1 * dy)
    };
    let x0 = f64::from(WIDTH) - 9.0 - f64::from(QR) - 3.0;
    let (y0, size) = (4.0, f64::from(QR) + 6.0);
    let n = (size * step).round() as usize;
    let mut px = vec![255u8; n * n];
    for r in 0..n {
        for c in 0..n {
            let (x, y) = at(x0 + (c as f64 + 0.5) / step, y0 + (r as f64 + 0.5) / step);
            px[r * n + c] = geometry::sample(img, x, y).round().clamp(0.0, 255.0) as u8;
        }
    }
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(n, n, |x, y| px[y * n + x]);
    prepared
        .detect_grids()
        .into_iter()
        .find_map(|g| g.decode().ok().map(|(_, text)| text))
}

/// The map from the slip's millimetres to the page's pixels, when the marks match the layout's
/// shape.
fn map_of(found: &Found, layout: &SlipLayout) -> Result<Homography, PageProblem> {
    let [tl, tr, bl, br] = found.corners;
    let expected = f64::from(layout.height - MARK) / f64::from(layout.width - MARK);
    let measured = (dist(tl, bl) + dist(tr, br)) / (dist(tl, tr) + dist(bl, br));
    if (measured / expected - 1.0).abs() > 0.12 {
        return Err(PageProblem::Shape);
    }
    found.map_to(layout).ok_or(PageProblem::Shape)
}

/// Where a point of the slip (in millimetres) lies on the page.
pub fn page_point(
    found: &Found,
    layout: &SlipLayout,
    mm: (f64, f64),
) -> Result<(f64, f64), PageProblem> {
    Ok(map_of(found, layout)?.map(mm))
}

/// Reads the boxes of a found slip laid out as `layout`.
pub fn read(
    img: &GrayImage,
    found: &Found,
    layout: &SlipLayout,
) -> Result<Vec<QuestionReading>, PageProblem> {
    let map = map_of(found, layout)?;
    boxes::read(img, &map, layout).ok_or(PageProblem::Faint)
}
