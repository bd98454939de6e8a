//! The gateway build memo: the gateway's own build (its module versions and
//! the packages it links) kept between runs, below GOMODCACHE
//! (`cache/tykdeps/gateway-builds-v1/`).
//!
//! The gateway is built alone, as its releases are: nothing of the plugin
//! enters its build, so a plugin edit, the very thing a pre-commit hook
//! runs for, leaves it as it was. Recomputing it means linking the
//! gateway's ~3,800 packages, most of an audit's time once the output memo
//! misses; the matrix and the workspace audit both pay it on every run.
//!
//! The key covers what the build is computed from: the request's
//! environment, the build configuration and the toolchain release that
//! decides the standard library, this tykdeps build, and the gateway itself:
//! a published `module@version` (which never changes) by name, a checkout
//! by the stat stamps of every file below it and below its directory
//! replacements (see [`super::memo`]). Only a build known in full is kept:
//! no package left unread, no import that fails. Anything unreadable or
//! different is a miss, never an error.

use std::path::Path;

use super::Request;
use super::link::SideBuild;
use super::memo::{Key, TreeStamps};
use super::setup::GatewaySource;
use super::trees::StdLibrary;
use crate::memo_key::{MemoKey, MemoSlot};
use crate::packages::{BuildConfig, Owner};
use crate::snapshot::BuildFacts;

/// Changes whenever the layout or what the key covers does.
const VERSION: &str = "tykdeps gateway build memo v1";

/// The directory below `$GOMODCACHE/cache/tykdeps` the builds are kept in.
const DIR_NAME: &str = "gateway-builds-v1";

/// Where one gateway build is kept, and the hash of what it depends on.
pub(super) struct GatewayMemo {
    slot: MemoSlot,
    main_dir: String,
}

impl GatewayMemo {
    /// The memo of `gateway`'s build under `config`; `None` when there is
    /// no module cache to keep it in or the checkout cannot be stamped.
    pub(super) fn new(
        request: &Request,
        gateway: &GatewaySource,
        config: &BuildConfig,
        std: &StdLibrary,
        stamps: &TreeStamps,
    ) -> Option<Self> {
        let mut key = Key {
            hash: MemoKey::for_this_build(VERSION)?,
            stamps: Some(stamps),
        };
        key.text(&format!("{:?}", request.env));
        key.text(&format!("{config:?}"));
        key.text(&format!("{:?} {}", std.version, std.follow));
        key.text(&gateway.main.path);
        key.text(&gateway.main.dir);
        if let Some(version) = &gateway.version {
            key.text(version);
        } else {
            let dir = Path::new(&gateway.main.dir);
            key.tree(dir)?;
            key.replacements(dir, &gateway.main.go_mod.replace)?;
        }
        let mut slot = MemoKey::default();
        slot.field(&gateway.main.dir);
        slot.field(format!("{config:?}"));
        let gomodcache = request.env.gomodcache().ok()?;
        let dir = crate::source::tykdeps_cache_dir(gomodcache).join(DIR_NAME);
        Some(Self {
            slot: MemoSlot::new(dir.join(slot.hex()), key.hash.hex()),
            main_dir: gateway.main.dir.clone(),
        })
    }

    /// The build kept for these inputs, if any.
    pub(super) fn build(&self) -> Option<SideBuild> {
        let facts: BuildFacts = serde_json::from_str(&self.slot.read()?).ok()?;
        Some(SideBuild {
            build: facts.build(&self.main_dir),
            error: None,
            roots_unread: false,
        })
    }

    /// Keep `build` when it is known in full. Failing to write changes
    /// nothing (the memo is a shortcut).
    pub(super) fn save(&self, build: &SideBuild) {
        if !is_whole(build) {
            return;
        }
        if let Ok(json) = serde_json::to_string(&BuildFacts::of(&build.build)) {
            self.slot.write(&json);
        }
    }
}

/// Whether `build` says all there is to say: every package read, no error.
fn is_whole(build: &SideBuild) -> bool {
    build.error.is_none()
        && !build.roots_unread
        && build
            .build
            .linked
            .as_ref()
            .is_some_and(|linked| !linked.values().any(|o| matches!(o, Owner::Unknown(_))))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::audit::compare::{Build, ModuleUse};

    fn build(owner: Owner) -> SideBuild {
        let module = |path: &str, version: &str| ModuleUse {
            path: path.to_owned(),
            version: version.to_owned(),
            replacement: None,
            main_dir: version.is_empty().then(|| "/gw".to_owned()),
        };
        SideBuild {
            build: Build {
                modules: BTreeMap::from([
                    ("example.com/gw".to_owned(), module("example.com/gw", "")),
                    (
                        "example.com/dep".to_owned(),
                        module("example.com/dep", "v1.0.0"),
                    ),
                ]),
                linked: Some(BTreeMap::from([
                    (
                        "example.com/gw".to_owned(),
                        Owner::Module("example.com/gw".to_owned()),
                    ),
                    ("example.com/dep".to_owned(), owner),
                    ("fmt".to_owned(), Owner::Std),
                ])),
            },
            error: None,
            roots_unread: false,
        }
    }

    /// A kept build reads back as it was; one with a package left unread is
    /// not kept; another key, or a damaged file, is a miss.
    #[test]
    fn only_a_whole_build_is_kept_and_read_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let memo = |key: &str| GatewayMemo {
            slot: MemoSlot::new(dir.path().join("slot"), key.to_owned()),
            main_dir: "/gw".to_owned(),
        };
        let unread = build(Owner::Unknown("example.com/dep".to_owned()));
        memo("k1").save(&unread);
        assert!(memo("k1").build().is_none());

        let whole = build(Owner::Module("example.com/dep".to_owned()));
        memo("k1").save(&whole);
        let back = memo("k1").build().expect("kept");
        assert_eq!(BuildFacts::of(&back.build), BuildFacts::of(&whole.build));
        assert!(memo("k2").build().is_none());

        std::fs::write(dir.path().join("slot"), "k1\n{\"modules\": [trunc").expect("writes");
        assert!(memo("k1").build().is_none());
    }
}
