//! `.netrc` credentials for proxy requests, read with the go command's own
//! quirks (`auth.parseNetrc`) rather than a general netrc crate: tokens are
//! consumed in pairs per line, an entry counts only with machine, login and
//! password all set, `default` ends the file only when it is a line's unpaired
//! last token, and the first entry for a machine wins.

use std::collections::BTreeMap;

/// A login and password for one `machine`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// The `login` value.
    pub login: String,
    /// The `password` value.
    pub password: String,
}

/// The usable entries of a `.netrc` file, keyed by `machine` (host, or `host:port`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Netrc {
    machines: BTreeMap<String, Credential>,
}

impl Netrc {
    /// Parse `.netrc` text as cmd/go does.
    pub fn parse(text: &str) -> Self {
        let mut machines = BTreeMap::new();
        let mut entry: [String; 3] = Default::default();
        let mut in_macro = false;
        for line in text.split('\n') {
            if in_macro {
                in_macro = !line.is_empty();
                continue;
            }
            let fields: Vec<&str> = line.split_whitespace().collect();
            let mut i = 0;
            while i + 1 < fields.len() {
                let value = fields[i + 1].to_owned();
                match fields[i] {
                    "machine" => entry = [value, String::new(), String::new()],
                    "login" => entry[1] = value,
                    "password" => entry[2] = value,
                    "macdef" => in_macro = true,
                    _ => {}
                }
                if entry.iter().all(|f| !f.is_empty()) {
                    let [machine, login, password] = std::mem::take(&mut entry);
                    machines
                        .entry(machine)
                        .or_insert(Credential { login, password });
                }
                i += 2;
            }
            if fields.get(i) == Some(&"default") {
                break;
            }
        }
        Self { machines }
    }

    /// The credential for an `https://` URL: the longest `host[:port]/path`
    /// prefix with an entry, cutting at each `/` (`auth.loadCredential`).
    /// Never anything for other schemes.
    pub fn for_url(&self, url: &str) -> Option<&Credential> {
        let rest = url.strip_prefix("https://")?;
        let mut prefix = rest.strip_suffix('/').unwrap_or(rest);
        loop {
            if let Some(c) = self.machines.get(prefix) {
                return Some(c);
            }
            prefix = &prefix[..prefix.rfind('/')?];
        }
    }
}
