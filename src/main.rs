//! The `posture` binary: parse the command line and dispatch.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;
use posture::report::strip_controls;

fn main() -> ExitCode {
    install_panic_hook();
    let cli = posture::cli::Cli::parse();
    match posture::commands::dispatch(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // Messages quote server answers and file text: never let them drive the terminal.
            eprintln!("posture: {}", strip_controls(&err.message));
            ExitCode::from(err.code)
        }
    }
}

/// Panics print sanitised (their messages can quote file text), and not at all when the
/// pipeline analyser contains them: that file is then reported `unknown` with the reason.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        if posture::pipeline::panic_is_contained() {
            return;
        }
        eprintln!(
            "posture: internal error: {}",
            strip_controls(&info.to_string())
        );
        let backtrace = std::backtrace::Backtrace::capture();
        if backtrace.status() == std::backtrace::BacktraceStatus::Captured {
            eprintln!("{backtrace}");
        }
    }));
}
