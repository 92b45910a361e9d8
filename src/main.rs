//! Entry point: parse the command line, dispatch (which sets up logging once the settings say how).

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = kehou_survey::cli::Cli::parse();
    match kehou_survey::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误 error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
