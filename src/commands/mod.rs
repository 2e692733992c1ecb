//! One file per subcommand: each turns parsed arguments into output and an exit code.

pub mod check;
pub mod completions;
pub mod demo;
pub mod diff;
mod errors;
pub mod explore;
pub mod explore_sync;
pub mod pipeline;
pub mod report;
pub mod snapshots;
pub mod sync;
pub mod sync_gitlab;
mod sync_progress;

use crate::cli::{Cli, Command, FixCommand, SyncCommand};
use crate::exit::{CmdResult, ExitError};

/// Run the parsed command line.
pub fn dispatch(cli: Cli) -> CmdResult {
    match cli.command {
        None => explore_default(cli.demo, cli.theme),
        Some(Command::Explore(args)) => explore(args, cli.theme),
        Some(Command::Sync(SyncCommand::Github(args))) => sync::run_github(&args),
        Some(Command::Sync(SyncCommand::Gitlab(args))) => sync_gitlab::run_gitlab(&args),
        Some(Command::Fix(FixCommand::Plan(_))) | Some(Command::Fix(FixCommand::Apply { .. })) => {
            Err(ExitError::input(
                "fixes are not available in this build yet",
            ))
        }
        Some(Command::Demo(args)) => demo::run(&args),
        Some(Command::Report(args)) => report::run(&args),
        Some(Command::Completions(args)) => completions::run(&args),
        Some(Command::Snapshots(args)) => snapshots::run(&args),
        Some(Command::Pipeline(args)) => pipeline::run(&args),
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Diff(args)) => diff::run(&args),
    }
}

fn explore_default(demo: Option<crate::cli::DemoKind>, theme: Option<String>) -> CmdResult {
    explore::run_default(demo, theme)
}

fn explore(mut args: crate::cli::ExploreArgs, theme: Option<String>) -> CmdResult {
    // `posture --theme NAME explore` works like `posture explore --theme NAME`.
    args.theme = args.theme.or(theme);
    explore::run_explore(args)
}

/// The controls in force for a command: the built-in registry plus the Rego policies of
/// `--policy DIR` when given, else of `policies/` in the config dir when it has `.rego` files
/// (see [`crate::policy::load`]). Read here, at the command boundary, so the core stays pure.
pub fn load_registry(
    policy_dir: Option<&std::path::Path>,
) -> Result<crate::assess::Registry, crate::exit::ExitError> {
    let registry = crate::assess::Registry::builtin();
    Ok(match crate::policy::load(policy_dir)? {
        Some(set) => registry.with_policies(set),
        None => registry,
    })
}
