//! `posture report`: verdicts, ranking and rollout as text, JSON or a Markdown evidence pack.

use std::io::Write;

use crate::cli::{ReportArgs, ReportFormat};
use crate::exit::{CmdResult, ExitError, OK};

/// Open the selected snapshot, pick the repositories and print the report in the chosen format.
pub fn run(args: &ReportArgs) -> CmdResult {
    if matches!(args.format, ReportFormat::Sarif | ReportFormat::OpaInput) {
        return Err(ExitError::input(format!(
            "--format {} is not available in this build",
            match args.format {
                ReportFormat::Sarif => "sarif",
                _ => "opa-input",
            }
        )));
    }
    if args.policy.is_some() {
        return Err(ExitError::input(
            "--policy is not available for `report` in this build",
        ));
    }
    let opened = crate::open::open(&args.select)?;
    let rows = crate::report::select(&opened, &args.repos, args.top)?;
    let output = match args.format {
        ReportFormat::Json => crate::report::json::render(&opened, &rows)?,
        ReportFormat::Markdown => crate::report::markdown::render(&opened, &rows),
        ReportFormat::Text | ReportFormat::Sarif | ReportFormat::OpaInput => {
            crate::report::text::render(&opened, &rows)
        }
    };
    write_stdout(&output)?;
    Ok(OK)
}

/// Write to stdout; a closed pipe (`| head`) is not an error.
pub fn write_stdout(text: &str) -> Result<(), ExitError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(ExitError::input(format!("cannot write the report: {e}"))),
    }
}
