//! The last output of `tykdeps graph` per module directory and output form,
//! kept below GOMODCACHE (`cache/tykdeps/graphs-v1/`) with a hash of
//! everything that output was computed from, so an unchanged module prints
//! at once.
//!
//! The output depends on: this tykdeps build, the Go environment as read,
//! the directory it runs in, the main go.mod and go.sum, and the go.mod
//! files of directory replacements. Everything else it reads is module
//! versions' data, which never changes (and go.sum, in the key, decides
//! which data is acceptable). So the key hashes the first group, the main
//! go.mod and go.sum by path and stamp (size, times, inode: a run need not
//! read and hash a large go.sum before it knows whether the memo answers;
//! see `MemoKey::file` for files written just now), and the memo lists the
//! replacement go.mod files with their hashes, checked again before the
//! memo is used. Workspaces are not memoized. Only
//! successful runs are kept; anything unreadable or different is a miss, and
//! deleting the directory is always safe.

use std::fmt::Write as _;
use std::path::Path;

use tykdeps_resolver::goenv::Work;
use tykdeps_resolver::graph::discover::{Disk, find_upward};
use tykdeps_resolver::graph::driver::DirRead;
use tykdeps_resolver::memo_key::{MemoKey, MemoSlot, digest_hex};
use tykdeps_resolver::source::tykdeps_cache_dir;

use crate::settings::Settings;

/// Changes whenever the memo layout or what its key covers does.
const VERSION: &str = "tykdeps graph memo v2";

/// Where one run's memo is, under the hash of its inputs.
pub(crate) struct Memo {
    slot: MemoSlot,
}

impl Memo {
    /// The memo slot for printing `form` (`list`, `json`, `edges`) of the
    /// module at `start`; `None` when it does not apply (a workspace, no
    /// usable module cache, unreadable files: the normal path reports those).
    pub(crate) fn new(settings: &Settings, start: &Path, form: &str) -> Option<Self> {
        match settings.env.work().ok()? {
            Work::Off => {}
            Work::File(_) => return None,
            Work::Search => {
                if find_upward(start, "go.work", &Disk).is_some() {
                    return None;
                }
            }
        }
        let go_mod = find_upward(start, "go.mod", &Disk)?;
        let go_sum = go_mod.with_file_name("go.sum");
        let mut key = MemoKey::for_this_build(VERSION)?;
        key.field(form);
        key.field(format!("{:?}", settings.env));
        for path in [start, &go_mod, &go_sum] {
            key.field(path.as_os_str().as_encoded_bytes());
        }
        key.file_or_absent(&go_mod)?;
        key.file_or_absent(&go_sum)?;
        let slot = digest_hex(format!("{}\0{form}", start.display()).as_bytes());
        let dir = tykdeps_cache_dir(settings.env.gomodcache().ok()?).join("graphs-v1");
        Some(Self {
            slot: MemoSlot::new(dir.join(slot), key.hex()),
        })
    }

    /// The memoized output, if the memo is for these inputs and every
    /// replacement go.mod it lists is as it was.
    pub(crate) fn output(&self) -> Option<String> {
        let text = self.slot.read()?;
        let (count, mut rest) = text.split_once('\n')?;
        for _ in 0..count.parse::<usize>().ok()? {
            let (line, tail) = rest.split_once('\n')?;
            let (hash, dir) = line.split_once(' ')?;
            if read_hash(Path::new(dir)) != hash {
                return None;
            }
            rest = tail;
        }
        Some(rest.to_owned())
    }

    /// Keep `output`, computed after reading the replacement go.mod files
    /// `dirs`. Failing to write changes nothing (the memo is a shortcut).
    pub(crate) fn save(&self, dirs: &[DirRead], output: &str) {
        if dirs.iter().any(|d| d.dir.contains('\n')) {
            return;
        }
        let mut text = format!("{}\n", dirs.len());
        for d in dirs {
            let _ = writeln!(text, "{} {}", content_hash(d.bytes.as_deref()), d.dir);
        }
        text.push_str(output);
        self.slot.write(&text);
    }
}

/// What a directory replacement's go.mod read gave: its bytes, or `None`
/// when it could not be read.
fn read_hash(dir: &Path) -> String {
    content_hash(std::fs::read(dir.join("go.mod")).ok().as_deref())
}

fn content_hash(bytes: Option<&[u8]>) -> String {
    match bytes {
        Some(b) => digest_hex(b),
        None => "unreadable".to_owned(),
    }
}
