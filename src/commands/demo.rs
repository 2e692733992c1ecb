//! `posture demo`: write a synthetic snapshot (`--repos N [--seed S] [--varied PERCENT]`) or export the
//! embedded demo (`--export [github|gitlab]`) as a snapshot file on stdout.

use std::io::{self, BufWriter, Write};

use crate::cli::DemoArgs;
use crate::exit::{CmdResult, ExitError, OK};
use crate::model::Snapshot;

/// Run `posture demo`.
pub fn run(args: &DemoArgs) -> CmdResult {
    let (snapshot, pretty) = match (args.export, args.repos) {
        (Some(kind), _) => (crate::demo::embedded(kind), true),
        (None, Some(repos)) => match args.varied {
            Some(percent) => (
                crate::demo::synthetic_varied(repos, args.seed, percent),
                false,
            ),
            None => (crate::demo::synthetic(repos, args.seed), false),
        },
        (None, None) => {
            return Err(ExitError::input(
                "demo needs --repos N (a synthetic org) or --export [github|gitlab]",
            ));
        }
    };
    let stdout = io::stdout();
    match write_snapshot(&mut BufWriter::new(stdout.lock()), &snapshot, pretty) {
        Ok(()) => Ok(OK),
        // `posture demo … | head`: the reader left; that is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(OK),
        Err(e) => Err(ExitError::input(format!("cannot write the snapshot: {e}"))),
    }
}

/// Write `snapshot` as JSON (pretty or compact) followed by a newline, and flush.
pub fn write_snapshot<W: Write>(out: &mut W, snapshot: &Snapshot, pretty: bool) -> io::Result<()> {
    let written = if pretty {
        serde_json::to_writer_pretty(&mut *out, snapshot)
    } else {
        serde_json::to_writer(&mut *out, snapshot)
    };
    written.map_err(io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()
}
