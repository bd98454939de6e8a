//! A per-user cache of what the graph reads from module versions: each
//! version's go.mod summary (with the go.mod's `h1:` hash) and its `.info`
//! facts, in one file below the module cache
//! (`$GOMODCACHE/cache/tykdeps/summaries-v3`). A warm run then reads one file
//! instead of opening, hashing and parsing a thousand go.mod files.
//!
//! A module version never changes, so an entry stays valid for good, with one
//! exception: go.sum has the last word. When the main module's go.sum holds a
//! `/go.mod` hash for a version, the entry is used only if its recorded hash
//! is one of them; otherwise the real go.mod is read (and checked against
//! go.sum, as always). The file is only ever a shortcut: a missing,
//! truncated, corrupt or other-format file, or a damaged entry, reads as
//! "not cached" and is rebuilt on the next save; nothing here is an error.
//!
//! The file is memory-mapped, not read: a run touches only the entries it
//! asks for, without copying the file first. Writers replace it by rename,
//! never in place, so a mapped file never changes under a reader.
//!
//! Layout: a magic line, then entries, each `u32 length`, the checksum of
//! its body ([`cache_checksum`](super::cache_checksum)) and the body (key,
//! then the go.mod and `.info` parts it has); then a hash table of the
//! entries (slots of `u64` key hash and `u32` entry offset, open addressing),
//! and last the table's offset and slot count. Opening the file reads only
//! those last bytes: v2 indexed every entry on open, which cost a run time in
//! proportion to the cache, that is to every project the user ever checked.
//! A slot is only a pointer: the entry it points at must hold the key asked
//! for and its checksum, so damage to the table can lose entries, never give
//! a wrong one. An entry is checked and decoded (only the part asked for)
//! when it is asked for.

use std::hash::{BuildHasher as _, Hash as _, Hasher as _};
use std::path::{Path, PathBuf};

use elsa::sync::FrozenMap;
use rustc_hash::FxHashMap as HashMap;

use super::Info;
use super::verify::GoModSums;
use crate::atomic::{self, Durability};
use crate::graph::{KnownSummaries, ModKey, Requirements, Summary};

/// The cache file's name; the version changes whenever the layout does, so
/// an older or newer tykdeps never misreads it.
pub const FILE_NAME: &str = "summaries-v3";
/// The first bytes of the file.
const MAGIC: &[u8] = b"tykdeps go.mod summaries v3\n";
/// A table slot: key hash, entry offset (0: empty).
const SLOT: usize = 12;
/// The file's last bytes: the table's offset and its slot count.
const TRAILER: usize = 12;
/// Bytes of the per-entry checksum.
const CHECK: usize = super::CACHE_CHECKSUM_LEN;

/// `$GOMODCACHE/cache/tykdeps/summaries-v3`.
pub fn cache_file(gomodcache: &Path) -> PathBuf {
    super::tykdeps_cache_dir(gomodcache).join(FILE_NAME)
}

/// What is cached about one module version.
#[derive(Debug, Clone, Default)]
struct Entry {
    /// The go.mod's `h1:` hash and its summary.
    go_mod: Option<(String, Summary)>,
    /// Its `.info`.
    info: Option<Info>,
}

/// The cache file's bytes: mapped from disk, or given.
#[derive(Debug)]
enum Bytes {
    Owned(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl Default for Bytes {
    fn default() -> Self {
        Self::Owned(Vec::new())
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Self::Owned(v) => v,
            Self::Mapped(m) => m,
        }
    }
}

/// The file at `path`, mapped; `None` when it cannot be (absent, empty,
/// unreadable).
fn map(path: &Path) -> Option<Bytes> {
    let file = std::fs::File::open(path).ok()?;
    if file.metadata().ok()?.len() == 0 {
        return None;
    }
    // SAFETY: the map is read-only, and every writer of this file replaces
    // it by rename (`atomic::write`), so the mapped inode never changes;
    // only something truncating it in place, outside tykdeps, could fault.
    #[expect(
        unsafe_code,
        reason = "mapping the cache is what lets a run skip copying it"
    )]
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    Some(Bytes::Mapped(map))
}

/// The summary cache of one run: the file as loaded, what this run learnt,
/// and the go.sum hashes that overrule entries.
#[derive(Debug, Default)]
pub struct SummaryCache {
    file: Option<PathBuf>,
    bytes: Bytes,
    /// The file's entry table, if it has a sound one.
    table: Option<Table>,
    /// By entry offset: its go.mod summary once asked for, `None` when go.sum
    /// disagrees with it or it is damaged (a resolution asks for a summary
    /// several times, and an audit resolves much the same graph more than
    /// once: the workspace, then with its pins, then per gateway). Filled
    /// through `&self`: a matrix resolves its gateways' graphs on several
    /// threads.
    decoded: FrozenMap<usize, Box<Option<Summary>>>,
    added: HashMap<ModKey, Entry>,
    sums: GoModSums,
}

/// Where the entry table lies in the file.
#[derive(Debug, Clone, Copy)]
struct Table {
    /// The offset of its first slot, which is where the entries end.
    at: usize,
    /// Its slot count, a power of two.
    slots: usize,
}

impl SummaryCache {
    /// A cache that starts empty and is never saved (tests, or no module
    /// cache directory).
    pub fn disabled() -> Self {
        Self::default()
    }

    /// The cache kept in `file`, checked against `sums`. An unreadable or
    /// malformed file gives an empty cache, replaced on [`save`](Self::save).
    pub fn open(file: &Path, sums: GoModSums) -> Self {
        let bytes = map(file).unwrap_or_default();
        let mut cache = Self::over(bytes, sums);
        cache.file = Some(file.to_owned());
        cache
    }

    /// A cache over the bytes of a cache file (never saved).
    pub fn from_bytes(bytes: Vec<u8>, sums: GoModSums) -> Self {
        Self::over(Bytes::Owned(bytes), sums)
    }

    fn over(bytes: Bytes, sums: GoModSums) -> Self {
        Self {
            table: table(&bytes),
            bytes,
            sums,
            ..Self::default()
        }
    }

    /// The cached summary of `m`'s go.mod, unless go.sum disagrees with it.
    pub fn go_mod(&self, m: &ModKey) -> Option<Summary> {
        self.summary(m).cloned()
    }

    /// The cached `.info` of `m`.
    pub fn info(&self, m: &ModKey) -> Option<Info> {
        match self.added.get(m) {
            Some(e) => e.info.clone(),
            None => Reader::new(self.part(m, Part::Info)?).info(),
        }
    }

    /// Whether the `.info` of `m` is cached (without decoding it).
    pub fn has_info(&self, m: &ModKey) -> bool {
        match self.added.get(m) {
            Some(e) => e.info.is_some(),
            None => self.part(m, Part::Info).is_some(),
        }
    }

    /// Remember `m`'s go.mod: its `h1:` hash and summary.
    pub fn record_go_mod(&mut self, m: &ModKey, h1: String, summary: Summary) {
        self.learn(m).go_mod = Some((h1, summary));
    }

    /// Remember `m`'s `.info`.
    pub fn record_info(&mut self, m: &ModKey, info: Info) {
        self.learn(m).info = Some(info);
    }

    /// Write the file (atomically: a temporary file, then rename) if this
    /// run learnt anything. A concurrent writer may win the rename; its file
    /// is as valid as ours.
    ///
    /// # Errors
    /// The I/O error that stopped the write; the old file is left as it was.
    pub fn save(&self) -> std::io::Result<()> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        if self.added.is_empty() {
            return Ok(());
        }
        atomic::write(file, &self.to_bytes(), Durability::OwnCache)
    }

    /// The file's bytes: every valid loaded entry this run did not replace,
    /// then this run's.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        let mut keys = Vec::new();
        let mut put = |key: &ModKey, entry: &Entry| {
            keys.push((
                key_hash(key.path.as_bytes(), key.version.as_bytes()),
                out.len(),
            ));
            encode(&mut out, key, entry);
        };
        for at in self.entry_offsets() {
            if let Some(body) = self.body(at)
                && let Some((key, entry)) = decode(body)
                && !self.added.contains_key(&key)
            {
                put(&key, &entry);
            }
        }
        for (key, entry) in &self.added {
            put(key, entry);
        }
        put_table(&mut out, &keys);
        out
    }

    /// The offsets of the file's entries, in file order, while their
    /// framing holds.
    fn entry_offsets(&self) -> impl Iterator<Item = usize> + '_ {
        let end = self.table.map_or(0, |t| t.at);
        let mut at = MAGIC.len();
        std::iter::from_fn(move || {
            let len = Reader::new(self.bytes.get(at..end)?).u32()? as usize;
            let entry = at;
            at = entry.checked_add(4 + CHECK + len)?;
            (at <= end).then_some(entry)
        })
    }

    /// The body of the entry at `at`, if its checksum holds.
    fn body(&self, at: usize) -> Option<&[u8]> {
        let mut r = Reader::new(self.bytes.get(at..)?);
        let len = r.u32()? as usize;
        let check = r.take(CHECK)?;
        let body = r.take(len)?;
        (super::cache_checksum(body) == *check).then_some(body)
    }

    /// One part of the file's entry for `m`, if it has it.
    fn part(&self, m: &ModKey, part: Part) -> Option<&[u8]> {
        self.entry_part(self.entry(m)?, part)
    }

    /// The offset of `m`'s entry, if the file has one. Its key is compared,
    /// not only its hash: what is decoded is kept by offset.
    fn entry(&self, m: &ModKey) -> Option<usize> {
        let table = self.table?;
        let hash = key_hash(m.path.as_bytes(), m.version.as_bytes());
        let mask = table.slots - 1;
        let mut slot = usize::try_from(hash).unwrap_or(usize::MAX) & mask;
        // Bounded, in case damage left no slot empty.
        for _ in 0..table.slots {
            let mut r = Reader::new(self.bytes.get(table.at + slot * SLOT..)?);
            let (slot_hash, at) = (r.u64()?, r.u32()? as usize);
            if at == 0 {
                return None;
            }
            if slot_hash == hash
                && self.key_at(at) == Some((m.path.as_bytes(), m.version.as_bytes()))
            {
                return Some(at);
            }
            slot = (slot + 1) & mask;
        }
        None
    }

    /// The key of the entry at `at`, unchecked.
    fn key_at(&self, at: usize) -> Option<(&[u8], &[u8])> {
        let mut r = Reader::new(self.bytes.get(at..)?);
        r.take(4 + CHECK)?;
        Some((r.bytes_field()?, r.bytes_field()?))
    }

    /// `part` of the entry at `at` (found by [`entry`](Self::entry), which
    /// compared its key), if it is whole and holds one.
    fn entry_part(&self, at: usize, part: Part) -> Option<&[u8]> {
        let mut r = Reader::new(self.body(at)?);
        r.bytes_field()?;
        r.bytes_field()?;
        let go_mod = r.opt_bytes().ok()?;
        let info = r.opt_bytes().ok()?;
        match part {
            Part::GoMod => go_mod,
            Part::Info => info,
        }
    }

    fn learn(&mut self, m: &ModKey) -> &mut Entry {
        if !self.added.contains_key(m) {
            let old = Entry {
                go_mod: self
                    .part(m, Part::GoMod)
                    .and_then(|b| Reader::new(b).go_mod()),
                info: self.part(m, Part::Info).and_then(|b| Reader::new(b).info()),
            };
            self.added.insert(m.clone(), old);
        }
        self.added.get_mut(m).expect("just inserted")
    }
}

/// The two parts of an entry.
#[derive(Clone, Copy)]
enum Part {
    GoMod,
    Info,
}

fn key_hash(path: &[u8], version: &[u8]) -> u64 {
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    path.hash(&mut h);
    version.hash(&mut h);
    h.finish()
}

/// The entry table of a cache file; `None` when the file is not one of ours
/// or its trailer does not describe a table that fits in it.
fn table(bytes: &[u8]) -> Option<Table> {
    if !bytes.starts_with(MAGIC) {
        return None;
    }
    let trailer = bytes.len().checked_sub(TRAILER)?;
    let mut r = Reader::new(&bytes[trailer..]);
    let at = usize::try_from(r.u64()?).ok()?;
    let slots = r.u32()? as usize;
    let fits = slots
        .checked_mul(SLOT)
        .and_then(|n| n.checked_add(at))
        .is_some_and(|end| end == trailer);
    (slots.is_power_of_two() && at >= MAGIC.len() && fits).then_some(Table { at, slots })
}

/// Append the table of `keys` (key hash, entry offset), at least twice as
/// many slots as entries, and the trailer.
fn put_table(out: &mut Vec<u8>, keys: &[(u64, usize)]) {
    let slots = (keys.len() * 2).next_power_of_two().max(2);
    let mut table = vec![0u8; slots * SLOT];
    for &(hash, at) in keys {
        let mut slot = usize::try_from(hash).unwrap_or(usize::MAX) & (slots - 1);
        while table[slot * SLOT + 8..slot * SLOT + SLOT] != [0; 4] {
            slot = (slot + 1) & (slots - 1);
        }
        table[slot * SLOT..slot * SLOT + 8].copy_from_slice(&hash.to_le_bytes());
        let at = u32::try_from(at).expect("the cache file is far below 4 GiB");
        table[slot * SLOT + 8..slot * SLOT + SLOT].copy_from_slice(&at.to_le_bytes());
    }
    let table_at = out.len() as u64;
    out.extend_from_slice(&table);
    out.extend_from_slice(&table_at.to_le_bytes());
    put_len(out, slots);
}

/// Entry layout: path, version, then the go.mod part and the `.info` part,
/// each optional and length-prefixed so either can be read alone.
fn encode(out: &mut Vec<u8>, key: &ModKey, entry: &Entry) {
    let mut body = Vec::new();
    put_str(&mut body, &key.path);
    put_str(&mut body, &key.version);
    let go_mod = entry.go_mod.as_ref().map(|(h1, s)| {
        let mut part = Vec::new();
        put_str(&mut part, h1);
        put_opt(&mut part, s.module.as_deref());
        put_opt(&mut part, s.go_version.as_deref());
        part.push(u8::from(s.pruned));
        put_len(&mut part, s.require.len());
        for (path, version) in s.require.iter() {
            put_str(&mut part, path);
            put_str(&mut part, version);
        }
        part
    });
    let info = entry.info.as_ref().map(|info| {
        let mut part = Vec::new();
        put_str(&mut part, &info.version);
        put_opt(&mut part, info.time.as_deref());
        part
    });
    put_opt_bytes(&mut body, go_mod.as_deref());
    put_opt_bytes(&mut body, info.as_deref());
    put_len(out, body.len());
    out.extend_from_slice(&super::cache_checksum(&body));
    out.extend_from_slice(&body);
}

fn put_len(out: &mut Vec<u8>, n: usize) {
    let n = u32::try_from(n).expect("cache fields are far below 4 GiB");
    out.extend_from_slice(&n.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_bytes(out, s.as_bytes());
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_len(out, b.len());
    out.extend_from_slice(b);
}

fn put_opt(out: &mut Vec<u8>, s: Option<&str>) {
    put_opt_bytes(out, s.map(str::as_bytes));
}

fn put_opt_bytes(out: &mut Vec<u8>, b: Option<&[u8]>) {
    match b {
        None => out.push(0),
        Some(b) => {
            out.push(1);
            put_bytes(out, b);
        }
    }
}

/// A whole entry body, decoded (for rewriting the file).
fn decode(body: &[u8]) -> Option<(ModKey, Entry)> {
    let mut r = Reader::new(body);
    let key = ModKey {
        path: r.string()?,
        version: r.string()?,
    };
    let go_mod = r.opt_bytes().ok()?;
    let info = r.opt_bytes().ok()?;
    let entry = Entry {
        go_mod: match go_mod {
            Some(b) => Some(Reader::new(b).go_mod()?),
            None => None,
        },
        info: match info {
            Some(b) => Some(Reader::new(b).info()?),
            None => None,
        },
    };
    r.bytes.is_empty().then_some((key, entry))
}

impl KnownSummaries for SummaryCache {
    /// The cached summary of `m`'s go.mod, unless go.sum disagrees with it.
    fn summary(&self, m: &ModKey) -> Option<&Summary> {
        if let Some(e) = self.added.get(m) {
            let (h1, summary) = e.go_mod.as_ref()?;
            return self.sums.allows(&m.path, &m.version, h1).then_some(summary);
        }
        let at = self.entry(m)?;
        if let Some(decoded) = self.decoded.get(&at) {
            return decoded.as_ref();
        }
        // Decided once per entry (go.sum is the cache's for its life), and
        // go.sum is asked before the rest of the entry is decoded.
        let decode = || {
            let mut r = Reader::new(self.entry_part(at, Part::GoMod)?);
            let h1 = std::str::from_utf8(r.bytes_field()?).ok()?;
            if !self.sums.allows(&m.path, &m.version, h1) {
                return None;
            }
            r.summary()
        };
        self.decoded.insert(at, Box::new(decode())).as_ref()
    }
}

/// A field that cannot be read: the entry is damaged.
struct Damaged;

/// A cursor over cache bytes; every read is bounds-checked.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.bytes.split_at_checked(n)?;
        self.bytes = rest;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn bytes_field(&mut self) -> Option<&'a [u8]> {
        let len = self.u32()? as usize;
        self.take(len)
    }

    /// An optional field: absent is `Ok(None)`, unreadable is `Err`.
    fn opt_bytes(&mut self) -> Result<Option<&'a [u8]>, Damaged> {
        match self.u8().ok_or(Damaged)? {
            0 => Ok(None),
            1 => self.bytes_field().map(Some).ok_or(Damaged),
            _ => Err(Damaged),
        }
    }

    fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes_field()?).ok()
    }

    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_owned)
    }

    fn opt(&mut self) -> Result<Option<String>, Damaged> {
        match self.opt_bytes()? {
            None => Ok(None),
            Some(b) => std::str::from_utf8(b)
                .map(|s| Some(s.to_owned()))
                .map_err(|_| Damaged),
        }
    }

    /// A go.mod part, which must be read to its end.
    fn go_mod(mut self) -> Option<(String, Summary)> {
        let h1 = self.string()?;
        Some((h1, self.summary()?))
    }

    /// The rest of a go.mod part after its hash, read to its end.
    fn summary(mut self) -> Option<Summary> {
        let module = self.opt().ok()?;
        let go_version = self.opt().ok()?;
        let pruned = match self.u8()? {
            0 => false,
            1 => true,
            _ => return None,
        };
        let n = self.u32()? as usize;
        // Every string is at least its 4-byte length: a damaged count cannot
        // ask for more room than the part's bytes.
        let mut require =
            Requirements::with_capacity(n.min(self.bytes.len() / 8), self.bytes.len());
        for _ in 0..n {
            require.push(self.str()?, self.str()?);
        }
        let summary = Summary {
            module,
            go_version,
            require,
            pruned,
        };
        self.bytes.is_empty().then_some(summary)
    }

    /// An `.info` part, which must be read to its end.
    fn info(mut self) -> Option<Info> {
        let info = Info {
            version: self.string()?,
            time: self.opt().ok()?,
        };
        self.bytes.is_empty().then_some(info)
    }
}
