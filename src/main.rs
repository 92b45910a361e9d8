//! Entry point: parse the command line, set up logging, dispatch.

use clap::Parser;

fn main() -> std::process::ExitCode {
    kehou_survey::cli::init_tracing();
    let cli = kehou_survey::cli::Cli::parse();
    match kehou_survey::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误 error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
