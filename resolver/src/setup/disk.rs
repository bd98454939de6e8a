//! Setup on the disk: the layout the planner ([`super::plan`]) reads, taken
//! from the files (the gateway checkout or download, go.work, the plugin's
//! go.mod and `.go` files), and its actions carried out: the go command
//! fetches and tidies, files are created only where none exist, go.mod
//! files are edited line by line. The planner stays pure; this is its edge.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Action, Layout, Plan, Target};
use crate::atomic::{self, Durability};
use crate::gomod;
use crate::source::git;

/// Why setup stopped, by what the user can do about it.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum SetupError {
    /// A file or directory it cannot read, write or use as given.
    #[error("{0}")]
    Invalid(String),
    /// The go command could not be run, or could not download the gateway.
    #[error("{0}")]
    Go(String),
    /// `go mod tidy` refused the plugin.
    #[error("{0}")]
    Tidy(String),
}

/// The gateway setup works with.
#[derive(Debug, Clone)]
pub struct Gateway {
    /// Its module path.
    pub module: String,
    /// The version the plugin requires it at, when known.
    pub version: Option<String>,
    /// Where its source is or goes.
    pub dir: PathBuf,
    /// Whether `dir` already holds it.
    pub present: bool,
}

/// The gateway checked out at `dir` (absolute and clean), at the version
/// git gives its commit.
pub fn checkout(dir: PathBuf) -> Result<Gateway, SetupError> {
    let go_mod = dir.join("go.mod");
    let text = read(&go_mod)?.ok_or_else(|| {
        SetupError::Invalid(format!(
            "{}: no go.mod, so not a gateway checkout",
            dir.display()
        ))
    })?;
    let module = gomod::parse_mod(&go_mod.display().to_string(), &text, gomod::Mode::Lax)
        .map_err(|e| SetupError::Invalid(e.to_string()))?
        .module
        .map(|m| m.path)
        .ok_or_else(|| {
            SetupError::Invalid(format!("{}: go.mod has no module line", dir.display()))
        })?;
    let version = git::of_checkout(&dir, &module).pseudo_version;
    Ok(Gateway {
        module,
        version,
        dir,
        present: true,
    })
}

/// `module@version`, whose source goes beside the plugin under `root`, in a
/// directory named after the module's last element (present when that
/// already holds it; refused when it holds anything else).
pub fn beside(root: &Path, module: String, version: String) -> Result<Gateway, SetupError> {
    let name = module.rsplit('/').next().unwrap_or(&module);
    let dir = root.join(name);
    let holds = read(&dir.join("go.mod"))?.is_some_and(|text| {
        gomod::parse_mod("go.mod", &text, gomod::Mode::Lax)
            .is_ok_and(|m| m.module.is_some_and(|m| m.path == module))
    });
    if !holds && dir.read_dir().is_ok_and(|mut d| d.next().is_some()) {
        return Err(SetupError::Invalid(format!(
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

/// The plan for the workspace at `root` holding `plugin_dir` and `gateway`
/// (downloaded first, to read its go.mod, when it is not on the disk).
pub fn plan(
    root: &Path,
    plugin_dir: &Path,
    gateway: &Gateway,
    target: &Target,
) -> Result<Plan, SetupError> {
    let gateway_go_mod_path = if gateway.present {
        gateway.dir.join("go.mod")
    } else {
        download(gateway, root)?.1
    };
    let gateway_go_mod_text = read(&gateway_go_mod_path)?.unwrap_or_default();
    let gateway_go_mod = gomod::parse_mod(
        &gateway_go_mod_path.display().to_string(),
        &gateway_go_mod_text,
        gomod::Mode::Lax,
    )
    .map_err(|e| SetupError::Invalid(e.to_string()))?;
    let go_work = read(&root.join("go.work"))?;
    let plugin_go_mod = read(&plugin_dir.join("go.mod"))?;
    let go_files = go_files(plugin_dir);
    let layout = Layout {
        root,
        gateway_dir: &gateway.dir,
        gateway_module: &gateway.module,
        gateway_version: gateway.version.as_deref(),
        gateway_go_mod: &gateway_go_mod,
        gateway_present: gateway.present,
        go_work: go_work.as_deref(),
        plugin_dir,
        plugin_go_mod: plugin_go_mod.as_deref(),
        plugin_has_go_files: !go_files.is_empty(),
        plugin_imports_gateway: imports(&go_files, &gateway.module),
        plugin_symbols: &symbols(&go_files),
        target,
    };
    super::plan(&layout).map_err(|c| SetupError::Invalid(c.to_string()))
}

/// `go mod download -json MODULE@VERSION`: the extracted source in the
/// module cache and its go.mod.
fn download(gateway: &Gateway, root: &Path) -> Result<(PathBuf, PathBuf), SetupError> {
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
        _ => Err(SetupError::Go(format!(
            "go mod download {}@{version} failed: {}{}",
            gateway.module,
            info["Error"].as_str().unwrap_or(""),
            String::from_utf8_lossy(&out.stderr)
        ))),
    }
}

/// Carry out one action of the plan for `gateway` in the workspace `root`.
pub fn carry_out(action: &Action, gateway: &Gateway, root: &Path) -> Result<(), SetupError> {
    let io =
        |path: &Path, e: std::io::Error| SetupError::Invalid(format!("{}: {e}", path.display()));
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
                .map_err(|e| SetupError::Invalid(e.to_string()))?;
            atomic::write(path, edited.as_bytes(), Durability::Durable).map_err(|e| io(path, e))
        }
        Action::Tidy { dir } => {
            let out = go(dir, &["mod", "tidy"])?;
            if out.status.success() {
                Ok(())
            } else {
                Err(SetupError::Tidy(format!(
                    "go mod tidy in {} failed:\n{}",
                    dir.display(),
                    String::from_utf8_lossy(&out.stderr)
                )))
            }
        }
    }
}

/// The go command in `dir`, the user's environment as it is.
fn go(dir: &Path, args: &[&str]) -> Result<std::process::Output, SetupError> {
    Command::new("go")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| SetupError::Go(format!("running go {}: {e}", args.join(" "))))
}

/// A file's text; `None` when it does not exist.
fn read(path: &Path) -> Result<Option<String>, SetupError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(SetupError::Invalid(format!("{}: {e}", path.display()))),
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
    super::middleware_symbols(
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
