//! The load lab (`corpus/lab/`): the ground truth of "will this plugin load
//! into that gateway", decided by building real plugins with the real go
//! command and opening them with `plugin.Open` in a gateway binary built from
//! the gateway module alone, as releases are.
//!
//! A [`Lab`] owns one temporary directory holding a `file://` module proxy
//! generated from `corpus/lab/modules/`, a module cache, the host binary and
//! every plugin build, so tests can build plugins one at a time
//! ([`Lab::build_plugin`], [`Lab::load`]) or all scenarios at once
//! ([`Lab::run_all`]). It is a value rather than free functions because the
//! proxy, cache and host are built once and shared by every plugin build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// The gateway release the host binary is built from.
pub const GATEWAY: &str = "lab.example/gateway@v1.0.0";

/// The later gateway release, in the proxy only: what plugins are upgraded to.
pub const NEXT_GATEWAY: &str = "lab.example/gateway@v1.1.0";

/// How a plugin is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// The plugin's go.mod requires the published gateway module (`GOWORK=off`).
    Standalone,
    /// A go.work `use`s the gateway source and the plugin, as Tyk's docs recommend.
    Workspace,
}

impl Mode {
    /// Both modes, in the order outcomes are recorded.
    pub const ALL: [Mode; 2] = [Mode::Standalone, Mode::Workspace];

    fn name(self) -> &'static str {
        match self {
            Mode::Standalone => "standalone",
            Mode::Workspace => "workspace",
        }
    }
}

/// What happened to one scenario built one way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// The scenario's directory name under `corpus/lab/scenarios/`.
    pub scenario: String,
    /// How the plugin was built.
    pub mode: Mode,
    /// The go command's error when it refused to build the plugin.
    pub build_error: Option<String>,
    /// What the host printed on opening the plugin: `loads: ...` or `error: ...`.
    pub load: Option<String>,
    /// The plugin side's build list, `go list -m all`.
    pub modules: Vec<String>,
    /// The modules the plugin was really built from (`go version -m`),
    /// which can differ from `modules` when go.mod is not tidy.
    pub linked: Vec<String>,
}

/// The recorded lab: `corpus/lab/outcomes.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// `go version` of the toolchain that recorded the outcomes.
    pub go: String,
    /// The host's build list, `go list -m all` in the gateway source.
    pub host_modules: Vec<String>,
    /// The modules linked into the host (`go version -m`).
    pub host_linked: Vec<String>,
    /// One outcome per scenario and mode, sorted.
    pub outcomes: Vec<Outcome>,
}

/// The lab's directory in the corpus.
pub fn lab_dir() -> PathBuf {
    super::own_corpus().join("lab")
}

/// Where the recorded outcomes live.
pub fn record_path() -> PathBuf {
    lab_dir().join("outcomes.json")
}

/// The scenario names: every directory under `corpus/lab/scenarios/`, sorted.
pub fn scenarios() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(lab_dir().join("scenarios"))
        .expect("corpus/lab/scenarios is readable")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The build tags a scenario's plugin is built with (`tags` in its
/// `scenario.toml`), if any.
pub fn scenario_tags(source: &Path) -> Option<String> {
    let text = std::fs::read_to_string(source.join("scenario.toml")).ok()?;
    let meta: toml::Table = toml::from_str(&text).expect("scenario.toml parses");
    meta.get("tags")?.as_str().map(str::to_owned)
}

/// A built proxy, module cache and host, ready to build and load plugins.
pub struct Lab {
    work: tempfile::TempDir,
    env: BTreeMap<String, String>,
    host: PathBuf,
    host_modules: Vec<String>,
}

impl Lab {
    /// Generate the proxy and build the host ([`build_proxy`] then [`Lab::build_host`]).
    pub fn new() -> Lab {
        let mut lab = Lab::tools_only();
        lab.build_host();
        lab
    }

    /// Generate the proxy only: enough for [`Lab::copy_for_tools`], not for
    /// loading plugins (there is no host).
    pub fn tools_only() -> Lab {
        let work = tempfile::tempdir().expect("a temporary directory");
        let proxy = build_proxy(work.path());
        let mut env = super::hermetic_go_env(
            &format!("file://{}", proxy.display()),
            &work.path().join("modcache"),
        );
        env.insert("CGO_ENABLED".to_owned(), "1".to_owned());
        // The temporary directory could sit inside someone's repository.
        env.insert("GOFLAGS".to_owned(), "-mod=mod -buildvcs=false".to_owned());
        Lab {
            work,
            env,
            host: PathBuf::new(),
            host_modules: Vec::new(),
        }
    }

    /// The host binary: the gateway source built as its own main module
    /// with `-trimpath -tags=goplugin`, as Tyk builds releases.
    pub fn host(&self) -> &Path {
        &self.host
    }

    fn build_host(&mut self) {
        let host = self.release_host(GATEWAY);
        let src = self.work.path().join("host-src").join(GATEWAY);
        self.host_modules = self.list_modules(&src, &[]);
        self.host = host;
    }

    /// A host built from the gateway release `gateway` (`path@version`, a
    /// directory of the lab's modules) as [`Lab::host`] is from [`GATEWAY`].
    pub fn release_host(&self, gateway: &str) -> PathBuf {
        let src = self.work.path().join("host-src").join(gateway);
        copy_dir(&lab_dir().join("modules").join(gateway), &src);
        let host = self.work.path().join("hosts").join(gateway).join("gateway");
        let out = self.go(
            &src,
            &[],
            &[
                "build",
                "-trimpath",
                "-tags=goplugin",
                "-o",
                path_str(&host),
                ".",
            ],
        );
        assert!(
            out.status.success(),
            "building the lab gateway {gateway} failed:\n{}",
            self.clean(&out.stderr)
        );
        host
    }

    /// Build `scenario` as a plugin in `mode`; the `.so` path, or the go
    /// command's error with temporary paths replaced by `$LAB`.
    pub fn build_plugin(&self, scenario: &str, mode: Mode) -> Result<PathBuf, String> {
        self.build_plugin_from(&lab_dir().join("scenarios").join(scenario), scenario, mode)
    }

    /// Build the plugin module in `source` (a scenario, or an edited copy of
    /// one) as [`Lab::build_plugin`] does; `name` keeps its build apart.
    pub fn build_plugin_from(
        &self,
        source: &Path,
        name: &str,
        mode: Mode,
    ) -> Result<PathBuf, String> {
        self.build_plugin_with(source, name, mode, &[])
    }

    /// [`Lab::build_plugin_from`] with `extra` variables in the go command's
    /// environment (`GOTOOLCHAIN`, ...).
    pub fn build_plugin_with(
        &self,
        source: &Path,
        name: &str,
        mode: Mode,
        extra: &[(String, String)],
    ) -> Result<PathBuf, String> {
        self.build_plugin_against(source, name, mode, extra, GATEWAY)
    }

    /// [`Lab::build_plugin_with`] with the source of the gateway release
    /// `gateway` beside the plugin (and in the workspace).
    pub fn build_plugin_against(
        &self,
        source: &Path,
        name: &str,
        mode: Mode,
        extra: &[(String, String)],
        gateway: &str,
    ) -> Result<PathBuf, String> {
        let (dir, mut env) = self.prepare(source, name, mode, gateway);
        env.extend(extra.iter().cloned());
        let so = dir.with_file_name("plugin.so");
        let out = self.go(
            &dir,
            &env,
            &[
                "build",
                "-buildmode=plugin",
                "-trimpath",
                "-o",
                path_str(&so),
                ".",
            ],
        );
        if out.status.success() {
            Ok(so)
        } else {
            Err(self.clean(&out.stderr))
        }
    }

    /// The gateway built inside the workspace of the plugin built as
    /// `name` (after [`Lab::build_plugin_from`] in workspace mode), as the
    /// docs' flow and Tyk's plugin compiler build it: the workspace's
    /// selection, not the gateway's go.mod alone, decides what it links.
    pub fn workspace_host(&self, name: &str) -> PathBuf {
        let (dir, env) = self.plugin_dir(name, Mode::Workspace, None);
        let base = dir.parent().expect("a plugin dir has a parent");
        let host = base.join("workspace-gateway");
        let out = self.go(
            &base.join("gateway"),
            &env,
            &[
                "build",
                "-trimpath",
                "-tags=goplugin",
                "-o",
                path_str(&host),
                ".",
            ],
        );
        assert!(
            out.status.success(),
            "building the gateway in the {name} workspace failed:\n{}",
            self.clean(&out.stderr)
        );
        host
    }

    /// Open `so` in the release-built host: what it printed (`loads: ...` or `error: ...`).
    pub fn load(&self, so: &Path) -> String {
        self.load_in(&self.host, so)
    }

    /// Open `so` in the gateway binary `host`, as [`Lab::load`] does.
    pub fn load_in(&self, host: &Path, so: &Path) -> String {
        let out = Command::new(host)
            .arg(so)
            .output()
            .expect("the lab gateway runs");
        let printed = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        if out.status.success() && !printed.is_empty() {
            printed
        } else {
            format!("host failed ({}): {}", out.status, self.clean(&out.stderr))
        }
    }

    /// The `file://` URL of the lab's module proxy, for tools that resolve
    /// modules the way the go command does here.
    pub fn proxy_url(&self) -> String {
        format!("file://{}", self.proxy_dir().display())
    }

    /// The directory of the lab's module proxy (GOPROXY's file layout).
    pub fn proxy_dir(&self) -> PathBuf {
        self.work.path().join("proxy")
    }

    /// The environment every lab go command runs with (standalone mode).
    pub fn go_env(&self) -> &BTreeMap<String, String> {
        &self.env
    }

    /// The host's build list.
    pub fn host_modules(&self) -> &[String] {
        &self.host_modules
    }

    /// Build and load one scenario in one mode.
    pub fn run(&self, scenario: &str, mode: Mode) -> Outcome {
        let built = self.build_plugin(scenario, mode);
        let tags = scenario_tags(&lab_dir().join("scenarios").join(scenario));
        let (dir, env) = self.plugin_dir(scenario, mode, tags.as_deref());
        let modules = self.list_modules(&dir, &env);
        let (build_error, load, linked) = match built {
            Ok(so) => (None, Some(self.load(&so)), self.linked(&so)),
            Err(e) => (Some(e), None, Vec::new()),
        };
        Outcome {
            scenario: scenario.to_owned(),
            mode,
            build_error,
            load,
            modules,
            linked,
        }
    }

    /// Every scenario in both modes, on as many threads as there are cores.
    pub fn run_all(&self) -> Record {
        let jobs: Vec<(String, Mode)> = scenarios()
            .into_iter()
            .flat_map(|s| Mode::ALL.map(|m| (s.clone(), m)))
            .collect();
        let next = Mutex::new(jobs.into_iter());
        let done = Mutex::new(Vec::new());
        let workers = std::thread::available_parallelism().map_or(2, usize::from);
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    loop {
                        let job = next.lock().expect("no worker panicked").next();
                        let Some((scenario, mode)) = job else { break };
                        let outcome = self.run(&scenario, mode);
                        done.lock().expect("no worker panicked").push(outcome);
                    }
                });
            }
        });
        let mut outcomes = done.into_inner().expect("no worker panicked");
        outcomes.sort_by(|a, b| (&a.scenario, a.mode).cmp(&(&b.scenario, b.mode)));
        Record {
            go: go_version(),
            host_modules: self.host_modules.clone(),
            host_linked: self.linked(&self.host),
            outcomes,
        }
    }

    /// A fresh copy of `source` laid out as `mode` builds it (under `name`),
    /// with the environment a tool resolving modules as the go command does
    /// here needs: the plugin directory and that environment.
    pub fn copy_for_tools(
        &self,
        source: &Path,
        name: &str,
        mode: Mode,
    ) -> (PathBuf, BTreeMap<String, String>) {
        self.copy_for_tools_against(source, name, mode, GATEWAY)
    }

    /// [`Lab::copy_for_tools`] with the source of the gateway release
    /// `gateway` beside the plugin (and in the workspace).
    pub fn copy_for_tools_against(
        &self,
        source: &Path,
        name: &str,
        mode: Mode,
        gateway: &str,
    ) -> (PathBuf, BTreeMap<String, String>) {
        let (dir, extra) = self.prepare(source, name, mode, gateway);
        let mut env = self.env.clone();
        env.extend(extra);
        (dir, env)
    }

    /// Copy the scenario (and, in a workspace, the gateway source) into a
    /// fresh directory; the plugin directory and the extra environment.
    fn prepare(
        &self,
        source: &Path,
        name: &str,
        mode: Mode,
        gateway: &str,
    ) -> (PathBuf, Vec<(String, String)>) {
        let (dir, env) = self.plugin_dir(name, mode, scenario_tags(source).as_deref());
        let base = dir.parent().expect("a plugin dir has a parent");
        if base.exists() {
            std::fs::remove_dir_all(base).expect("an old plugin build is removable");
        }
        copy_dir(source, &dir);
        // The gateway source sits beside the plugin in both modes, so a
        // scenario can also point a directory replace at `../gateway`.
        copy_dir(
            &lab_dir().join("modules").join(gateway),
            &base.join("gateway"),
        );
        if mode == Mode::Workspace {
            std::fs::write(
                base.join("go.work"),
                "go 1.26.0\n\nuse (\n\t./gateway\n\t./plugin\n)\n",
            )
            .expect("go.work is writable");
            // -mod=mod is refused in a workspace, so go.sum entries come from
            // a download, which records checksums and selects nothing.
            let out = self.go(&dir, &env, &["mod", "download"]);
            assert!(
                out.status.success(),
                "go mod download in the {name} workspace failed:\n{}",
                self.clean(&out.stderr)
            );
        }
        (dir, env)
    }

    /// The plugin's directory and the environment its build adds: the
    /// workspace, and GOFLAGS' `-tags` when the scenario is built with tags
    /// (as a user's GOFLAGS would carry them, so tools see them too).
    fn plugin_dir(
        &self,
        name: &str,
        mode: Mode,
        tags: Option<&str>,
    ) -> (PathBuf, Vec<(String, String)>) {
        let base = self
            .work
            .path()
            .join("plugins")
            .join(name)
            .join(mode.name());
        // -mod=mod is refused in a workspace.
        let mut goflags = match mode {
            Mode::Standalone => self.env["GOFLAGS"].clone(),
            Mode::Workspace => "-buildvcs=false".to_owned(),
        };
        if let Some(tags) = tags {
            goflags = format!("{goflags} -tags={tags}");
        }
        let mut env = vec![("GOFLAGS".to_owned(), goflags)];
        if mode == Mode::Workspace {
            let go_work = path_str(&base.join("go.work")).to_owned();
            env.push(("GOWORK".to_owned(), go_work));
        }
        (base.join("plugin"), env)
    }

    fn list_modules(&self, dir: &Path, env: &[(String, String)]) -> Vec<String> {
        let out = self.go(dir, env, &["list", "-m", "all"]);
        if !out.status.success() {
            return vec![format!(
                "go list -m all failed: {}",
                self.clean(&out.stderr)
            )];
        }
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// The `dep` lines of `go version -m`: what a binary was built from.
    fn linked(&self, binary: &Path) -> Vec<String> {
        let out = self.go(self.work.path(), &[], &["version", "-m", path_str(binary)]);
        assert!(
            out.status.success(),
            "go version -m failed:\n{}",
            self.clean(&out.stderr)
        );
        let mut linked: Vec<String> = Vec::new();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                [_, "dep", path, version, ..] => linked.push(format!("{path} {version}")),
                [_, "=>", path, version, ..] => {
                    let last = linked.last_mut().expect("=> follows a dep line");
                    *last = format!("{last} => {path} {version}");
                }
                _ => {}
            }
        }
        linked
    }

    fn go(&self, dir: &Path, extra: &[(String, String)], args: &[&str]) -> Output {
        let mut env = self.env.clone();
        env.extend(extra.iter().cloned());
        super::go(dir, &env, args)
    }

    /// The go command's stderr without progress lines (their order depends on
    /// which build fetched first) and with temporary paths made stable.
    fn clean(&self, stderr: &[u8]) -> String {
        let work = path_str(self.work.path());
        String::from_utf8_lossy(stderr)
            .lines()
            .filter(|l| !l.starts_with("go: downloading ") && !l.starts_with("go: finding "))
            .collect::<Vec<_>>()
            .join("\n")
            .replace(work, "$LAB")
    }
}

impl Default for Lab {
    fn default() -> Self {
        Lab::new()
    }
}

/// Build `tests/lab-proxy` and generate the `file://` proxy from
/// `corpus/lab/modules/` into `work/proxy`; its path.
pub fn build_proxy(work: &Path) -> PathBuf {
    build_proxy_from(&lab_dir().join("modules"), work)
}

/// Build `tests/lab-proxy` and generate a `file://` proxy from `modules`
/// (module source trees named `<path>@<version>`, as in the lab) into
/// `work/proxy`; its path.
pub fn build_proxy_from(modules: &Path, work: &Path) -> PathBuf {
    let exe = super::build_go_helper("lab-proxy", work);
    let proxy = work.join("proxy");
    let out = Command::new(&exe)
        .arg(modules)
        .arg(&proxy)
        .output()
        .expect("lab-proxy runs");
    assert!(
        out.status.success(),
        "lab-proxy failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    proxy
}

/// `go version`'s output, e.g. `go version go1.26.8 linux/amd64`.
pub fn go_version() -> String {
    let out = Command::new("go")
        .arg("version")
        .output()
        .expect("the go command runs");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a lab directory is creatable");
    for entry in std::fs::read_dir(from).expect("a lab source directory is readable") {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a lab file is copyable");
        }
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("lab paths are UTF-8")
}
