#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::sync::OnceLock;

use super::*;
use crate::domain::slip_layout::{LaidBox, Marks};
use crate::scan::input;

/// The base page: the real print through Chromium when the browser tests' environment is set
/// (`TEST_CHROMEDRIVER`), otherwise the slip drawn from its layout.
fn base() -> &'static Base {
    static BASE: OnceLock<Base> = OnceLock::new();
    BASE.get_or_init(|| {
        let def = base::shipped_survey().unwrap();
        let layout = base::shipped_layout(&def);
        let page = if let Some(path) = std::env::var_os("CORPUS_BASE") {
            image::open(path).unwrap().to_luma8()
        } else if std::env::var_os("TEST_CHROMEDRIVER").is_some() {
            eprintln!("corpus base: the slip printed by chromium at 300 dpi");
            base::printed(&def, "chromium").unwrap()
        } else {
            eprintln!("corpus base: drawn from the layout (no text); set TEST_CHROMEDRIVER to print it with chromium");
            base::drawn(&def).unwrap()
        };
        Base::new(&page, layout, base::BASE_DPI).unwrap()
    })
}

#[test]
fn a_small_corpus_reads_without_a_silent_error() {
    let spread = Spread {
        dpi: (150.0, 200.0),
        ..Spread::default()
    };
    let report = run(base(), 40, 7, spread);
    eprintln!("{report}");
    assert_eq!(report.pages, 40);
    assert_eq!(report.silently_wrong, 0, "{report}");
    assert_eq!(report.unread_pages, 0, "{report}");
    // Marks in questions with a struck-out option go to a person by design; of the others, 99%
    // are read without one.
    assert!(report.clean_read_share() >= 0.99, "{report}");
}

#[test]
fn struck_out_answers_go_to_review_and_are_never_read_as_struck() {
    let spread = Spread {
        dpi: (150.0, 200.0),
        struck: 0.5,
        ..Spread::default()
    };
    let report = run(base(), 6, 11, spread);
    eprintln!("{report}");
    assert!(report.struck >= 10, "{report}");
    assert_eq!(report.silently_wrong, 0, "{report}");
    assert_eq!(report.struck_reviewed, report.struck, "{report}");
}

#[test]
fn upside_down_and_sideways_pages_read() {
    for (upside_down, sideways) in [(1.0, 0.0), (0.0, 1.0)] {
        let spread = Spread {
            dpi: (200.0, 200.0),
            upside_down,
            sideways,
            struck: 0.0,
        };
        let s = sample(base(), spread, &mut Rng::new(3)).unwrap();
        assert_ne!(s.quarter_turns, 0);
        let mut report = Report::default();
        report.add(&s, scan(&s, &base().layout));
        assert_eq!(report.unread_pages, 0, "{report}");
        assert_eq!(report.silently_wrong, 0, "{report}");
    }
}

#[test]
fn a_page_without_a_slip_is_no_slip() {
    let mut rng = Rng::new(5);
    let mut page = GrayImage::from_pixel(1654, 2339, image::Luma([245]));
    for _ in 0..40 {
        let (x, y) = (rng.range(100.0, 1500.0), rng.range(100.0, 2200.0));
        let pen = draw::Pen {
            width: 3.0,
            ink: 30.0,
        };
        draw::segment(&mut page, (x, y), (x + rng.range(5.0, 120.0), y), pen);
    }
    assert_eq!(locate(&page).unwrap_err(), PageProblem::NoSlip);
    let white = GrayImage::from_pixel(1654, 2339, image::Luma([250]));
    assert_eq!(locate(&white).unwrap_err(), PageProblem::NoSlip);
    let tiny = GrayImage::from_pixel(3, 2, image::Luma([0]));
    assert!(locate(&tiny).is_err());
}

/// Ticks in the given boxes of a clean base and the page scanned at 200 dpi, upright.
fn ticked(boxes: &[&LaidBox]) -> GrayImage {
    let b = base();
    let mut img = b.page.clone();
    let per_mm = b.dpi / 25.4;
    for bx in boxes {
        let (cx, cy) = bx.square.centre();
        let (cx, cy) = (f64::from(cx), f64::from(cy));
        let pts =
            [(cx - 1.6, cy), (cx - 0.4, cy + 1.4), (cx + 1.8, cy - 1.8)].map(|p| b.to_px.map(p));
        draw::polyline(
            &mut img,
            &pts,
            draw::Pen {
                width: 0.5 * per_mm,
                ink: 40.0,
            },
        );
    }
    let d = draw::Distortion {
        dpi: 200.0,
        quarter_turns: 0,
    };
    draw::scan(&img, b.dpi, d, &mut Rng::new(9)).unwrap().0
}

#[test]
fn two_ticks_in_a_one_answer_question_go_to_review() {
    let layout = &base().layout;
    let (i, q) = layout
        .questions
        .iter()
        .enumerate()
        .find(|(_, q)| matches!(q.marks, Marks::Choice { multi: false, .. }))
        .unwrap();
    let Marks::Choice { boxes, .. } = &q.marks else {
        unreachable!()
    };
    let page = ticked(&[&boxes[0], &boxes[1]]);
    let got = read(&page, &locate(&page).unwrap(), layout).unwrap();
    match &got[i].outcome {
        Outcome::Review {
            doubt,
            looked_marked,
        } => {
            assert_eq!(*doubt, Doubt::TwoMarks);
            assert_eq!(
                looked_marked,
                &vec![boxes[0].key.clone(), boxes[1].key.clone()]
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(got[i].crop.is_some());
    let page = ticked(&[&boxes[1]]);
    let got = read(&page, &locate(&page).unwrap(), layout).unwrap();
    assert_eq!(got[i].outcome, Outcome::Read(vec![boxes[1].value.clone()]));
}

/// A PDF holding one picture per page, as a copier writes it.
fn pdf_of(pictures: &[(u32, u32, &str, Vec<u8>)]) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.4\n".to_vec();
    let n = pictures.len();
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 3 + 3 * i)).collect();
    write!(out, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n").unwrap();
    write!(
        out,
        "2 0 obj\n<< /Type /Pages /Kids [{}] /Count {n} >>\nendobj\n",
        kids.join(" ")
    )
    .unwrap();
    for (i, (w, h, filter, data)) in pictures.iter().enumerate() {
        let (page, content, picture) = (3 + 3 * i, 4 + 3 * i, 5 + 3 * i);
        let draw = format!("q 595 0 0 842 0 0 cm /Im{i} Do Q");
        write!(out, "{page} 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im{i} {picture} 0 R >> >> /Contents {content} 0 R >>\nendobj\n").unwrap();
        write!(
            out,
            "{content} 0 obj\n<< /Length {} >>\nstream\n{draw}\nendstream\nendobj\n",
            draw.len()
        )
        .unwrap();
        write!(out, "{picture} 0 obj\n<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /{filter} /Length {} >>\nstream\n", data.len()).unwrap();
        out.extend_from_slice(data);
        out.extend_from_slice(b"\nendstream\nendobj\n");
    }
    out.extend_from_slice(b"trailer\n<< /Root 1 0 R >>\n%%EOF\n");
    out
}

#[test]
fn a_copier_pdf_of_jpeg_and_deflated_pages_gives_its_pages() {
    let spread = Spread {
        dpi: (150.0, 160.0),
        ..Spread::default()
    };
    let mut rng = Rng::new(21);
    let samples: Vec<Sample> = (0..2)
        .map(|_| sample(base(), spread, &mut rng).unwrap())
        .collect();
    let mut pictures: Vec<(u32, u32, &str, Vec<u8>)> = samples
        .iter()
        .map(|s| (s.page.width(), s.page.height(), "DCTDecode", s.jpeg.clone()))
        .collect();
    let grey = &samples[0].page;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(grey.as_raw()).unwrap();
    pictures.push((
        grey.width(),
        grey.height(),
        "FlateDecode",
        z.finish().unwrap(),
    ));
    let pages = input::pages(&pdf_of(&pictures)).unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[0], samples[0].page);
    assert_eq!(pages[1], samples[1].page);
    assert_eq!(&pages[2], grey);
    let mut report = Report::default();
    for (s, p) in samples.iter().zip(&pages) {
        let found = locate(p).unwrap();
        report.add(s, read(p, &found, &base().layout));
    }
    assert_eq!(report.silently_wrong, 0, "{report}");
}

/// Measures of marked and blank boxes over a corpus, to set the thresholds by:
/// `cargo test --lib scan::corpus::tests::box_measures -- --ignored --nocapture`.
#[test]
#[ignore]
fn box_measures() {
    let spread = Spread {
        dpi: (150.0, 300.0),
        struck: 0.1,
        ..Spread::default()
    };
    let n: usize = std::env::var("CORPUS_SLIPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let mut rng = Rng::new(99);
    let (mut marked, mut blank) = (Vec::new(), Vec::new());
    let (mut strikes, mut missed, mut false_strikes) = (0, 0, 0);
    for _ in 0..n {
        let s = sample(base(), spread, &mut rng).unwrap();
        let Ok(found) = locate(&s.page) else { continue };
        let map = found.map_to(&base().layout).unwrap();
        let (m, baseline) = crate::scan::boxes::measure_all(&s.page, &map, &base().layout).unwrap();
        for ((t, ms), q) in s.truth.iter().zip(&m).zip(&base().layout.questions) {
            let struck_i = t.struck.as_ref().and_then(|k| {
                crate::scan::boxes::boxes_of(q)
                    .iter()
                    .position(|b| &b.key == k)
            });
            for (i, (mm, inked)) in ms.iter().zip(&t.inked).enumerate() {
                let v = mm.inside - baseline;
                if *inked {
                    marked.push(v)
                } else {
                    blank.push(v)
                }
                if struck_i == Some(i) {
                    strikes += 1;
                    missed += usize::from(!mm.struck);
                } else if mm.struck {
                    false_strikes += 1;
                }
            }
        }
    }
    marked.sort_by(f32::total_cmp);
    blank.sort_by(f32::total_cmp);
    eprintln!("marked lowest: {:?}", &marked[..marked.len().min(15)]);
    eprintln!(
        "blank highest: {:?}",
        &blank[blank.len().saturating_sub(15)..]
    );
    eprintln!("strikes {strikes}, missed {missed}, false {false_strikes}");
}

/// Writes the pages the scanner cannot read to /tmp, for a look:
/// `cargo test --lib scan::corpus::tests::dump_unread -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump_unread() {
    let var = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let spread = Spread {
        dpi: (150.0, var("CORPUS_DPI_TO", 200) as f64),
        ..Spread::default()
    };
    let mut rng = Rng::new(var("CORPUS_SEED", 7) as u64);
    for i in 1..=var("CORPUS_SLIPS", 40) {
        let s = sample(base(), spread, &mut rng).unwrap();
        if i == var("CORPUS_PAGE", 0) {
            s.page.save(format!("/tmp/page-{i}.png")).unwrap();
        }
        match scan(&s, &base().layout) {
            Err(p) => {
                let path = format!("/tmp/unread-{i}.png");
                s.page.save(&path).unwrap();
                eprintln!("{path}: {p:?}");
            }
            Ok(got) => {
                for (q, t) in got.iter().zip(&s.truth) {
                    if let (Outcome::Review { doubt, .. }, Some(crop)) = (&q.outcome, &q.crop) {
                        let path = format!("/tmp/review-{i}-{}.png", q.id);
                        std::fs::write(&path, crop).unwrap();
                        eprintln!("{path}: {doubt:?}, struck {:?}", t.struck);
                    }
                }
            }
        }
    }
}

#[test]
fn cut_and_garbled_uploads_give_an_error_not_a_panic() {
    let s = sample(base(), Spread::default(), &mut Rng::new(31)).unwrap();
    let pdf = pdf_of(&[(s.page.width(), s.page.height(), "DCTDecode", s.jpeg.clone())]);
    let mut rng = Rng::new(1);
    for cut in (0..pdf.len()).step_by(997).chain([pdf.len() - 30, 12, 400]) {
        let _ = input::pages(&pdf[..cut.min(pdf.len())]);
        let mut bad = pdf.clone();
        for _ in 0..20 {
            let i = rng.below(bad.len().min(2000));
            bad[i] = rng.next() as u8;
        }
        let _ = input::pages(&bad);
    }
    let lying = String::from_utf8_lossy(&pdf[..600])
        .replace("/Length ", "/Length 18446744073709551615 ")
        .into_bytes();
    let _ = input::pages(&lying);
    for cut in [2, 100, 5000, s.jpeg.len() / 2] {
        let _ = input::pages(&s.jpeg[..cut]);
    }
    for (w, h) in [(1, 1), (19, 900), (900, 19), (40, 40)] {
        let page = GrayImage::from_fn(w, h, |x, y| image::Luma([((x * 7 + y * 13) % 256) as u8]));
        let _ = locate(&page);
    }
}
