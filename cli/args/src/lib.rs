//! What a user can type to `tykdeps`, as clap structs: every subcommand,
//! flag, default and help text, and the value parsers of its flags. The
//! binary parses with these and its commands turn them into request values
//! before doing anything; nothing else looks at clap types. (As uv keeps
//! its arguments in `uv-cli`, apart from the commands that run them.)

use std::path::PathBuf;

use clap::{Parser, Subcommand};
pub use tykdeps_render::Format;

/// Will this Go plugin load into that Tyk Gateway? Find out before you build.
#[derive(Debug, Parser)]
#[command(name = "tykdeps", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
// Each subcommand's arguments are built only when it runs: a `graph` run
// otherwise builds every command's (~0.2 ms of its ~6). The built arguments
// then come after the subcommand's about, so an `Args` struct flattened into
// one has no doc comment: it would replace that about.
#[command(defer = true)]
pub enum Command {
    /// Parse a go.mod, go.work or go.sum file and print what the go command reads from it.
    Parse(ParseArgs),
    /// Print the build list as `go list -m all` does (or its JSON, or `go mod graph` edges).
    Graph(GraphArgs),
    /// Show the requirement chains that put MODULE in the build list.
    ///
    /// Module-level: each link is a `require` line of a loaded go.mod, and
    /// every module requiring the selected version gets its shortest chain.
    /// (`go mod why -m` instead walks package imports.)
    Why(WhyArgs),
    /// Print the Go build info of a binary (as `go version -m` does) and what plugin loading reads from it.
    Inspect(InspectArgs),
    /// Predict whether plugins load into a gateway: from source (go.mod,
    /// go.sum, imports) before building, or from the built files with
    /// --gateway-bin and --plugin-so.
    Audit(AuditArgs),
    /// Apply the go.mod edits that fix what `tykdeps audit` finds, then audit again.
    ///
    /// Only fixes a go.mod edit can make are applied (pins proven by
    /// resolving again, mirrored replaces, the go line); the file keeps its
    /// comments and layout and is replaced atomically. `--dry-run` prints
    /// the change as a unified diff.
    Fix(FixArgs),
    /// Plan moving a plugin to another gateway: the gateway requirement and
    /// the pins that move, what still conflicts and why, modules that gain
    /// or lose a go.mod, `/vN` alternatives; proven by auditing the planned
    /// go.mod (in memory) against the new gateway. Writes nothing.
    ///
    /// `tykdeps fix --to REF` applies the same plan.
    Upgrade(UpgradeArgs),
    /// Write a commented tykdeps.toml (the audit policy) into DIR; never overwrites one.
    Init(InitArgs),
    /// Require MODULE at exactly VERSION in a go.mod, keeping its comments and layout.
    ///
    /// Means what `go mod edit -require=MODULE@VERSION` means (the first
    /// requirement of MODULE gets the version, later duplicates go, a missing
    /// one is added where `go get` adds it) but changes only those lines. The
    /// file is replaced atomically; with `--dry-run` the change is printed as
    /// a unified diff and nothing is written.
    Pin(PinArgs),
    /// Lay out Tyk's plugin workspace: the gateway source, go.work, the
    /// plugin's go/toolchain lines and gateway requirement, go mod tidy;
    /// then audit and print the commands that build and load the plugin.
    ///
    /// Never overwrites a file it did not create (exit 2 naming it); a
    /// second run finds everything in place. `--dry-run` prints the plan.
    Setup(SetupArgs),
    /// Show or remove what tykdeps keeps between runs ($GOMODCACHE/cache/tykdeps).
    Cache(CacheArgs),
    /// Name a gateway by a Tyk release or commit: which module version that is.
    Gateway(GatewayArgs),
    /// Write a gateway snapshot: the gateway side of an audit in one small,
    /// deterministic file a plugin repository commits, so `audit
    /// --gateway-snapshot FILE` needs no gateway source and no network.
    Snapshot(SnapshotArgs),
    /// Print a rule's page from the user guide (compiled in, so it works offline).
    Explain(ExplainArgs),
    /// Write (or check) Renovate or Dependabot rules that keep the bots from
    /// proposing updates of modules the gateway links.
    ///
    /// A plugin must keep every module it shares with the gateway at the
    /// gateway's version, so a bot's "bump x" pull request is exactly the
    /// change that stops it loading. Renovate gets a preset to extend
    /// (`tykdeps-renovate.json`); Dependabot a block of `updates` entries in
    /// `.github/dependabot.yml`, between marker comments. `--check` exits 1
    /// when the committed rules are stale (the gateway or the plugin moved).
    BotConfig(BotConfigArgs),
    /// Write (or post) the pull-request comment for an audit's JSON report:
    /// findings new, fixed and unchanged against a base branch's report.
    ///
    /// Findings are matched by fingerprint (rule, plugin, module, versions;
    /// never line numbers). Without --dry-run the comment is created, or
    /// updated when tykdeps' comment is already there, through the GitHub
    /// API (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL).
    Comment(CommentArgs),
}

#[derive(Debug, clap::Args)]
pub struct CommentArgs {
    /// The pull request's report: `tykdeps audit --format json` output;
    /// several (one per plugin directory) make one comment.
    #[arg(value_name = "REPORT.json", required = true)]
    pub report: Vec<PathBuf>,
    /// The base branch's report, to tell new findings from old ones
    /// (without it every finding counts as new); repeat for several.
    #[arg(long, value_name = "BASE.json")]
    pub baseline: Vec<PathBuf>,
    /// Print the comment body instead of posting it.
    #[arg(long)]
    pub dry_run: bool,
    /// When to exit 1: a new error finding, any error finding, or never.
    #[arg(long, value_enum, default_value = "new")]
    pub fail_on: FailOn,
    /// The pull request number (default: the event's, from GITHUB_EVENT_PATH).
    #[arg(long, value_name = "N")]
    pub pr: Option<u64>,
    /// Where the user guide is published: rules link to URL/rules/ID.html.
    #[arg(long, value_name = "URL", value_parser = docs_url)]
    pub docs_url: Option<String>,
}

/// `--build-mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BuildModeArg {
    /// In a go.work with the gateway's source.
    Workspace,
    /// On its own, against the gateway module it requires.
    Standalone,
}

#[derive(Debug, clap::Args)]
pub struct SnapshotArgs {
    /// The gateway, as `audit` takes it (--gateway DIR|MODULE@VERSION|RELEASE or --gateway-bin FILE).
    #[command(flatten)]
    pub source: SourceArgs,
    /// The snapshot file to write (replaced atomically).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

/// Which findings make `tykdeps comment` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// An error finding that is not in the base report.
    New,
    /// Any error finding.
    Any,
    /// None: exit 0 whatever is found.
    None,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("bot").required(true).args(["renovate", "dependabot"])))]
#[command(group(clap::ArgGroup::new("output").args(["write", "check"])))]
pub struct BotConfigArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// A Renovate preset (JSON) to extend from the repository's config.
    #[arg(long)]
    pub renovate: bool,
    /// The tykdeps block of Dependabot's `updates` (YAML).
    #[arg(long)]
    pub dependabot: bool,
    /// Write the rules into FILE (the preset whole; the Dependabot block
    /// replaced, or added to `updates:`), atomically.
    #[arg(long, value_name = "FILE")]
    pub write: Option<PathBuf>,
    /// Exit 1, printing the difference, when FILE's rules are not the ones
    /// the gateway and plugin call for now.
    #[arg(long, value_name = "FILE")]
    pub check: Option<PathBuf>,
    /// The audit policy (default: ./tykdeps.toml when it exists).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The rule id, as findings name it (e.g. version-conflict).
    #[arg(value_name = "RULE")]
    pub rule: String,
}

#[derive(Debug, clap::Args)]
pub struct GatewayArgs {
    #[command(subcommand)]
    pub action: GatewayAction,
}

#[derive(Debug, Subcommand)]
pub enum GatewayAction {
    /// Print the release, commit, commit time and module@version of a Tyk
    /// release (v5.3.6, 5.3.6, release-5.3.6) or commit (7 to 40 hex digits).
    ///
    /// Tyk's release tags are not versions of its module (a v5 tag on a path
    /// without /v5), so the tag is mapped to its commit with `git ls-remote
    /// --tags`, and the commit to a version by the module proxy, else (for a
    /// repository on this machine) computed from a clone as the go command
    /// would.
    Resolve(GatewayResolveArgs),
}

#[derive(Debug, clap::Args)]
pub struct GatewayResolveArgs {
    /// A release name (v5.3.6, 5.3.6, release-5.3.6, with an optional -rcN) or a commit hash.
    #[arg(value_name = "REF")]
    pub reference: String,
    /// Print JSON: reference, releases, commit, commit_time, module, version, via.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub repo: GatewayRepoArgs,
}

// Where a gateway named by a release or commit is looked up: `gateway
// resolve` and `setup` take the same two flags.
#[derive(Debug, clap::Args)]
pub struct GatewayRepoArgs {
    /// The gateway's module path.
    #[arg(
        long,
        value_name = "PATH",
        default_value = "github.com/TykTechnologies/tyk"
    )]
    pub gateway_module: String,
    /// The gateway's git repository, whose tags name the releases.
    #[arg(long, value_name = "URL", default_value = GATEWAY_REPO)]
    pub gateway_repo: String,
}

/// Where Tyk's release tags live.
pub const GATEWAY_REPO: &str = "https://github.com/TykTechnologies/tyk";

#[derive(Debug, clap::Args)]
pub struct CacheArgs {
    #[command(subcommand)]
    pub action: CacheAction,
}

#[derive(Debug, Clone, Copy, Subcommand)]
pub enum CacheAction {
    /// Print the directory tykdeps keeps its caches in.
    Dir,
    /// Remove that directory (never the module files the go command also uses), saying what was removed.
    Clean,
}

#[derive(Debug, clap::Args)]
pub struct PinArgs {
    /// The module and the exact version to require.
    #[arg(value_name = "MODULE@VERSION")]
    pub requirement: String,
    /// The module directory holding go.mod (default: the current directory).
    pub dir: Option<PathBuf>,
    /// Print the change as a unified diff instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, clap::Args)]
pub struct SetupArgs {
    /// The gateway: MODULE@VERSION, a checkout directory, or a Tyk release or commit.
    #[arg(long, value_name = "DIR|MODULE@VERSION|RELEASE|COMMIT")]
    pub gateway: String,
    /// The plugin's directory (default: ./plugin; a minimal plugin is created when it has none).
    pub plugin_dir: Option<PathBuf>,
    #[command(flatten)]
    pub repo: GatewayRepoArgs,
    /// Print the plan and the commands; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub network: NetworkArgs,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The directory to write tykdeps.toml into (default: the current directory).
    pub dir: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// The module directory (default: the current directory).
    pub dir: Option<PathBuf>,
    /// Print `go list -m -json all`'s objects instead of text.
    #[arg(long, conflicts_with = "edges")]
    pub json: bool,
    /// Print the requirement edges, as `go mod graph` does.
    #[arg(long)]
    pub edges: bool,
}

#[derive(Debug, clap::Args)]
pub struct WhyArgs {
    /// The module path to explain.
    pub module: String,
    /// The module directory (default: the current directory).
    pub dir: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// The file: go.mod, go.work or go.sum (recognised by name, or by `--kind`).
    pub file: PathBuf,
    /// Print JSON: for go.mod exactly what `go mod edit -json` prints, for go.work
    /// what `go work edit -json` prints, for go.sum an array of lines.
    #[arg(long)]
    pub json: bool,
    /// The file's kind, for names other than go.mod, go.work and go.sum
    /// (`*.mod`, `*.work` and `*.sum` are recognised too).
    #[arg(long, value_enum)]
    pub kind: Option<FileKind>,
}

/// Which grammar a file is read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FileKind {
    /// A go.mod file.
    Mod,
    /// A go.work file.
    Work,
    /// A go.sum or go.work.sum file.
    Sum,
}

#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// An ELF executable or plugin `.so` built by Go.
    pub file: PathBuf,
    /// Print JSON: build info (shaped as `go version -m -json`), package hashes, plugin path, loader needs.
    #[arg(long)]
    pub json: bool,
    /// After the build info, also list package hashes, plugin path and loader needs.
    #[arg(long, conflicts_with = "json")]
    pub symbols: bool,
}

#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// A plugin `.so`; repeat for several, in the order the gateway opens
    /// them. With these, the built files are audited instead of sources.
    #[arg(long = "plugin-so", value_name = "FILE", requires = "gateway_bin", conflicts_with_all = ["gateway", "plugin", "dir"])]
    pub plugin_so: Vec<PathBuf>,
    /// The glibc version of the gateway's runtime image (e.g. 2.36); plugins needing newer fail.
    #[arg(long, value_name = "X.Y")]
    pub max_glibc: Option<String>,
    #[command(flatten)]
    pub report: ReportArgs,
}

// How a command that ends in an audit judges and prints it: `audit`,
// `fix` and `upgrade` take the same four flags.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// In the human format, list every note instead of counting them.
    #[arg(long, short)]
    pub verbose: bool,
    /// The audit policy (default: ./tykdeps.toml when it exists): findings
    /// it allows are neither reported nor fixed.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Where the user guide is published: rules link to URL/rules/ID.html
    /// (over tykdeps.toml's `docs_url`). Without either, reports name
    /// `tykdeps explain ID` instead of a link.
    #[arg(long, value_name = "URL", value_parser = docs_url)]
    pub docs_url: Option<String>,
}

/// A docs base URL as `--docs-url` takes it.
fn docs_url(text: &str) -> Result<String, String> {
    tykdeps_resolver::audit::config::docs_base(text)
}

// What a source audit reads: the plugin or workspace, and the gateway.
#[derive(Debug, Clone, clap::Args)]
pub struct SourceArgs {
    /// The plugin module, or the workspace whose go.work uses the gateway
    /// checkout and the plugins (default: the current directory).
    pub dir: Option<PathBuf>,
    /// The gateway: a checkout directory, MODULE@VERSION, a Tyk release
    /// (v5.3.6, 5.3.6, release-5.3.6) or a commit hash (default: the
    /// version the plugin's go.mod requires, or the workspace's gateway
    /// module). Releases and commits are resolved as `tykdeps gateway
    /// resolve` does; a snapshot file is read as --gateway-snapshot. Repeat
    /// it (`audit` only) for the matrix: one verdict per gateway.
    #[arg(long, value_name = "DIR|MODULE@VERSION|RELEASE|COMMIT|SNAPSHOT")]
    pub gateway: Vec<String>,
    /// The gateway's git repository, whose tags name the releases `--gateway` accepts.
    #[arg(long, value_name = "URL", default_value = GATEWAY_REPO)]
    pub gateway_repo: String,
    /// The gateway's module path (default: tykdeps.toml's `[gateway] module`,
    /// else github.com/TykTechnologies/tyk).
    #[arg(long, value_name = "PATH")]
    pub gateway_module: Option<String>,
    /// A gateway snapshot (`tykdeps snapshot`): audit with no gateway source
    /// or module data (default: tykdeps.toml's `[gateway] snapshot` or
    /// `snapshots`). Repeat it (`audit` only) for the matrix, after any --gateway.
    #[arg(long, value_name = "FILE", conflicts_with = "gateway_bin")]
    pub gateway_snapshot: Vec<PathBuf>,
    /// How a plugin module is assumed built against a snapshot: in a go.work
    /// with the gateway source (`workspace`, as Tyk's plugin compiler does;
    /// the default) or on its own (`standalone`).
    #[arg(long, value_enum, value_name = "MODE")]
    pub build_mode: Option<BuildModeArg>,
    /// In a workspace, audit only this plugin module; repeatable.
    #[arg(long, value_name = "DIR")]
    pub plugin: Vec<PathBuf>,
    /// The built gateway binary: its build info and package list replace the
    /// reconstructed gateway build (with --plugin-so: audit built files only).
    #[arg(long, value_name = "FILE", conflicts_with = "gateway")]
    pub gateway_bin: Option<PathBuf>,
    #[command(flatten)]
    pub network: NetworkArgs,
}

// How an audit treats the module proxy: shared by every command that
// audits through it (`audit`, `fix`, `setup`, ...), so each takes the same
// flags and environment.
#[derive(Debug, Clone, clap::Args)]
pub struct NetworkArgs {
    /// How long the module proxy's version lists and `@latest` answers are
    /// kept below GOMODCACHE before they are asked again (`90s`, `30m`,
    /// `24h`, `7d`; `0` asks every time).
    #[arg(long, value_name = "DURATION", default_value = DEFAULT_METADATA_TTL, value_parser = seconds)]
    pub metadata_ttl: u64,
    /// Ask the module proxy again now, whatever answers are kept (they are replaced).
    #[arg(long)]
    pub refresh: bool,
    /// The deadline for the whole run's network work (`60s`, `5m`; `0` for
    /// none); past it the verdict is unknown (exit 3), naming what did not answer.
    #[arg(long, value_name = "DURATION", env = "TYKDEPS_TIMEOUT", default_value = DEFAULT_TIMEOUT, value_parser = seconds)]
    pub timeout: u64,
}

/// `--metadata-ttl`'s default.
const DEFAULT_METADATA_TTL: &str = "24h";
/// `--timeout`'s default.
const DEFAULT_TIMEOUT: &str = "60s";

/// A duration as `--metadata-ttl` and `--timeout` take it, in seconds: a
/// whole number with the unit `s`, `m`, `h` or `d` (`0` needs none).
fn seconds(text: &str) -> Result<u64, String> {
    if text == "0" {
        return Ok(0);
    }
    let unit = match text.chars().last() {
        Some('s') => 1,
        Some('m') => 60,
        Some('h') => 3600,
        Some('d') => 86_400,
        _ => return Err("end the duration with a unit: s, m, h or d (e.g. 24h)".to_owned()),
    };
    let number: u64 = text[..text.len() - 1]
        .parse()
        .map_err(|_| format!("{text:?} is not a whole number and a unit (e.g. 24h)"))?;
    number
        .checked_mul(unit)
        .ok_or_else(|| format!("{text:?} is too long"))
}

#[derive(Debug, clap::Args)]
pub struct UpgradeArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// The gateway to move to: a release, a commit, MODULE@VERSION, a
    /// checkout directory or a snapshot file.
    #[arg(long, value_name = "REF")]
    pub to: String,
    /// The gateway the plugin is on now, taken as `--to` is (default: the
    /// `--gateway` flags, else tykdeps.toml's, else the version the
    /// plugin's go.mod requires).
    #[arg(long, value_name = "REF")]
    pub from: Option<String>,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[derive(Debug, clap::Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Move the plugin to this gateway (as `tykdeps upgrade --to`): apply
    /// the proven plan, then audit against it.
    #[arg(long, value_name = "REF")]
    pub to: Option<String>,
    /// With `--to`: the gateway the plugin is on now (as `upgrade --from`).
    #[arg(long, value_name = "REF", requires = "to")]
    pub from: Option<String>,
    /// Print the changes as unified diffs instead of writing them.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub report: ReportArgs,
}

#[cfg(test)]
mod tests {
    use super::seconds;

    #[test]
    fn durations_are_a_whole_number_and_a_unit() {
        assert_eq!(seconds("90s"), Ok(90));
        assert_eq!(seconds("30m"), Ok(1800));
        assert_eq!(seconds("24h"), Ok(86_400));
        assert_eq!(seconds("7d"), Ok(604_800));
        assert_eq!(seconds("0"), Ok(0));
        for bad in ["24", "h", "1.5h", "-1h", "1w", ""] {
            assert!(seconds(bad).is_err(), "{bad:?}");
        }
    }
}
