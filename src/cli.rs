//! Command-line definitions (`spec/cli.md`). Names and flags are a public interface.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Explore and fix an organisation's CI/CD security posture on GitHub and GitLab.
#[derive(Debug, Parser)]
#[command(name = "posture", version, about, propagate_version = true)]
pub struct Cli {
    /// Open the TUI on the embedded demo org (github, default) or demo group (gitlab).
    #[arg(long, value_enum, num_args = 0..=1, default_missing_value = "github")]
    pub demo: Option<DemoKind>,
    /// Theme for the TUI.
    #[arg(long)]
    pub theme: Option<String>,
    /// The subcommand; none opens the TUI.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Which embedded demo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DemoKind {
    /// The GitHub demo organisation.
    Github,
    /// The GitLab demo group.
    Gitlab,
}

/// Which snapshot a command reads.
#[derive(Debug, Clone, Default, Args)]
pub struct Select {
    /// A snapshot file.
    #[arg(long, conflicts_with_all = ["org", "demo"])]
    pub snapshot: Option<PathBuf>,
    /// The newest cached snapshot of this org or group (full path).
    #[arg(long, conflicts_with = "demo")]
    pub org: Option<String>,
    /// The embedded demo (github or gitlab).
    #[arg(long, value_enum, num_args = 0..=1, default_missing_value = "github")]
    pub demo: Option<DemoKind>,
}

/// Output formats of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Human-readable text.
    Text,
    /// `posture.report/v1` JSON.
    Json,
    /// Markdown evidence pack.
    Markdown,
    /// SARIF 2.1.0.
    Sarif,
    /// The input document Rego policies see, one per repository.
    OpaInput,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Human-readable text.
    Text,
    /// JSON.
    Json,
    /// SARIF 2.1.0.
    Sarif,
}

/// Text or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    /// Human-readable text.
    Text,
    /// JSON.
    Json,
}

/// Severity threshold of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Only high.
    High,
    /// Medium and high.
    Medium,
    /// Low, medium and high.
    Low,
}

/// Pipeline kinds for `pipeline --kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PipelineKindArg {
    /// GitHub Actions workflow or composite action.
    GithubActions,
    /// GitLab CI.
    GitlabCi,
}

/// Shells for completions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell.
    Powershell,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the TUI explorer.
    Explore(ExploreArgs),
    /// Sync an org or group into a snapshot.
    #[command(subcommand)]
    Sync(SyncCommand),
    /// List or prune cached snapshots.
    Snapshots(SnapshotsArgs),
    /// Report verdicts, ranking and rollout.
    Report(ReportArgs),
    /// Gate CI: exit 1 when a verdict at or above the threshold fails.
    Check(CheckArgs),
    /// Plan or apply fixes.
    #[command(subcommand)]
    Fix(FixCommand),
    /// What changed between two snapshots; exit 1 when any verdict got worse.
    Diff(DiffArgs),
    /// Analyse local pipeline files (no network).
    Pipeline(PipelineArgs),
    /// Write a synthetic snapshot, or export the embedded demo.
    Demo(DemoArgs),
    /// Print shell completions.
    Completions(CompletionsArgs),
}

/// `posture explore`.
#[derive(Debug, Args)]
pub struct ExploreArgs {
    /// A snapshot file.
    #[arg(long, conflicts_with = "org")]
    pub snapshot: Option<PathBuf>,
    /// The newest cached snapshot of this org or group.
    #[arg(long)]
    pub org: Option<String>,
    /// Theme name.
    #[arg(long)]
    pub theme: Option<String>,
    /// Never offer to sync or fix.
    #[arg(long)]
    pub read_only: bool,
}

/// `posture sync`.
#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Sync a GitHub organisation.
    Github(SyncGithubArgs),
    /// Sync a GitLab group and its subgroups.
    Gitlab(SyncGitlabArgs),
}

/// Options shared by both syncs.
#[derive(Debug, Clone, Args)]
pub struct SyncCommon {
    /// Requests in flight at once.
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// No progress output (for CI).
    #[arg(long)]
    pub quiet: bool,
    /// Log requests (tokens redacted).
    #[arg(long)]
    pub verbose: bool,
}

/// `posture sync github`.
#[derive(Debug, Args)]
pub struct SyncGithubArgs {
    /// Organisation login.
    #[arg(long)]
    pub org: String,
    /// Refresh only these repositories in the org's snapshot.
    #[arg(long = "repo")]
    pub repos: Vec<String>,
    /// API base (GitHub Enterprise Server `https://HOST/api/v3`, or a local test server).
    #[arg(long)]
    pub api_url: Option<String>,
    /// Shared options.
    #[command(flatten)]
    pub common: SyncCommon,
}

/// `posture sync gitlab`.
#[derive(Debug, Args)]
pub struct SyncGitlabArgs {
    /// Group full path.
    #[arg(long)]
    pub group: String,
    /// Refresh only these projects.
    #[arg(long = "project")]
    pub projects: Vec<String>,
    /// GitLab base URL (self-managed, or a local test server).
    #[arg(long)]
    pub url: Option<String>,
    /// Shared options.
    #[command(flatten)]
    pub common: SyncCommon,
}

/// `posture snapshots`.
#[derive(Debug, Args)]
pub struct SnapshotsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
    /// Delete old snapshots, keeping the newest `--keep` per org.
    #[arg(long)]
    pub prune: bool,
    /// How many to keep per org when pruning (default from config, 30).
    #[arg(long, requires = "prune")]
    pub keep: Option<u32>,
}

/// `posture report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Which snapshot.
    #[command(flatten)]
    pub select: Select,
    /// Only these repositories (globs allowed).
    #[arg(long = "repo")]
    pub repos: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Only the top N repositories by traffic.
    #[arg(long)]
    pub top: Option<usize>,
    /// Rego policies directory.
    #[arg(long)]
    pub policy: Option<PathBuf>,
}

/// `posture check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Which snapshot.
    #[command(flatten)]
    pub select: Select,
    /// Only these repositories (globs allowed).
    #[arg(long = "repo")]
    pub repos: Vec<String>,
    /// Rego policies directory.
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// Lowest severity that fails the gate.
    #[arg(long, value_enum, default_value = "high")]
    pub fail_on: FailOn,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,
}

/// Selectors of `fix plan` / `fix apply`.
#[derive(Debug, Args)]
pub struct FixArgs {
    /// Control to fix.
    #[arg(long, required_unless_present = "rollout_step")]
    pub control: Option<String>,
    /// Only these repositories.
    #[arg(long = "repo")]
    pub repos: Vec<String>,
    /// Fix what blocks this rollout step.
    #[arg(long, conflicts_with = "control")]
    pub rollout_step: Option<u8>,
    /// A snapshot file.
    #[arg(long, conflicts_with = "org")]
    pub snapshot: Option<PathBuf>,
    /// The newest cached snapshot of this org.
    #[arg(long)]
    pub org: Option<String>,
}

/// `posture fix`.
#[derive(Debug, Subcommand)]
pub enum FixCommand {
    /// Show the exact changes a fix would make.
    Plan(FixArgs),
    /// Apply a fix after confirmation, then verify it.
    Apply {
        /// Selectors.
        #[command(flatten)]
        args: FixArgs,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

/// `posture diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older snapshot file.
    pub old: PathBuf,
    /// The newer snapshot file.
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
}

/// `posture pipeline`.
#[derive(Debug, Args)]
pub struct PipelineArgs {
    /// Files to analyse.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Override the detected kind.
    #[arg(long, value_enum)]
    pub kind: Option<PipelineKindArg>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: TextOrJson,
}

/// `posture demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Number of synthetic repositories.
    #[arg(long, required_unless_present = "export", conflicts_with = "export")]
    pub repos: Option<usize>,
    /// Seed of the synthetic org.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Give this share (0–100 %) of the synthetic repositories unique, realistically sized
    /// workflow texts, and every repository at least two workflow files (real orgs: about
    /// 30). Without it, the synthetic org shares a few dozen texts among all repositories.
    #[arg(long, value_name = "PERCENT", requires = "repos", value_parser = clap::value_parser!(u64).range(0..=100))]
    pub varied: Option<u64>,
    /// Export the embedded demo (github or gitlab) as a snapshot file.
    #[arg(long, value_enum, num_args = 0..=1, default_missing_value = "github")]
    pub export: Option<DemoKind>,
}

/// `posture completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell.
    #[arg(value_enum)]
    pub shell: ShellArg,
}
