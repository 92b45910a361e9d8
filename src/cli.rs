//! Command-line interface. With no subcommand the server starts, so that
//! `cargo run --release` is all a bureau needs to try it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "kehou-survey",
    version,
    about = "课后服务需求调查平台 — after-school service needs surveys for schools"
)]
pub struct Cli {
    /// Settings file (TOML). Default: ./config.toml if it exists.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Database: an SQLite file path or a postgres:// URL. Overrides the settings file.
    #[arg(long, global = true, env = "DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server (the default).
    Serve(ServeArgs),
    /// Check survey definition files; prints every problem as file:line:column: message.
    Lint {
        /// Definition files (.toml). Default: every survey in the survey folder.
        files: Vec<PathBuf>,
    },
    /// Import or update the school roster from a CSV or XLSX file.
    ImportSchools {
        file: PathBuf,
        /// Check the file and report problems without changing anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// Convert a questionnaire from XLSForm (ODK, KoboToolbox) or 问卷星 text into a survey
    /// definition; prints every part that could not be converted, with its place.
    ImportSurvey {
        /// The tool the file comes from.
        #[arg(long, value_enum)]
        from: QuestionnaireFormat,
        file: PathBuf,
        /// Where to write the definition (only when the conversion succeeds).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Publish a survey round to schools.
    Publish(PublishArgs),
    /// List rounds with their publication links.
    Rounds,
    /// Generate per-student one-time codes and write their printable letters.
    Codes(CodesArgs),
    /// Write each school's printable letter and QR codes (SVG, PNG) to a folder.
    Letters {
        #[arg(long)]
        round: i64,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Print paper reply slips (回执) for one school in a round: one per unused per-student code
    /// when the school has codes, otherwise `--count` numbered blank slips.
    Slips(SlipsArgs),
    /// Read returned paper reply slips from scans (a copier's PDF, JPEG or PNG photos): slips
    /// read without doubt are stored, doubtful ones wait for review on the school's scan page.
    /// If any page cannot be read, nothing is stored.
    Scan(ScanArgs),
    /// Export a round's raw responses.
    Export(ExportArgs),
    /// Add demo schools and a published round with synthetic responses.
    Demo(DemoArgs),
    /// Demand analysis of a round: shares with intervals, raw and enrolment-weighted, by school,
    /// grade, township, stage, urban/rural class and channel (online / paper slip).
    Analyze(AnalyzeArgs),
    /// Recompute a round's answer counters from its raw responses.
    Recount {
        #[arg(long)]
        round: i64,
    },
    /// Generate a synthetic city-scale round (schools, enrolments, responses, counters) from a seed.
    Generate(GenerateArgs),
    /// Import school plans (一校一案) from XLSX, one row per activity; each import adds a revision.
    ImportPlans {
        file: PathBuf,
        /// Check the file and report problems without changing anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// Copy the SQLite database to a new file, consistently, while the server runs.
    Backup {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Replace the SQLite database with a backup (stop the server first).
    Restore {
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
    /// Delete raw responses and codes of rounds past their retention date (aggregates stay).
    Purge,
    /// Lift the sign-in hold of an account (five wrong passwords in 15 minutes); audit-logged.
    Unlock {
        #[arg(long)]
        email: String,
    },
    /// The monthly ledger (台账月报告): rounds and response rates, plan status and targets.
    Ledger {
        /// The month, e.g. 2026-11 (default: last month).
        #[arg(long)]
        month: Option<String>,
        /// Write the XLSX workbook here.
        #[arg(long, value_name = "FILE", required_unless_present = "send")]
        out: Option<PathBuf>,
        /// E-mail it now to `email.ledger_recipients`.
        #[arg(long)]
        send: bool,
    },
    /// Serve a bare actix-web form handler that stores nothing (benchmark baseline).
    #[command(hide = true)]
    BenchBaseline {
        #[arg(long, default_value_t = 8090)]
        port: u16,
    },
    /// Fill and scan a synthetic corpus of reply slips; print how they were read and how fast
    /// (tests/bench/run-scan.sh).
    #[command(hide = true)]
    ScanCorpus(ScanCorpusArgs),
}

#[derive(Debug, Args)]
pub struct ScanCorpusArgs {
    /// Slips to fill in and scan.
    #[arg(long, default_value_t = 1000)]
    pub slips: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// A printed slip page rasterised at 300 dpi (`pdftoppm -r 300 -gray -png`); default: the
    /// shipped survey's slip printed with chromium, or drawn from its layout without it.
    #[arg(long, value_name = "PNG")]
    pub base: Option<PathBuf>,
    /// Scan every page at this resolution (default: each at random from 150 to 300 dpi).
    #[arg(long)]
    pub dpi: Option<f64>,
    /// Pages kept for the speed runs.
    #[arg(long, default_value_t = 200)]
    pub timed: usize,
}

#[derive(Debug, Args, Default)]
pub struct ServeArgs {
    #[arg(long, env = "SURVEY_HOST")]
    pub host: Option<String>,
    #[arg(long, env = "SURVEY_PORT")]
    pub port: Option<u16>,
    /// Address parents reach, used in QR codes, e.g. https://survey.example.edu.cn
    #[arg(long, env = "SURVEY_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Seed demo schools and a demo round first (only into an empty database).
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Survey definition: a file path or a survey id from the survey folder.
    #[arg(long)]
    pub survey: String,
    /// Round name, e.g. "2026 秋季课后服务需求调查".
    #[arg(long)]
    pub name: String,
    /// Opening time, local "YYYY-MM-DD HH:MM" or "YYYY-MM-DD" (default: now).
    #[arg(long)]
    pub opens: Option<String>,
    /// Closing time, "YYYY-MM-DD HH:MM" or "YYYY-MM-DD" (end of that day).
    #[arg(long)]
    pub closes: String,
    /// School codes, comma-separated. Default: every school.
    #[arg(long, value_delimiter = ',')]
    pub schools: Vec<String>,
    /// Keep raw responses until this date ("YYYY-MM-DD"); afterwards only
    /// aggregates remain. Default: one year after closing.
    #[arg(long, value_name = "DATE")]
    pub retain_until: Option<String>,
    /// Every answer needs an unused one-time code from a letter (make them with `codes`);
    /// the public link then asks for the code first.
    #[arg(long)]
    pub codes_required: bool,
    /// Optional sections of the survey to ask, comma-separated ids (e.g. "summer"); none by
    /// default.
    #[arg(long, value_delimiter = ',')]
    pub sections: Vec<String>,
    /// A students' survey (id in the survey folder) asked in the same round, with its own links.
    #[arg(long)]
    pub student_survey: Option<String>,
    /// A teachers' survey (id in the survey folder) asked in the same round, through a link only
    /// the school's staff get.
    #[arg(long)]
    pub teacher_survey: Option<String>,
    /// How many questions of its own each school may add after the core survey before the
    /// round opens (0: none).
    #[arg(long, default_value_t = 3)]
    pub supplement_max: i32,
}

#[derive(Debug, Args)]
pub struct CodesArgs {
    #[arg(long)]
    pub round: i64,
    /// School code.
    #[arg(long)]
    pub school: String,
    /// Classes as GRADE:FIRST-LAST, comma-separated, e.g. "1:1-4,2:1-3".
    #[arg(long)]
    pub classes: String,
    /// Codes (letters) per class.
    #[arg(long)]
    pub per_class: usize,
    /// Printable HTML file with one letter per code.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// The tools `import-survey` reads.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum QuestionnaireFormat {
    /// XLSForm workbook (.xlsx) from ODK or KoboToolbox.
    Xlsform,
    /// 问卷星's text format (.txt).
    Wjx,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long)]
    pub round: i64,
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Keep phone numbers, ID numbers and e-mail addresses in free-text answers as typed
    /// (by default they are masked).
    #[arg(long)]
    pub unmasked: bool,
    /// Export a teachers' round answer by answer. Without it such a round is refused: teachers
    /// are few at a school and easy to tell apart, so their answers are shown only in aggregate.
    #[arg(long)]
    pub teacher_rows: bool,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    #[arg(long)]
    pub round: i64,
    /// One school's own report (school code): no small-cell suppression.
    #[arg(long, conflicts_with = "township")]
    pub school: Option<String>,
    /// One township's schools.
    #[arg(long)]
    pub township: Option<String>,
    #[arg(long, value_enum)]
    pub format: crate::analysis::export::OutputFormat,
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Above one school, cells with fewer respondents than this are suppressed.
    #[arg(long, default_value_t = crate::analysis::DEFAULT_MIN_CELL)]
    pub min_cell: i64,
    /// An earlier round to compare with: each share's change, with its interval.
    #[arg(long, value_name = "ROUND")]
    pub compare_to: Option<i64>,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Schools, spread over the townships.
    #[arg(long, default_value_t = 400)]
    pub schools: usize,
    /// Synthetic responses.
    #[arg(long, default_value_t = 1_000_000)]
    pub responses: usize,
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Number of demo schools.
    #[arg(long, default_value_t = 40)]
    pub schools: usize,
    /// Synthetic responses in the demo round.
    #[arg(long, default_value_t = 3000)]
    pub responses: usize,
    /// Random seed, so the same demo comes out every time.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

/// Logs go to stderr, as text or as one JSON object a line (`[log] format`); `RUST_LOG`
/// refines them (default: info).
pub fn init_tracing(format: crate::config::LogFormat) {
    let filter = quiet_data(
        tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
    );
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        crate::config::LogFormat::Text => builder.try_init(),
        // The fields at the top level, next to `timestamp`, `level` and `message`, as log
        // collectors expect them.
        crate::config::LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// Whatever `RUST_LOG` says, crates that log the data they handle stay quiet: handlebars' debug
/// log prints every value it renders (one-time codes, answers, names), and the HTTP layers'
/// trace logs print request lines (with codes in their URLs).
fn quiet_data(filter: tracing_subscriber::EnvFilter) -> tracing_subscriber::EnvFilter {
    [
        "handlebars=warn",
        "actix_http=info",
        "actix_web=info",
        "actix_server=info",
        "h2=info",
        "hyper=info",
    ]
    .into_iter()
    .filter_map(|d| d.parse().ok())
    .fold(filter, |f, d| f.add_directive(d))
}

/// Tests log warnings only, unless `RUST_LOG` says otherwise.
pub fn init_tracing_for_tests() {
    let filter = quiet_data(
        tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
    );
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .try_init();
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Scanned files: PDF, JPEG or PNG.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[arg(long)]
    pub round: i64,
}

#[derive(Debug, Args)]
pub struct SlipsArgs {
    #[arg(long)]
    pub round: i64,
    /// The school's code (学校标识码).
    #[arg(long)]
    pub school: String,
    /// Output file: `.html` (print-ready, opens in any browser) or `.pdf` (made with a
    /// headless Chromium found on PATH).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Blank slips to number and print when the school has no per-student codes.
    #[arg(long, default_value_t = 50)]
    pub count: usize,
    /// With per-student codes: which print of 100 slips (from 1).
    #[arg(long, default_value_t = 1)]
    pub page: u32,
}
