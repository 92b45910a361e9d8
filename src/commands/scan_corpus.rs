//! `scan-corpus` (hidden): fills in and scans a synthetic corpus of reply slips and prints how
//! the scanner read them (silently wrong answers, questions sent to review, marks read without
//! review) and how fast it scans on one thread. tests/bench/run-scan.sh runs it.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::cli::ScanCorpusArgs;
use crate::domain::slip::layout_version;
use crate::scan::corpus::{self, base, Base, Report, Rng, Spread};
use crate::scan::{locate, read};

pub fn run(args: &ScanCorpusArgs) -> anyhow::Result<ExitCode> {
    let def = base::shipped_survey()?;
    let layout = base::shipped_layout(&def);
    let page = match &args.base {
        Some(path) => {
            println!("base page: {}", path.display());
            image::open(path)
                .with_context(|| format!("reading {}", path.display()))?
                .to_luma8()
        }
        None => match base::printed(&def, "chromium") {
            Ok(page) => {
                println!("base page: the shipped survey's slip printed by chromium at 300 dpi");
                page
            }
            Err(e) => {
                println!("base page: drawn from the layout, without text (no chromium: {e})");
                base::drawn(&def)?
            }
        },
    };
    let expected = layout_version(&def);
    match locate(&page) {
        Ok(found) if found.scanned.layout.as_deref() == Some(expected.as_str()) => {}
        Ok(found) => anyhow::bail!(
            "the base page's slip is laid out as {:?}, the corpus as {expected} (print the shipped survey for a primary school, without codes)",
            found.scanned.layout
        ),
        Err(p) => anyhow::bail!("no slip found on the base page: {p:?}"),
    }
    let base = Base::new(&page, layout, base::BASE_DPI)?;
    let spread = Spread {
        dpi: args.dpi.map_or((150.0, 300.0), |d| (d, d)),
        ..Spread::default()
    };
    let mut rng = Rng::new(args.seed);
    let mut report = Report::default();
    let mut kept = Vec::new();
    let bar = super::progress_bar(args.slips as u64, "slips");
    let started = Instant::now();
    for _ in 0..args.slips {
        bar.inc(1);
        let Some(s) = corpus::sample(&base, spread, &mut rng) else {
            continue;
        };
        report.add(&s, corpus::scan(&s, &base.layout));
        if kept.len() < args.timed {
            kept.push(s.jpeg);
        }
    }
    bar.finish_and_clear();
    println!(
        "{} slips filled, scanned and checked in {:.0} s (seed {}, {})",
        report.pages,
        started.elapsed().as_secs_f64(),
        args.seed,
        args.dpi
            .map_or("150–300 dpi".to_string(), |d| format!("{d} dpi"))
    );
    print!("{report}");
    let mut runs: Vec<(f64, f64)> = (0..3).map(|_| timed_run(&kept, &base)).collect();
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (scan, with_decode) = runs[1];
    println!(
        "speed, one thread, median of 3 runs over {} pages: {scan:.1} pages/s scanning (locate and read), {with_decode:.1} pages/s with JPEG decoding",
        kept.len()
    );
    let ok = report.silently_wrong == 0 && report.clean_read_share() >= 0.99;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Pages per second scanning the pages (decoded first, not timed), and with decoding timed too.
fn timed_run(pages: &[Vec<u8>], base: &Base) -> (f64, f64) {
    let (mut scanning, mut decoding) = (Duration::ZERO, Duration::ZERO);
    for jpeg in pages {
        let t = Instant::now();
        let Ok(img) = image::load_from_memory(jpeg) else {
            continue;
        };
        let img = img.to_luma8();
        decoding += t.elapsed();
        let t = Instant::now();
        if let Ok(found) = locate(&img) {
            let _ = std::hint::black_box(read(&img, &found, &base.layout));
        }
        scanning += t.elapsed();
    }
    let n = pages.len() as f64;
    (
        n / scanning.as_secs_f64().max(1e-9),
        n / (scanning + decoding).as_secs_f64().max(1e-9),
    )
}
