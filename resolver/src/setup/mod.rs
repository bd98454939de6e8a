//! The plan of `tykdeps setup`: Tyk's documented plugin workflow (the
//! gateway source beside the plugin, a go.work using both, the plugin's
//! `go` and `toolchain` lines matched to the gateway's, the gateway
//! required at its version, `go mod tidy`) decided from what is already on
//! disk, and the exact commands that build both the way releases are built.
//!
//! Pure: the caller reads the files, fetches the gateway, runs the go
//! command and writes what the plan says; so the plan is what `--dry-run`
//! prints and what a second run finds already done.

pub mod disk;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::gomod::{self, Edit, ModFile, WorkFile};

/// What setup starts from.
pub struct Layout<'a> {
    /// The directory that holds (or will hold) go.work.
    pub root: &'a Path,
    /// Where the gateway source is, or goes.
    pub gateway_dir: &'a Path,
    /// The gateway's module path.
    pub gateway_module: &'a str,
    /// The version the plugin requires the gateway at (a release tag or the
    /// commit's pseudo-version); `None` for a checkout of unknown version.
    pub gateway_version: Option<&'a str>,
    /// The gateway's go.mod.
    pub gateway_go_mod: &'a ModFile,
    /// Whether `gateway_dir` already holds the gateway module.
    pub gateway_present: bool,
    /// go.work's text, when the file exists.
    pub go_work: Option<&'a str>,
    /// The plugin's directory.
    pub plugin_dir: &'a Path,
    /// The plugin's go.mod text, when it exists.
    pub plugin_go_mod: Option<&'a str>,
    /// Whether the plugin directory already has `.go` files.
    pub plugin_has_go_files: bool,
    /// Whether the plugin's `.go` files import the gateway's packages: only
    /// then does it need the requirement (`go mod tidy` drops it otherwise).
    pub plugin_imports_gateway: bool,
    /// The middleware the plugin's package exports ([`middleware_symbols`]),
    /// the first of which the printed load command names.
    pub plugin_symbols: &'a [String],
    /// What the builds are for.
    pub target: &'a Target,
}

/// The platform both builds are for, as `go env` gives it.
#[derive(Debug, Clone)]
pub struct Target {
    /// GOOS.
    pub goos: String,
    /// GOARCH.
    pub goarch: String,
    /// CGO_ENABLED (plugins need cgo).
    pub cgo_enabled: bool,
}

/// One step of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Lay out the gateway source from the module proxy's zip.
    FetchGateway {
        /// The directory to fill (absent or empty).
        to: PathBuf,
    },
    /// Create a file that does not exist yet.
    Create {
        /// The file.
        path: PathBuf,
        /// Its text.
        text: String,
    },
    /// Edit lines of the plugin's go.mod, keeping the rest as written.
    EditGoMod {
        /// The go.mod.
        path: PathBuf,
        /// The edits, each as `go mod edit` would make it.
        edits: Vec<Edit>,
    },
    /// `go mod tidy` in the plugin's directory.
    Tidy {
        /// The plugin's directory.
        dir: PathBuf,
    },
}

impl Action {
    /// The step in one line, for the plan a person reads.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Action::FetchGateway { to } => {
                format!(
                    "lay out the gateway source in {} (module proxy zip)",
                    to.display()
                )
            }
            Action::Create { path, .. } => format!("create {}", path.display()),
            Action::EditGoMod { path, edits } => format!(
                "edit {}: {}",
                path.display(),
                edits
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Action::Tidy { dir } => format!("go mod tidy in {}", dir.display()),
        }
    }
}

/// What setup does, and the commands it prints after.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The steps, in order; empty when everything is in place.
    pub actions: Vec<Action>,
    /// The commands that build the gateway as a release and the plugin, then load it.
    pub commands: Vec<String>,
    /// Why a step the reader might expect is left out.
    pub notes: Vec<String>,
}

/// A file setup would have to overwrite or a layout it cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {why}")]
pub struct Conflict {
    /// The file or directory.
    pub path: String,
    /// What is wrong and what to do.
    pub why: String,
}

/// The module path of a new plugin: a dot in its first element, so it can
/// never be a standard-library-like path the gateway already links.
pub const NEW_PLUGIN_MODULE: &str = "example.com/plugin";

/// The symbol the new plugin exports, for `tyk plugin load -s`.
pub const NEW_PLUGIN_SYMBOL: &str = "MyProcessRequest";

const NEW_PLUGIN_MAIN: &str = "// A Tyk custom Go plugin: each exported function of this form is a\n// middleware, named in the API definition (and by tyk plugin load -s).\npackage main\n\nimport \"net/http\"\n\n// MyProcessRequest runs for each request of the APIs that use it.\nfunc MyProcessRequest(rw http.ResponseWriter, r *http.Request) {\n\trw.Header().Add(\"X-Plugin\", \"loaded\")\n}\n\nfunc main() {}\n";

/// Decide what setup does in `layout`.
///
/// # Errors
/// A [`Conflict`] when an existing file or directory would have to be
/// overwritten (go.work that does not use both modules, a directory in the
/// gateway's place holding something else).
pub fn plan(layout: &Layout<'_>) -> Result<Plan, Conflict> {
    let mut actions = Vec::new();
    if !layout.gateway_present {
        actions.push(Action::FetchGateway {
            to: layout.gateway_dir.to_path_buf(),
        });
    }
    let gateway_go = layout.gateway_go_mod.go.as_ref().map(|g| g.version.clone());
    let gateway_toolchain = layout
        .gateway_go_mod
        .toolchain
        .as_ref()
        .map(|t| t.version.clone());
    let uses = [
        relative(layout.root, layout.gateway_dir),
        relative(layout.root, layout.plugin_dir),
    ];
    let work_path = layout.root.join("go.work");
    match layout.go_work {
        None => actions.push(Action::Create {
            path: work_path,
            text: go_work_text(gateway_go.as_deref(), gateway_toolchain.as_deref(), &uses),
        }),
        Some(text) => check_go_work(&work_path, text, &uses)?,
    }
    let go_mod_path = layout.plugin_dir.join("go.mod");
    match layout.plugin_go_mod {
        None => {
            let mut text = format!("module {NEW_PLUGIN_MODULE}\n");
            if let Some(go) = &gateway_go {
                let _ = write!(text, "\ngo {go}\n");
            }
            if let Some(t) = &gateway_toolchain {
                let _ = write!(text, "\ntoolchain {t}\n");
            }
            if let Some(v) = layout
                .gateway_version
                .filter(|_| layout.plugin_imports_gateway)
            {
                let _ = write!(text, "\nrequire {} {v}\n", layout.gateway_module);
            }
            actions.push(Action::Create {
                path: go_mod_path,
                text,
            });
        }
        Some(text) => {
            let name = go_mod_path.display().to_string();
            let go_mod =
                gomod::parse_mod(&name, text, gomod::Mode::Strict).map_err(|e| Conflict {
                    path: name.clone(),
                    why: format!("does not parse ({e}); fix it before setting up"),
                })?;
            let edits = go_mod_edits(&go_mod, layout, gateway_go, gateway_toolchain);
            if !edits.is_empty() {
                actions.push(Action::EditGoMod {
                    path: go_mod_path,
                    edits,
                });
            }
        }
    }
    if !layout.plugin_has_go_files {
        actions.push(Action::Create {
            path: layout.plugin_dir.join("main.go"),
            text: NEW_PLUGIN_MAIN.to_owned(),
        });
    }
    let mut notes = Vec::new();
    // `go mod tidy` ignores go.work: with no version to require the gateway
    // at, it would look the gateway's packages up on the module proxy and
    // pin whatever it calls latest (for Tyk, a v2 `+incompatible` tag).
    let tidy_would_guess = layout.plugin_imports_gateway && layout.gateway_version.is_none();
    if tidy_would_guess {
        notes.push(format!(
            "no go mod tidy: the gateway checkout {} has no version (not a git checkout of a commit), and tidy, which ignores go.work, would resolve {} from the module proxy at another version; the plugin builds in the workspace as it is",
            layout.gateway_dir.display(),
            layout.gateway_module
        ));
    } else if !actions.is_empty() {
        actions.push(Action::Tidy {
            dir: layout.plugin_dir.to_path_buf(),
        });
    }
    Ok(Plan {
        actions,
        commands: commands(layout),
        notes,
    })
}

/// The plugin's go.mod lines that differ from the gateway's: go,
/// toolchain, and the gateway requirement.
fn go_mod_edits(
    go_mod: &ModFile,
    layout: &Layout<'_>,
    gateway_go: Option<String>,
    gateway_toolchain: Option<String>,
) -> Vec<Edit> {
    let mut edits = Vec::new();
    if gateway_go.is_some() && go_mod.go.as_ref().map(|g| &g.version) != gateway_go.as_ref() {
        edits.push(Edit::SetGo {
            version: gateway_go,
        });
    }
    if go_mod.toolchain.as_ref().map(|t| &t.version) != gateway_toolchain.as_ref() {
        edits.push(Edit::SetToolchain {
            name: gateway_toolchain,
        });
    }
    let required = go_mod
        .require
        .iter()
        .any(|r| r.path == layout.gateway_module);
    if let Some(version) = layout.gateway_version
        && (required || layout.plugin_imports_gateway)
        && !go_mod
            .require
            .iter()
            .any(|r| r.path == layout.gateway_module && r.version == version)
    {
        edits.push(Edit::SetRequire {
            path: layout.gateway_module.to_owned(),
            version: version.to_owned(),
            indirect: None,
        });
    }
    edits
}

/// A go.work that exists must already use both modules: setup never
/// rewrites it.
fn check_go_work(path: &Path, text: &str, uses: &[String; 2]) -> Result<(), Conflict> {
    let name = path.display().to_string();
    let work: WorkFile = gomod::parse_work(&name, text).map_err(|e| Conflict {
        path: name.clone(),
        why: format!("does not parse ({e})"),
    })?;
    let used: Vec<String> = work.uses.iter().map(|u| clean_use(&u.disk_path)).collect();
    let missing: Vec<&String> = uses
        .iter()
        .filter(|u| !used.contains(&clean_use(u)))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Conflict {
        path: name,
        why: format!(
            "exists and does not use {}; setup does not rewrite it: add them (go work use {}) or move it away",
            missing
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(" and "),
            missing
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        ),
    })
}

fn clean_use(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    trimmed.strip_prefix("./").unwrap_or(trimmed).to_owned()
}

fn go_work_text(go: Option<&str>, toolchain: Option<&str>, uses: &[String; 2]) -> String {
    let mut text = String::new();
    if let Some(go) = go {
        let _ = writeln!(text, "go {go}\n");
    }
    if let Some(t) = toolchain {
        let _ = writeln!(text, "toolchain {t}\n");
    }
    let _ = write!(
        text,
        "use (\n\t{}\n\t{}\n)\n",
        use_path(&uses[0]),
        use_path(&uses[1])
    );
    text
}

/// A `use` path as `go work use` writes it: `./dir` inside the workspace,
/// an absolute path (a gateway checkout elsewhere) as it is; `.//abs` would
/// name the workspace's own directory.
fn use_path(dir: &str) -> String {
    if Path::new(dir).is_absolute() {
        dir.to_owned()
    } else {
        format!("./{dir}")
    }
}

/// `to` relative to `root` when inside it, else as given.
fn relative(root: &Path, to: &Path) -> String {
    to.strip_prefix(root)
        .map_or_else(|_| to.display().to_string(), |p| p.display().to_string())
}

/// The commands that build the gateway as its releases are built (its own
/// go.mod, outside the workspace, so the local test sees what production
/// sees), the plugin in the workspace, and load the one into the other.
fn commands(layout: &Layout<'_>) -> Vec<String> {
    let t = layout.target;
    let mut env = format!(
        "CGO_ENABLED={} GOOS={} GOARCH={}",
        u8::from(t.cgo_enabled),
        t.goos,
        t.goarch
    );
    if let Some(toolchain) = &layout.gateway_go_mod.toolchain {
        let _ = write!(env, " GOTOOLCHAIN={}", toolchain.version);
    }
    let gateway_bin = layout.root.join("tyk-gateway");
    let so = layout.plugin_dir.join("plugin.so");
    let symbol = match layout.plugin_symbols.first() {
        Some(symbol) => Some(symbol.as_str()),
        None => (!layout.plugin_has_go_files).then_some(NEW_PLUGIN_SYMBOL),
    };
    let mut commands = vec![
        format!(
            "cd {} && GOWORK=off {env} go build -tags=goplugin -trimpath -o {} .",
            quote(layout.gateway_dir),
            quote(&gateway_bin)
        ),
        format!(
            "cd {} && {env} go build -buildmode=plugin -trimpath -o {} .",
            quote(layout.plugin_dir),
            quote(&so)
        ),
    ];
    // Without an exported middleware there is nothing `plugin load` could
    // name; a made-up symbol would fail as if the plugin did not load.
    if let Some(symbol) = symbol {
        commands.push(format!(
            "{} plugin load -f {} -s {symbol}",
            quote(&gateway_bin),
            quote(&so)
        ));
    }
    commands
}

/// The middleware a plugin's package exports: in each `(file name, text)`
/// of package `main` (tests aside), the top-level functions, exported, of
/// Tyk's middleware signature `func(http.ResponseWriter, *http.Request)`,
/// in file order. Go source is not parsed; declarations are read where
/// gofmt puts them, at the start of a line.
#[must_use]
pub fn middleware_symbols<'t>(files: impl IntoIterator<Item = (&'t str, &'t str)>) -> Vec<String> {
    files
        .into_iter()
        .filter(|(name, text)| {
            !name.ends_with("_test.go")
                && crate::packages::scan::scan_file(name, text.as_bytes())
                    .is_ok_and(|header| header.package == "main")
        })
        .flat_map(|(_, text)| {
            text.split('\n')
                .filter_map(middleware_decl)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The function a `func Name(w http.ResponseWriter, r *http.Request) {`
/// line declares, when it is exported and of that signature.
fn middleware_decl(line: &str) -> Option<String> {
    let rest = line.strip_prefix("func ")?;
    let (name, rest) = rest.split_once('(')?;
    let name = name.trim();
    let exported = name.chars().next().is_some_and(char::is_uppercase);
    if !exported || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let (params, after) = rest.split_once(')')?;
    if !after.trim_start().starts_with('{') {
        return None;
    }
    let types: Vec<&str> = params
        .split(',')
        .filter_map(|param| param.split_whitespace().last())
        .collect();
    (types == ["http.ResponseWriter", "*http.Request"]).then(|| name.to_owned())
}

/// A path as one shell word.
fn quote(path: &Path) -> String {
    let text = path.display().to_string();
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+@".contains(c))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GATEWAY: &str = "module example.com/gateway\n\ngo 1.24.6\n\ntoolchain go1.24.6\n";

    fn layout<'a>(
        gateway: &'a ModFile,
        go_work: Option<&'a str>,
        plugin: Option<&'a str>,
        target: &'a Target,
    ) -> Layout<'a> {
        Layout {
            root: Path::new("/w"),
            gateway_dir: Path::new("/w/gateway"),
            gateway_module: "example.com/gateway",
            gateway_version: Some("v1.0.0"),
            gateway_go_mod: gateway,
            gateway_present: go_work.is_some(),
            go_work,
            plugin_dir: Path::new("/w/plugin"),
            plugin_go_mod: plugin,
            plugin_has_go_files: plugin.is_some(),
            plugin_imports_gateway: true,
            plugin_symbols: &[],
            target,
        }
    }

    fn target() -> Target {
        Target {
            goos: "linux".to_owned(),
            goarch: "amd64".to_owned(),
            cgo_enabled: true,
        }
    }

    #[test]
    fn a_new_plugin_gets_the_whole_layout() {
        let gateway = gomod::parse_mod("go.mod", GATEWAY, gomod::Mode::Strict).unwrap();
        let target = target();
        let plan = plan(&layout(&gateway, None, None, &target)).unwrap();
        let described: Vec<String> = plan.actions.iter().map(Action::describe).collect();
        assert_eq!(
            described,
            [
                "lay out the gateway source in /w/gateway (module proxy zip)",
                "create /w/go.work",
                "create /w/plugin/go.mod",
                "create /w/plugin/main.go",
                "go mod tidy in /w/plugin",
            ]
        );
        let Action::Create { text, .. } = &plan.actions[1] else {
            panic!()
        };
        assert_eq!(
            text,
            "go 1.24.6\n\ntoolchain go1.24.6\n\nuse (\n\t./gateway\n\t./plugin\n)\n"
        );
        let Action::Create { text, .. } = &plan.actions[2] else {
            panic!()
        };
        assert!(text.starts_with("module example.com/plugin\n\ngo 1.24.6\n\ntoolchain go1.24.6\n"));
        assert_eq!(
            plan.commands[1],
            "cd /w/plugin && CGO_ENABLED=1 GOOS=linux GOARCH=amd64 GOTOOLCHAIN=go1.24.6 go build -buildmode=plugin -trimpath -o /w/plugin/plugin.so ."
        );
        assert!(
            plan.commands[0].contains("GOWORK=off")
                && plan.commands[0].contains("-tags=goplugin -trimpath")
        );
    }

    #[test]
    fn an_existing_plugin_gets_its_lines_matched_and_a_done_layout_nothing() {
        let gateway = gomod::parse_mod("go.mod", GATEWAY, gomod::Mode::Strict).unwrap();
        let target = target();
        let work = "go 1.24.6\n\nuse (\n\t./gateway\n\t./plugin\n)\n";
        let plugin = "module example.com/p\n\ngo 1.26.8\n";
        let plan = plan(&layout(&gateway, Some(work), Some(plugin), &target)).unwrap();
        assert_eq!(
            plan.actions
                .iter()
                .map(Action::describe)
                .collect::<Vec<_>>(),
            [
                "edit /w/plugin/go.mod: -go=1.24.6, -toolchain=go1.24.6, -require=example.com/gateway@v1.0.0",
                "go mod tidy in /w/plugin",
            ]
        );
        let done = "module example.com/p\n\ngo 1.24.6\n\ntoolchain go1.24.6\n\nrequire example.com/gateway v1.0.0\n";
        let plan = super::plan(&layout(&gateway, Some(work), Some(done), &target)).unwrap();
        assert!(plan.actions.is_empty(), "{:?}", plan.actions);
    }

    #[test]
    fn a_go_work_without_both_modules_is_never_rewritten() {
        let gateway = gomod::parse_mod("go.mod", GATEWAY, gomod::Mode::Strict).unwrap();
        let target = target();
        let err = plan(&layout(
            &gateway,
            Some("go 1.24\n\nuse ./other\n"),
            None,
            &target,
        ))
        .unwrap_err();
        assert_eq!(err.path, "/w/go.work");
        assert!(
            err.why.contains("go work use gateway plugin"),
            "{}",
            err.why
        );
    }

    #[test]
    fn the_load_command_names_the_plugins_own_middleware() {
        let gateway = gomod::parse_mod("go.mod", GATEWAY, gomod::Mode::Strict).unwrap();
        let target = target();
        let go_mod = "module main\n\ngo 1.24.6\n";
        let symbols = ["CasbinAuthz".to_owned()];
        let mut with = layout(&gateway, None, Some(go_mod), &target);
        with.plugin_symbols = &symbols;
        let load = plan(&with).unwrap().commands.pop().unwrap();
        assert!(
            load.ends_with("plugin load -f /w/plugin/plugin.so -s CasbinAuthz"),
            "{load}"
        );
        // An existing plugin exporting no middleware: nothing to name.
        let none = plan(&layout(&gateway, None, Some(go_mod), &target)).unwrap();
        assert_eq!(none.commands.len(), 2, "{:?}", none.commands);
        // A plugin setup creates exports its own.
        let new = plan(&layout(&gateway, None, None, &target)).unwrap();
        assert!(new.commands[2].ends_with(&format!("-s {NEW_PLUGIN_SYMBOL}")));
    }

    #[test]
    fn middleware_is_an_exported_top_level_function_of_tyks_signature() {
        let main = "package main\n\nimport \"net/http\"\n\n\
            func CasbinAuthz(rw http.ResponseWriter, r *http.Request) {\n}\n\
            func (a *Auth) Method(rw http.ResponseWriter, r *http.Request) {}\n\
            func unexported(rw http.ResponseWriter, r *http.Request) {}\n\
            func Helper(r *http.Request) {}\n\
            func WithResult(rw http.ResponseWriter, r *http.Request) error {}\n\
            func Unnamed(http.ResponseWriter, *http.Request) {}\n\
            func main() {}\n";
        let test = "package main\n\nfunc InTest(w http.ResponseWriter, r *http.Request) {}\n";
        let library = "package helpers\n\nfunc Lib(w http.ResponseWriter, r *http.Request) {}\n";
        assert_eq!(
            middleware_symbols([
                ("plugin.go", main),
                ("plugin_test.go", test),
                ("helpers.go", library),
            ]),
            ["CasbinAuthz", "Unnamed"]
        );
    }

    #[test]
    fn a_gateway_checkout_outside_the_workspace_is_used_by_its_absolute_path() {
        let gateway = gomod::parse_mod("go.mod", GATEWAY, gomod::Mode::Strict).unwrap();
        let target = target();
        let mut elsewhere = layout(&gateway, None, None, &target);
        elsewhere.gateway_dir = Path::new("/src/tyk");
        let plan = plan(&elsewhere).unwrap();
        let Some(Action::Create { text, .. }) = plan
            .actions
            .iter()
            .find(|a| matches!(a, Action::Create { path, .. } if path == Path::new("/w/go.work")))
        else {
            panic!("no go.work in {:?}", plan.actions);
        };
        assert!(
            text.ends_with("use (\n\t/src/tyk\n\t./plugin\n)\n"),
            "{text}"
        );
    }

    #[test]
    fn no_tidy_when_it_would_guess_the_gateways_version() {
        let gateway = gomod::parse_mod("go.mod", GATEWAY, gomod::Mode::Strict).unwrap();
        let target = target();
        let mut unversioned = layout(&gateway, None, Some("module tyk-plugin\n"), &target);
        unversioned.gateway_version = None;
        let plan = plan(&unversioned).unwrap();
        assert!(
            !plan
                .actions
                .iter()
                .any(|a| matches!(a, Action::Tidy { .. })),
            "{:?}",
            plan.actions
        );
        assert!(plan.notes[0].contains("no go mod tidy"), "{:?}", plan.notes);
        unversioned.plugin_imports_gateway = false;
        let plan = super::plan(&unversioned).unwrap();
        assert!(
            plan.actions
                .iter()
                .any(|a| matches!(a, Action::Tidy { .. }))
        );
        assert!(plan.notes.is_empty());
    }
}
