//! `posture completions SHELL`: print a completion script for the shell.

use clap::CommandFactory;
use clap_complete::{Shell, generate};

use crate::cli::{Cli, CompletionsArgs, ShellArg};
use crate::exit::{CmdResult, OK};

/// Print the completion script for `args.shell` on stdout.
pub fn run(args: &CompletionsArgs) -> CmdResult {
    let shell = match args.shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
        ShellArg::Powershell => Shell::PowerShell,
    };
    let mut command = Cli::command();
    let mut script = Vec::new();
    generate(shell, &mut command, "posture", &mut script);
    super::report::write_stdout(&String::from_utf8_lossy(&script))?;
    Ok(OK)
}
