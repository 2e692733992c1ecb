//! The `posture` binary: parse the command line and dispatch.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = posture::cli::Cli::parse();
    match posture::commands::dispatch(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("posture: {}", err.message);
            ExitCode::from(err.code)
        }
    }
}
