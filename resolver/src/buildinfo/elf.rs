//! What an ELF file says about how Go built it: the build-info blob, the link-time
//! package hashes `plugin.Open` compares, the plugin path, and what the dynamic
//! loader will demand (class, machine, `NEEDED` libraries, glibc symbol versions).
//!
//! Everything is read from the bytes through the program headers (virtual
//! addresses) and the symbol tables; nothing is executed or relocated.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use object::elf;
use object::read::elf::{Dyn, FileHeader, ProgramHeader, SectionHeader, SectionTable, Sym};
use object::{Endianness, FileKind};
use serde::Serialize;

use super::modinfo::{self, BuildInfo};

/// The 14-byte marker that starts a build-info blob.
const BUILDINFO_MAGIC: &[u8; 14] = b"\xff Go buildinf:";
/// The blob header: magic, pointer size, flags, two pointers (old format).
const BUILDINFO_HEADER: usize = 32;
/// Blobs sit on 16-byte boundaries; the reader looks nowhere else.
const BUILDINFO_ALIGN: u64 = 16;

/// Why a file cannot be read as a Go ELF binary at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ElfError {
    /// Not an ELF file (Mach-O, PE, a script, ...).
    #[error("not an ELF file ({0})")]
    NotElf(String),
    /// ELF, but its headers are inconsistent.
    #[error("malformed ELF file: {0}")]
    Malformed(String),
}

impl From<object::Error> for ElfError {
    fn from(e: object::Error) -> Self {
        ElfError::Malformed(e.to_string())
    }
}

/// The ELF object type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObjectType {
    /// `ET_EXEC`: a position-dependent executable.
    Executable,
    /// `ET_DYN`: a shared object (plugins, PIE executables).
    SharedObject,
    /// Anything else (relocatable objects, core files).
    Other,
}

/// Where the package hashes were read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SymbolSource {
    /// The full symbol table.
    Symtab,
    /// The dynamic symbol table (the file is stripped).
    Dynsym,
    /// Neither has pkghash symbols.
    None,
}

/// The link-time fingerprints of the packages a Go binary was linked with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackageHashes {
    /// Which symbol table they came from.
    pub source: SymbolSource,
    /// Import path → fingerprint bytes (8 bytes with current toolchains).
    #[serde(serialize_with = "hex_map")]
    pub by_package: BTreeMap<String, Vec<u8>>,
    /// For plugins with a symbol table: the order the runtime checks them in
    /// (the linker's `pkghashes` table). Empty when unknown.
    pub check_order: Vec<String>,
}

/// A glibc symbol version such as `GLIBC_2.34`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct GlibcVersion(pub u32, pub u32, pub u32);

impl GlibcVersion {
    /// Parse `2.34` or `2.3.4` (the part after `GLIBC_`).
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split('.').map(|p| p.parse::<u32>().ok());
        let major = parts.next()??;
        let minor = parts.next()??;
        let patch = parts.next().unwrap_or(Some(0))?;
        parts
            .next()
            .is_none()
            .then_some(GlibcVersion(major, minor, patch))
    }
}

impl std::fmt::Display for GlibcVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.2 == 0 {
            write!(f, "{}.{}", self.0, self.1)
        } else {
            write!(f, "{}.{}.{}", self.0, self.1, self.2)
        }
    }
}

/// Everything tykdeps reads from one ELF file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElfFacts {
    /// 32 or 64.
    pub class: u8,
    /// Whether the file is big-endian.
    pub big_endian: bool,
    /// `e_machine`.
    pub machine: u16,
    /// `e_type`.
    pub object_type: ObjectType,
    /// The build info, when the file carries a readable blob.
    pub build_info: Option<BuildInfo>,
    /// Why there is no build info (Go's words where Go has some).
    pub build_info_problem: Option<String>,
    /// The link-time package hashes.
    pub hashes: PackageHashes,
    /// The plugin path (`go:link.thispluginpath`), for plugins with a symbol table.
    pub plugin_path: Option<String>,
    /// Whether the binary links package plugin (any `plugin.*` symbol; `plugin.Open`
    /// itself is usually inlined away): a host that can load plugins.
    pub links_plugin_open: bool,
    /// `DT_NEEDED` libraries, in order.
    pub needed: Vec<String>,
    /// The highest `GLIBC_x.y` version any needed symbol asks for.
    pub max_glibc: Option<GlibcVersion>,
}

impl ElfFacts {
    /// The name of `e_machine` for messages, e.g. `x86-64`.
    pub fn machine_name(&self) -> String {
        match self.machine {
            elf::EM_386 => "i386".to_owned(),
            elf::EM_X86_64 => "x86-64".to_owned(),
            elf::EM_ARM => "arm".to_owned(),
            elf::EM_AARCH64 => "aarch64".to_owned(),
            elf::EM_PPC64 => "ppc64".to_owned(),
            elf::EM_S390 => "s390x".to_owned(),
            elf::EM_RISCV => "riscv".to_owned(),
            elf::EM_MIPS => "mips".to_owned(),
            elf::EM_LOONGARCH => "loong64".to_owned(),
            other => format!("machine {other}"),
        }
    }
}

/// Read the facts of the ELF file `data`.
pub fn read_elf(data: &[u8]) -> Result<ElfFacts, ElfError> {
    match FileKind::parse(data) {
        Ok(FileKind::Elf32) => read_generic::<elf::FileHeader32<Endianness>>(data),
        Ok(FileKind::Elf64) => read_generic::<elf::FileHeader64<Endianness>>(data),
        Ok(kind) => Err(ElfError::NotElf(format!("{kind:?}"))),
        Err(_) => Err(ElfError::NotElf("unrecognised file format".to_owned())),
    }
}

/// One ELF file being read: header, segments and sections of one class.
struct Image<'data, Elf: FileHeader<Endian = Endianness>> {
    data: &'data [u8],
    endian: Endianness,
    segments: &'data [Elf::ProgramHeader],
    sections: SectionTable<'data, Elf>,
}

fn read_generic<Elf: FileHeader<Endian = Endianness>>(data: &[u8]) -> Result<ElfFacts, ElfError> {
    let header = Elf::parse(data)?;
    let endian = header.endian()?;
    let image = Image::<Elf> {
        data,
        endian,
        segments: header.program_headers(endian, data)?,
        sections: header.sections(endian, data)?,
    };
    let (build_info, build_info_problem) = match image.build_info() {
        Ok(info) => (Some(info), None),
        Err(problem) => (None, Some(problem)),
    };
    let symbols = image.go_symbols()?;
    let (needed, max_glibc) = image.loader_needs()?;
    Ok(ElfFacts {
        class: if header.is_type_64() { 64 } else { 32 },
        big_endian: endian == Endianness::Big,
        machine: header.e_machine(endian),
        object_type: match header.e_type(endian) {
            elf::ET_EXEC => ObjectType::Executable,
            elf::ET_DYN => ObjectType::SharedObject,
            _ => ObjectType::Other,
        },
        build_info,
        build_info_problem,
        hashes: symbols.hashes,
        plugin_path: symbols.plugin_path,
        links_plugin_open: symbols.links_plugin_open,
        needed,
        max_glibc,
    })
}

/// What the symbol tables say.
struct GoSymbols {
    hashes: PackageHashes,
    plugin_path: Option<String>,
    links_plugin_open: bool,
}

/// One symbol worth keeping: its name and the bytes it covers.
struct Found<'data> {
    name: &'data [u8],
    value: u64,
    size: u64,
}

impl<'data, Elf: FileHeader<Endian = Endianness>> Image<'data, Elf> {
    /// Up to `len` bytes at virtual address `addr`, from the `PT_LOAD` segment
    /// whose file image covers it (like Go's `elfExe.ReadData`).
    fn read_at(&self, addr: u64, len: u64) -> Option<&'data [u8]> {
        self.segments.iter().find_map(|seg| {
            if seg.p_type(self.endian) != elf::PT_LOAD {
                return None;
            }
            let vaddr: u64 = seg.p_vaddr(self.endian).into();
            let filesz: u64 = seg.p_filesz(self.endian).into();
            let offset: u64 = seg.p_offset(self.endian).into();
            let skip = addr.checked_sub(vaddr).filter(|&s| s < filesz)?;
            let start = usize::try_from(offset.checked_add(skip)?).ok()?;
            let avail = usize::try_from((filesz - skip).min(len)).ok()?;
            self.data.get(start..start.checked_add(avail)?)
        })
    }

    /// Exactly `len` bytes at `addr`.
    fn read_exact(&self, addr: u64, len: u64) -> Option<&'data [u8]> {
        self.read_at(addr, len).filter(|b| b.len() as u64 == len)
    }

    /// Go's `debug/buildinfo` reading: find the blob, decode both formats, strip
    /// the modinfo framing, parse it.
    fn build_info(&self) -> Result<BuildInfo, String> {
        let not_go = || "not a Go executable".to_owned();
        let (start, size) = self.buildinfo_range().ok_or_else(not_go)?;
        let addr = self.search_magic(start, size).ok_or_else(not_go)?;
        let header = self
            .read_exact(addr, BUILDINFO_HEADER as u64)
            .ok_or_else(not_go)?;
        let (version, mod_text) = if header[15] & 2 == 2 {
            let (version, next) = self
                .inline_string(addr + BUILDINFO_HEADER as u64)
                .ok_or_else(not_go)?;
            let (mod_text, _) = self.inline_string(next).ok_or_else(not_go)?;
            (version, mod_text)
        } else {
            self.pointer_strings(header).ok_or_else(not_go)?
        };
        if version.is_empty() {
            return Err(not_go());
        }
        let framed = mod_text.len() >= 33 && mod_text[mod_text.len() - 17] == b'\n';
        let body = if framed {
            &mod_text[16..mod_text.len() - 16]
        } else {
            &[][..]
        };
        modinfo::parse_modinfo(&String::from_utf8_lossy(version), body).map_err(|e| e.to_string())
    }

    /// The `.go.buildinfo` section, else the first writable, non-executable load segment.
    fn buildinfo_range(&self) -> Option<(u64, u64)> {
        if let Some((_, section)) = self.sections.section_by_name(self.endian, b".go.buildinfo") {
            return Some((
                section.sh_addr(self.endian).into(),
                section.sh_size(self.endian).into(),
            ));
        }
        self.segments
            .iter()
            .find(|p| {
                p.p_type(self.endian) == elf::PT_LOAD
                    && p.p_flags(self.endian) & (elf::PF_X | elf::PF_W) == elf::PF_W
            })
            .map(|p| (p.p_vaddr(self.endian).into(), p.p_memsz(self.endian).into()))
            .filter(|&(_, size)| size > 0)
    }

    /// The first 16-byte-aligned magic in `[start, start+size)` with a whole header after it.
    fn search_magic(&self, start: u64, size: u64) -> Option<u64> {
        let end = start.checked_add(size)?;
        let mut addr = start.checked_add(BUILDINFO_ALIGN - 1)? & !(BUILDINFO_ALIGN - 1);
        while addr < end {
            let chunk = self.read_at(addr, end - addr).filter(|c| !c.is_empty())?;
            for (i, block) in (0..).zip(chunk.chunks(16)) {
                if block.starts_with(BUILDINFO_MAGIC) {
                    let at = addr + i * BUILDINFO_ALIGN;
                    return (end - at >= BUILDINFO_HEADER as u64).then_some(at);
                }
            }
            addr =
                addr.checked_add((chunk.len() as u64).div_ceil(BUILDINFO_ALIGN) * BUILDINFO_ALIGN)?;
        }
        None
    }

    /// A uvarint length and that many bytes at `addr`; also the address after it.
    fn inline_string(&self, addr: u64) -> Option<(&'data [u8], u64)> {
        let (len, used) = uvarint(self.read_at(addr, 10)?)?;
        let at = addr.checked_add(used as u64)?;
        Some((self.read_exact(at, len)?, at.checked_add(len)?))
    }

    /// The pre-1.18 format: two pointers to Go string headers `{data, len}`.
    fn pointer_strings(&self, header: &[u8]) -> Option<(&'data [u8], &'data [u8])> {
        let ptr_size = usize::from(header[14]);
        let big = header[15] & 1 == 1;
        let word = |b: &[u8]| -> Option<u64> {
            let b = b.get(..ptr_size)?;
            match (ptr_size, big) {
                (4, false) => Some(u32::from_le_bytes(b.try_into().ok()?).into()),
                (4, true) => Some(u32::from_be_bytes(b.try_into().ok()?).into()),
                (8, false) => Some(u64::from_le_bytes(b.try_into().ok()?)),
                (8, true) => Some(u64::from_be_bytes(b.try_into().ok()?)),
                _ => None,
            }
        };
        let string = |ptr: u64| -> &'data [u8] {
            let read = || {
                let hdr = self.read_exact(ptr, 2 * ptr_size as u64)?;
                let (data, len) = (word(hdr)?, word(&hdr[ptr_size..])?);
                if len > 1 << 32 {
                    return None;
                }
                self.read_exact(data, len)
            };
            read().unwrap_or_default()
        };
        let version = string(word(&header[16..])?);
        let mod_text = string(word(&header[16 + ptr_size..])?);
        Some((version, mod_text))
    }

    /// Defined symbols of one table whose names matter to Go plugin loading.
    fn interesting_symbols(&self, sh_type: u32) -> Result<Vec<Found<'data>>, ElfError> {
        const PREFIXES: [&[u8]; 3] = [b"go:link.", b"go.link.", b"plugin."];
        let table = self.sections.symbols(self.endian, self.data, sh_type)?;
        let strings = table.strings();
        // A gateway has over a million symbols: looking at a name's first bytes
        // in place, instead of finding where each name ends, keeps this cheap.
        let raw = self
            .sections
            .section(table.string_section())
            .and_then(|h| h.data(self.endian, self.data))
            .unwrap_or_default();
        let worth = |s: &Elf::Sym| {
            usize::try_from(s.st_name(self.endian))
                .ok()
                .and_then(|at| raw.get(at..))
                .is_some_and(|name| PREFIXES.iter().any(|p| name.starts_with(p)))
        };
        Ok(table
            .symbols()
            .iter()
            .filter(|s| worth(s) && !s.is_undefined(self.endian))
            .filter_map(|s| {
                Some(Found {
                    name: s.name(self.endian, strings).ok()?,
                    value: s.st_value(self.endian).into(),
                    size: s.st_size(self.endian).into(),
                })
            })
            .collect())
    }

    fn go_symbols(&self) -> Result<GoSymbols, ElfError> {
        let symtab = self.interesting_symbols(elf::SHT_SYMTAB)?;
        let dynsym = self.interesting_symbols(elf::SHT_DYNSYM)?;
        let (source, by_package) = match self.hash_map(&symtab) {
            map if !map.is_empty() => (SymbolSource::Symtab, map),
            _ => match self.hash_map(&dynsym) {
                map if !map.is_empty() => (SymbolSource::Dynsym, map),
                map => (SymbolSource::None, map),
            },
        };
        let link_symbol = |suffix: &[u8]| {
            symtab
                .iter()
                .find(|s| s.name.get(8..) == Some(suffix))
                .and_then(|s| self.read_exact(s.value, s.size))
        };
        Ok(GoSymbols {
            hashes: PackageHashes {
                source,
                by_package,
                check_order: self.check_order(&symtab),
            },
            plugin_path: link_symbol(b"thispluginpath")
                .map(|b| String::from_utf8_lossy(b).into_owned()),
            links_plugin_open: symtab
                .iter()
                .chain(&dynsym)
                .any(|s| s.name.starts_with(b"plugin.")),
        })
    }

    /// Package → fingerprint from `pkghashbytes.<P>` symbols, falling back to the
    /// `pkghash.<P>` string header (older hosts) when its pointer is stored.
    fn hash_map(&self, symbols: &[Found<'data>]) -> BTreeMap<String, Vec<u8>> {
        let mut map = BTreeMap::new();
        for s in symbols {
            let pkg = s
                .name
                .get(8..)
                .and_then(|n| n.strip_prefix(b"pkghashbytes."));
            if let (Some(pkg), Some(bytes)) = (pkg, self.read_exact(s.value, s.size)) {
                map.insert(String::from_utf8_lossy(pkg).into_owned(), bytes.to_vec());
            }
        }
        for s in symbols {
            let Some(pkg) = s.name.get(8..).and_then(|n| n.strip_prefix(b"pkghash.")) else {
                continue;
            };
            if let (std::collections::btree_map::Entry::Vacant(slot), Some(bytes)) = (
                map.entry(String::from_utf8_lossy(pkg).into_owned()),
                self.string_header(s),
            ) {
                slot.insert(bytes.to_vec());
            }
        }
        map
    }

    /// The bytes a Go string header symbol points at, when the pointer is in the file.
    fn string_header(&self, s: &Found<'data>) -> Option<&'data [u8]> {
        let word = s.size / 2;
        let hdr = self.read_exact(s.value, s.size)?;
        let read = |b: &[u8]| -> Option<u64> {
            match (word, self.endian) {
                (8, Endianness::Little) => Some(u64::from_le_bytes(b.try_into().ok()?)),
                (8, Endianness::Big) => Some(u64::from_be_bytes(b.try_into().ok()?)),
                (4, Endianness::Little) => Some(u32::from_le_bytes(b.try_into().ok()?).into()),
                (4, Endianness::Big) => Some(u32::from_be_bytes(b.try_into().ok()?).into()),
                _ => None,
            }
        };
        let w = usize::try_from(word).ok()?;
        let (ptr, len) = (read(&hdr[..w])?, read(&hdr[w..])?);
        (ptr != 0 && len <= 64)
            .then(|| self.read_exact(ptr, len))
            .flatten()
    }

    /// The runtime's check order: `go:link.pkgname.<i>` for i = 0, 1, ...
    fn check_order(&self, symtab: &[Found<'data>]) -> Vec<String> {
        let mut named: Vec<(usize, String)> = symtab
            .iter()
            .filter_map(|s| {
                let index = s.name.get(8..)?.strip_prefix(b"pkgname.")?;
                let index = std::str::from_utf8(index).ok()?.parse().ok()?;
                let name = self.read_exact(s.value, s.size)?;
                Some((index, String::from_utf8_lossy(name).into_owned()))
            })
            .collect();
        named.sort();
        named.into_iter().map(|(_, name)| name).collect()
    }

    /// `DT_NEEDED` entries and the highest `GLIBC_*` version in `.gnu.version_r`.
    fn loader_needs(&self) -> Result<(Vec<String>, Option<GlibcVersion>), ElfError> {
        let mut needed = Vec::new();
        if let Some((entries, link)) = self.sections.dynamic(self.endian, self.data)? {
            let strings = self.sections.strings(self.endian, self.data, link)?;
            for entry in entries {
                if entry.tag32(self.endian) == Some(elf::DT_NEEDED) {
                    needed.push(
                        String::from_utf8_lossy(entry.string(self.endian, strings)?).into_owned(),
                    );
                }
            }
        }
        let mut max_glibc = None;
        if let Some((mut needs, link)) = self.sections.gnu_verneed(self.endian, self.data)? {
            let strings = self.sections.strings(self.endian, self.data, link)?;
            while let Some((_, mut aux)) = needs.next()? {
                while let Some(version) = aux.next()? {
                    let name =
                        String::from_utf8_lossy(version.name(self.endian, strings)?).into_owned();
                    let parsed = name.strip_prefix("GLIBC_").and_then(GlibcVersion::parse);
                    max_glibc = max_glibc.max(parsed);
                }
            }
        }
        Ok((needed, max_glibc))
    }
}

/// `encoding/binary.Uvarint`: the value and the bytes used, `None` on overflow or truncation.
fn uvarint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value: u64 = 0;
    for (i, &b) in bytes.iter().enumerate().take(10) {
        if i == 9 && b > 1 {
            return None;
        }
        value |= u64::from(b & 0x7f) << (7 * i);
        if b < 0x80 {
            return Some((value, i + 1));
        }
    }
    None
}

fn hex_map<S: serde::Serializer>(map: &BTreeMap<String, Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(map.iter().map(|(k, v)| (k, hex(v))))
}

/// Lower-case hex of `bytes`, as fingerprints are shown.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uvarint_matches_go() {
        assert_eq!(uvarint(&[0x05]), Some((5, 1)));
        assert_eq!(uvarint(&[0x80, 0x01]), Some((128, 2)));
        assert_eq!(uvarint(&[0x80]), None);
        assert_eq!(uvarint(&[0xff; 10]), None);
    }

    #[test]
    fn glibc_versions_order() {
        assert!(GlibcVersion::parse("2.34").unwrap() > GlibcVersion::parse("2.3.4").unwrap());
        assert_eq!(GlibcVersion::parse("2.2.5").unwrap().to_string(), "2.2.5");
        assert!(GlibcVersion::parse("2.x").is_none());
    }

    #[test]
    fn rejects_non_elf() {
        assert!(matches!(read_elf(b"#!/bin/sh\n"), Err(ElfError::NotElf(_))));
        assert!(read_elf(b"\x7fELF\x02\x01\x01").is_err());
    }
}

#[cfg(test)]
mod synthetic {
    //! Hand-made ELF files for what no local toolchain produces: pre-1.18
    //! pointer-format blobs, and files without section headers.
    use super::*;

    const BASE: u64 = 0x40_0000;
    const DATA: usize = 128;

    /// An ELF64 executable whose only segment (RW, no section headers) holds `data` at offset 128.
    fn elf_with(data: &[u8]) -> Vec<u8> {
        let len = (DATA + data.len()) as u64;
        let mut f = Vec::new();
        f.extend_from_slice(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0");
        for half in [2u16, 62] {
            f.extend_from_slice(&half.to_le_bytes());
        }
        f.extend_from_slice(&1u32.to_le_bytes());
        for word in [0u64, 64, 0] {
            f.extend_from_slice(&word.to_le_bytes());
        }
        f.extend_from_slice(&0u32.to_le_bytes());
        for half in [64u16, 56, 1, 64, 0, 0] {
            f.extend_from_slice(&half.to_le_bytes());
        }
        f.extend_from_slice(&1u32.to_le_bytes());
        f.extend_from_slice(&6u32.to_le_bytes());
        for word in [0, BASE, BASE, len, len, 0x1000] {
            f.extend_from_slice(&word.to_le_bytes());
        }
        f.resize(DATA, 0);
        f.extend_from_slice(data);
        f
    }

    fn framed(text: &str) -> Vec<u8> {
        let mut m = vec![0x30; 16];
        m.extend_from_slice(text.as_bytes());
        m.extend_from_slice(&[0xf9; 16]);
        m
    }

    const MODINFO: &str =
        "path\texample.com/old\nmod\texample.com/old\t(devel)\t\nbuild\tCGO_ENABLED=1\n";

    #[test]
    fn reads_the_inline_format_from_a_segment() {
        let mut blob = b"\xff Go buildinf:\x08\x02".to_vec();
        blob.resize(32, 0);
        let modinfo = framed(MODINFO);
        blob.push(8);
        blob.extend_from_slice(b"go1.22.0");
        blob.push(u8::try_from(modinfo.len()).unwrap());
        blob.extend_from_slice(&modinfo);
        let facts = read_elf(&elf_with(&blob)).unwrap();
        let info = facts.build_info.expect("build info");
        assert_eq!(info.go_version, "go1.22.0");
        assert_eq!(info.path, "example.com/old");
        assert_eq!(info.setting("CGO_ENABLED"), Some("1"));
        assert_eq!(facts.hashes.source, SymbolSource::None);
    }

    #[test]
    fn reads_the_pointer_format() {
        // Header at +0, string headers at +32 and +48, strings from +64.
        let at = |off: usize| BASE + (DATA + off) as u64;
        let version = b"go1.16.15";
        let modinfo = framed(MODINFO);
        let mut blob = b"\xff Go buildinf:\x08\x00".to_vec();
        for word in [at(32), at(48)] {
            blob.extend_from_slice(&word.to_le_bytes());
        }
        for (ptr, len) in [
            (at(64), version.len()),
            (at(64 + version.len()), modinfo.len()),
        ] {
            blob.extend_from_slice(&ptr.to_le_bytes());
            blob.extend_from_slice(&(len as u64).to_le_bytes());
        }
        blob.extend_from_slice(version);
        blob.extend_from_slice(&modinfo);
        let info = read_elf(&elf_with(&blob))
            .unwrap()
            .build_info
            .expect("build info");
        assert_eq!(info.go_version, "go1.16.15");
        assert_eq!(info.main.path, "example.com/old");
    }

    #[test]
    fn ignores_a_misaligned_magic_and_unframed_modinfo() {
        let mut blob = vec![0u8; 8];
        blob.extend_from_slice(b"\xff Go buildinf:\x08\x02");
        blob.resize(48, 0);
        assert_eq!(
            read_elf(&elf_with(&blob))
                .unwrap()
                .build_info_problem
                .as_deref(),
            Some("not a Go executable")
        );
        let mut blob = b"\xff Go buildinf:\x08\x02".to_vec();
        blob.resize(32, 0);
        blob.extend_from_slice(b"\x06go1.22\x03abc");
        let info = read_elf(&elf_with(&blob))
            .unwrap()
            .build_info
            .expect("version only");
        assert_eq!(
            (info.go_version.as_str(), info.path.as_str()),
            ("go1.22", "")
        );
    }
}
