//! `tykdeps setup`: carries out the plan the library's planner
//! ([`tykdeps_resolver::setup`]) makes from the disk: finds the gateway
//! (a checkout, `MODULE@VERSION`, or a Tyk release or commit), runs the go
//! command to fetch its source and to tidy, writes only files that do not
//! exist and edits only go.mod lines, then audits the workspace and prints
//! the commands that build and load the plugin.

use std::path::{Path, PathBuf};
use std::process::Command;

use miette::miette;
use tykdeps_resolver::atomic::{self, Durability};
use tykdeps_resolver::audit::engine::{BuildMode, GatewaySpec, Request};
use tykdeps_resolver::gomod;
use tykdeps_resolver::graph::discover;
use tykdeps_resolver::setup::{self, Action, Layout, Target};
use tykdeps_resolver::source::http::HttpOptions;
use tykdeps_resolver::version::release::GatewayRef;

use super::{audit, gateway, source_audit};
use crate::args::{SetupArgs, SourceArgs};
use crate::exit::{CommandError, ExitStatus};
use crate::settings::Settings;
use crate::{load, printer, vcs};

/// The gateway setup works with.
struct Gateway {
    module: String,
    /// The version the plugin requires it at, when known.
    version: Option<String>,
    /// Where its source is or goes.
    dir: PathBuf,
    /// Whether `dir` already holds it.
    present: bool,
}

pub(crate) fn run(args: &SetupArgs) -> Result<ExitStatus, CommandError> {
    let settings = Settings::from_env()?;
    let plugin_dir = discover::clean(&load::absolute(
        args.plugin_dir.as_deref().unwrap_or(Path::new("plugin")),
    )?);
    let root = plugin_dir
        .parent()
        .ok_or_else(|| {
            CommandError::invalid(miette!(
                "{}: no parent directory to hold go.work",
                plugin_dir.display()
            ))
        })?
        .to_path_buf();
    let gateway = find_gateway(args, &settings, &root)?;
    let gateway_go_mod_path = if gateway.present {
        gateway.dir.join("go.mod")
    } else {
        download(&gateway, &root)?.1
    };
    let gateway_go_mod_text = read(&gateway_go_mod_path)?.unwrap_or_default();
    let gateway_go_mod = gomod::parse_mod(
        &gateway_go_mod_path.display().to_string(),
        &gateway_go_mod_text,
        gomod::Mode::Lax,
    )
    .map_err(|e| CommandError::invalid(miette!("{e}")))?;
    let go_work = read(&root.join("go.work"))?;
    let plugin_go_mod = read(&plugin_dir.join("go.mod"))?;
    let go_files = go_files(&plugin_dir);
    let target = Target {
        goos: settings.target.goos.clone(),
        goarch: settings.target.goarch.clone(),
        cgo_enabled: settings.target.cgo_enabled,
    };
    let layout = Layout {
        root: &root,
        gateway_dir: &gateway.dir,
        gateway_module: &gateway.module,
        gateway_version: gateway.version.as_deref(),
        gateway_go_mod: &gateway_go_mod,
        gateway_present: gateway.present,
        go_work: go_work.as_deref(),
        plugin_dir: &plugin_dir,
        plugin_go_mod: plugin_go_mod.as_deref(),
        plugin_has_go_files: !go_files.is_empty(),
        plugin_imports_gateway: imports(&go_files, &gateway.module),
        plugin_symbols: &symbols(&go_files),
        target: &target,
    };
    let plan = setup::plan(&layout).map_err(|c| CommandError::invalid(miette!("{c}")))?;
    let text = tykdeps_render::setup::actions(&plan, args.dry_run);
    let commands = tykdeps_render::setup::commands(&plan);
    if args.dry_run {
        printer::out(&(text + &commands));
        return Ok(ExitStatus::Ok);
    }
    for action in &plan.actions {
        carry_out(action, &gateway, &root)?;
    }
    printer::out(&text);
    let request = audit_request(args, &settings, &root, &plugin_dir, &gateway.module)?;
    let report = source_audit::run(&request, &settings)?.report;
    let status = audit::print(&report, crate::args::Format::Human, false, None);
    printer::out(&commands);
    Ok(status)
}

/// The audit of the workspace setup made, built as `audit`'s is (one home
/// for the flags and the environment: `--timeout`, `TYKDEPS_TIMEOUT`,
/// `--metadata-ttl`, tykdeps.toml). The gateway is the checkout the go.work
/// at `root` uses, whatever a policy names.
fn audit_request(
    args: &SetupArgs,
    settings: &Settings,
    root: &Path,
    plugin_dir: &Path,
    gateway_module: &str,
) -> Result<Request, CommandError> {
    let source = SourceArgs {
        dir: Some(root.to_path_buf()),
        gateway: Vec::new(),
        gateway_repo: args.gateway_repo.clone(),
        gateway_module: Some(gateway_module.to_owned()),
        gateway_snapshot: Vec::new(),
        build_mode: None,
        plugin: vec![plugin_dir.to_path_buf()],
        gateway_bin: None,
        network: args.network.clone(),
    };
    let request = source_audit::request(&source, settings, audit::policy(None)?)?;
    Ok(Request {
        gateway: GatewaySpec::Required,
        build_mode: BuildMode::Standalone,
        ..request
    })
}

/// The gateway `--gateway` names, and where its source goes: beside the
/// plugin, in a directory named after the module's last element.
fn find_gateway(
    args: &SetupArgs,
    settings: &Settings,
    root: &Path,
) -> Result<Gateway, CommandError> {
    let given = Path::new(&args.gateway);
    if given.is_dir() {
        let dir = discover::clean(&load::absolute(given)?);
        let text = read(&dir.join("go.mod"))?.ok_or_else(|| {
            CommandError::invalid(miette!(
                "{}: no go.mod, so not a gateway checkout",
                dir.display()
            ))
        })?;
        let module = gomod::parse_mod(
            &dir.join("go.mod").display().to_string(),
            &text,
            gomod::Mode::Lax,
        )
        .map_err(|e| CommandError::invalid(miette!("{e}")))?
        .module
        .map(|m| m.path)
        .ok_or_else(|| {
            CommandError::invalid(miette!("{}: go.mod has no module line", dir.display()))
        })?;
        let version = vcs::of_checkout(&dir, &module).pseudo_version;
        return Ok(Gateway {
            module,
            version,
            dir,
            present: true,
        });
    }
    let (module, version) = if let Some((module, version)) = args.gateway.split_once('@') {
        (module.to_owned(), version.to_owned())
    } else {
        let reference = GatewayRef::parse(&args.gateway).map_err(|e| {
            CommandError::invalid(miette!(
                "--gateway {}: no such directory, not MODULE@VERSION, and {e}",
                args.gateway
            ))
        })?;
        let source = load::cached_source(settings, None, HttpOptions::default())?;
        let resolved = load::runtime()?.block_on(gateway::resolve(
            &args.gateway,
            &reference,
            &args.gateway_module,
            &args.gateway_repo,
            source.as_ref(),
        ))?;
        (resolved.module, resolved.version)
    };
    let name = module.rsplit('/').next().unwrap_or(&module);
    let dir = root.join(name);
    let holds = read(&dir.join("go.mod"))?.is_some_and(|text| {
        gomod::parse_mod("go.mod", &text, gomod::Mode::Lax)
            .is_ok_and(|m| m.module.is_some_and(|m| m.path == module))
    });
    if !holds && dir.read_dir().is_ok_and(|mut d| d.next().is_some()) {
        return Err(CommandError::invalid(miette!(
            "{}: exists and does not hold {module}; setup does not overwrite it: move it away, or pass the checkout as --gateway DIR",
            dir.display()
        )));
    }
    Ok(Gateway {
        module,
        version: Some(version),
        dir,
        present: holds,
    })
}

/// `go mod download -json MODULE@VERSION`: the extracted source in the
/// module cache and its go.mod.
fn download(gateway: &Gateway, root: &Path) -> Result<(PathBuf, PathBuf), CommandError> {
    let version = gateway.version.as_deref().unwrap_or("latest");
    let out = go(
        root,
        &[
            "mod",
            "download",
            "-json",
            &format!("{}@{version}", gateway.module),
        ],
    )?;
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    match (info["Dir"].as_str(), info["GoMod"].as_str()) {
        (Some(dir), Some(go_mod)) if out.status.success() => {
            Ok((PathBuf::from(dir), PathBuf::from(go_mod)))
        }
        _ => Err(CommandError::new(
            ExitStatus::CouldNotCheck,
            miette!(
                "go mod download {}@{version} failed: {}{}",
                gateway.module,
                info["Error"].as_str().unwrap_or(""),
                String::from_utf8_lossy(&out.stderr)
            ),
        )),
    }
}

fn carry_out(action: &Action, gateway: &Gateway, root: &Path) -> Result<(), CommandError> {
    let io =
        |path: &Path, e: std::io::Error| CommandError::invalid(miette!("{}: {e}", path.display()));
    match action {
        Action::FetchGateway { to } => {
            let (from, _) = download(gateway, root)?;
            copy_tree(&from, to).map_err(|e| io(to, e))
        }
        Action::Create { path, text } => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
            }
            // create_new: a file that appeared since the plan is never overwritten.
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
                .map_err(|e| io(path, e))
        }
        Action::EditGoMod { path, edits } => {
            let text = read(path)?.unwrap_or_default();
            let edited = gomod::apply(&path.display().to_string(), &text, edits)
                .map_err(|e| CommandError::invalid(miette!("{e}")))?;
            atomic::write(path, edited.as_bytes(), Durability::Durable).map_err(|e| io(path, e))
        }
        Action::Tidy { dir } => {
            let out = go(dir, &["mod", "tidy"])?;
            if out.status.success() {
                Ok(())
            } else {
                Err(CommandError::new(
                    ExitStatus::Fails,
                    miette!(
                        "go mod tidy in {} failed:\n{}",
                        dir.display(),
                        String::from_utf8_lossy(&out.stderr)
                    ),
                ))
            }
        }
    }
}

/// The go command in `dir`, the user's environment as it is.
fn go(dir: &Path, args: &[&str]) -> Result<std::process::Output, CommandError> {
    Command::new("go")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| {
            CommandError::new(
                ExitStatus::CouldNotCheck,
                miette!("running go {}: {e}", args.join(" ")),
            )
        })
}

/// A file's text; `None` when it does not exist.
fn read(path: &Path) -> Result<Option<String>, CommandError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CommandError::invalid(miette!("{}: {e}", path.display()))),
    }
}

/// The plugin directory's `.go` files, read once for every question setup
/// asks of them: each one's name and text (`None` when it cannot be read
/// as UTF-8, as go would refuse it), by name.
fn go_files(dir: &Path) -> Vec<(String, Option<String>)> {
    let mut files: Vec<(String, Option<String>)> = dir
        .read_dir()
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "go"))
                .map(|e| {
                    let text = std::fs::read_to_string(e.path()).ok();
                    (e.file_name().to_string_lossy().into_owned(), text)
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Whether a `.go` file names a package of `module` in quotes, as an
/// import does (a quick scan: a string literal naming it counts too, which
/// only keeps a requirement tidy would drop).
fn imports(files: &[(String, Option<String>)], module: &str) -> bool {
    let quoted = format!("\"{module}");
    files
        .iter()
        .any(|(_, text)| text.as_ref().is_some_and(|t| t.contains(&quoted)))
}

/// The middleware the plugin's package exports, for the load command.
fn symbols(files: &[(String, Option<String>)]) -> Vec<String> {
    setup::middleware_symbols(
        files
            .iter()
            .filter_map(|(name, text)| Some((name.as_str(), text.as_deref()?))),
    )
}

/// Copy the module cache's read-only tree into `to`, writable, as a
/// checkout would be.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::write(&target, std::fs::read(entry.path())?)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::*;
    use crate::args::{Cli, Command};

    fn setup_args(flags: &[&str]) -> SetupArgs {
        let line = ["tykdeps", "setup", "--gateway", "v5.3.6"];
        match Cli::try_parse_from(line.iter().chain(flags))
            .unwrap()
            .command
        {
            Command::Setup(args) => args,
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn the_audit_after_setup_takes_the_network_flags_as_audit_does() {
        let settings = Settings::from_env().unwrap();
        let root = std::env::temp_dir();
        let plugin = root.join("plugin");
        let request = |flags: &[&str]| {
            audit_request(
                &setup_args(flags),
                &settings,
                &root,
                &plugin,
                "example.com/gw",
            )
            .unwrap()
        };
        let set = request(&["--timeout", "7s", "--metadata-ttl", "1h", "--refresh"]);
        assert_eq!(set.deadline, std::time::Duration::from_secs(7));
        assert_eq!(set.metadata_ttl, 3600);
        assert!(set.refresh);
        assert_eq!(set.plugins, std::slice::from_ref(&plugin));
        assert_eq!(set.gateway_module, "example.com/gw");
        assert!(matches!(set.gateway, GatewaySpec::Required));
        let defaults = request(&[]);
        assert_eq!(defaults.metadata_ttl, 24 * 3600);
        assert!(!defaults.refresh);
    }
}
