//! `posture report`: verdicts, ranking and rollout as text, JSON or a Markdown evidence pack.

use std::io::Write;

use crate::cli::{ReportArgs, ReportFormat};
use crate::exit::{CmdResult, ExitError, OK};

/// Open the selected snapshot, pick the repositories and print the report in the chosen format.
pub fn run(args: &ReportArgs) -> CmdResult {
    // The OPA input is what policies read: it carries the built-in controls only.
    let registry = if args.format == ReportFormat::OpaInput {
        crate::assess::Registry::builtin()
    } else {
        super::load_registry(args.policy.as_deref())?
    };
    let opened = crate::open::open(&args.select, &registry)?;
    let rows = crate::report::select(&opened, &args.repos, args.top)?;
    let output = match args.format {
        ReportFormat::Json => {
            // Streamed: at 100k repositories the JSON is several times the judged snapshot.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            return match crate::report::json::write(&opened, &rows, &mut out)
                .and_then(|()| out.flush())
            {
                Ok(()) => Ok(OK),
                Err(e) => write_error(e),
            };
        }
        ReportFormat::Markdown => crate::report::markdown::render(&opened, &rows),
        ReportFormat::Text => crate::report::text::render(&opened, &rows),
        ReportFormat::Sarif => crate::report::sarif::render(
            &opened,
            &rows,
            &crate::report::sarif::SarifOptions {
                include_org: args.repos.is_empty(),
                max_results: crate::report::sarif::MAX_RESULTS,
                today: crate::report::today(),
            },
        ),
        ReportFormat::OpaInput => {
            crate::policy::input::json_lines(&opened.snapshot, &opened.assessment, &rows)
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
        Err(e) => write_error(e).map(|_| ()),
    }
}

/// A closed pipe (`| head`) is not an error; any other write failure is.
fn write_error(e: std::io::Error) -> CmdResult {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(OK)
    } else {
        Err(ExitError::input(format!("cannot write the report: {e}")))
    }
}
