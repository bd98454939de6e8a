//! An in-memory [`ModuleSource`]: the module data of tests, examples and
//! property tests, so the build-list algorithm can be exercised without a
//! network, a proxy tree or a module cache.

use std::collections::BTreeMap;

use super::{BoxFuture, FetchError, FetchErrorKind, Info, ModuleSource};
use crate::version::semver;

/// Module versions held in memory, each with its go.mod text and, when
/// given, its files (served as the module zip).
#[derive(Debug, Clone, Default)]
pub struct MemorySource {
    modules: BTreeMap<(String, String), Vec<u8>>,
    zips: BTreeMap<(String, String), Vec<u8>>,
}

impl MemorySource {
    /// An empty source: every request answers "not found".
    pub fn new() -> Self {
        Self::default()
    }

    /// Add `path@version` with the go.mod text `go_mod`; returns `self` so
    /// fixtures read as a list.
    #[must_use]
    pub fn with(mut self, path: &str, version: &str, go_mod: &str) -> Self {
        self.insert(path, version, go_mod);
        self
    }

    /// Add (or overwrite) `path@version` with the go.mod text `go_mod`.
    pub fn insert(&mut self, path: &str, version: &str, go_mod: &str) {
        self.modules.insert(
            (path.to_owned(), version.to_owned()),
            go_mod.as_bytes().to_vec(),
        );
    }

    /// Add `path@version` with the go.mod text `go_mod` and the module's
    /// `files` (path relative to the module root, text), zipped as a proxy
    /// serves them (every name under `path@version/`).
    ///
    /// # Panics
    /// Never for in-memory writes; a zip that cannot be built is a bug here.
    #[must_use]
    pub fn with_files(
        mut self,
        path: &str,
        version: &str,
        go_mod: &str,
        files: &[(&str, &str)],
    ) -> Self {
        use std::io::Write as _;
        self.insert(path, version, go_mod);
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let go_mod_file = [("go.mod", go_mod)];
        for (name, text) in go_mod_file.iter().chain(files) {
            zip.start_file(format!("{path}@{version}/{name}"), options)
                .expect("an in-memory zip entry");
            zip.write_all(text.as_bytes())
                .expect("an in-memory zip write");
        }
        let bytes = zip.finish().expect("an in-memory zip").into_inner();
        self.zips
            .insert((path.to_owned(), version.to_owned()), bytes);
        self
    }

    fn not_found(path: &str, version: Option<&str>) -> FetchError {
        let module = version.map_or_else(|| path.to_owned(), |v| format!("{path}@{v}"));
        FetchError {
            module,
            kind: FetchErrorKind::NotFound,
            detail: "not in the in-memory source".to_owned(),
        }
    }

    fn lookup(&self, path: &str, version: &str) -> Result<&Vec<u8>, FetchError> {
        self.modules
            .get(&(path.to_owned(), version.to_owned()))
            .ok_or_else(|| Self::not_found(path, Some(version)))
    }
}

impl ModuleSource for MemorySource {
    fn versions<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Vec<String>, FetchError>> {
        let mut versions: Vec<String> = self
            .modules
            .keys()
            .filter(|(p, v)| p == path && !crate::version::pseudo::is_pseudo_version(v))
            .map(|(_, v)| v.clone())
            .collect();
        versions.sort_by(|a, b| semver::compare(a, b));
        let answer = if versions.is_empty() {
            Err(Self::not_found(path, None))
        } else {
            Ok(versions)
        };
        Box::pin(async move { answer })
    }

    fn info<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Info, FetchError>> {
        let answer = self.lookup(path, version).map(|_| Info {
            version: version.to_owned(),
            time: None,
        });
        Box::pin(async move { answer })
    }

    fn go_mod<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>> {
        let answer = self.lookup(path, version).cloned();
        Box::pin(async move { answer })
    }

    /// The zip of a version added [`with_files`](MemorySource::with_files).
    fn zip<'a>(
        &'a self,
        path: &'a str,
        version: &'a str,
    ) -> BoxFuture<'a, Result<Vec<u8>, FetchError>> {
        let answer = self
            .zips
            .get(&(path.to_owned(), version.to_owned()))
            .cloned()
            .ok_or_else(|| Self::not_found(path, Some(version)));
        Box::pin(async move { answer })
    }

    /// The newest pseudo-version held, as a proxy whose list names them all.
    fn latest<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Info, FetchError>> {
        let list: String = self
            .modules
            .keys()
            .filter(|(p, v)| p == path && crate::version::pseudo::is_pseudo_version(v))
            .flat_map(|(_, v)| [v.as_str(), "\n"])
            .collect();
        let answer = super::proxy::latest_from_list(&list)
            .map(|version| Info {
                version,
                time: None,
            })
            .ok_or_else(|| Self::not_found(path, None));
        Box::pin(async move { answer })
    }
}
