//! The strings of one graph load, numbered as they are met. MVS touches
//! every requirement of ~1,000 go.mod files several times (queued, loaded,
//! selected); keyed by `ModKey` each touch hashed and often copied two
//! strings. Keyed by number, a requirement costs two lookups when it is
//! first met, and the strings are kept once, in one buffer.

use std::hash::BuildHasher as _;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use rustc_hash::FxBuildHasher;

use crate::packed::{Packed, PackedStrings};

/// A numbered string.
pub(super) type Name = u32;

/// Strings by number and numbers by string.
#[derive(Debug, Default)]
pub(super) struct Names {
    text: PackedStrings,
    /// Each name's range in `text`.
    spans: Vec<Packed>,
    /// Each name's number, found by the string's hash.
    table: HashTable<Name>,
}

impl Names {
    /// Room for `n` names before the table grows.
    pub(super) fn with_capacity(n: usize) -> Self {
        Self {
            text: PackedStrings::with_capacity(n * 24),
            spans: Vec::with_capacity(n),
            table: HashTable::with_capacity(n),
        }
    }

    /// The number of `s`, numbering it if it is new.
    pub(super) fn id(&mut self, s: &str) -> Name {
        let hash = FxBuildHasher.hash_one(s);
        let (text, spans) = (&self.text, &self.spans);
        let at = |n: &Name| text.get(spans[*n as usize]);
        match self
            .table
            .entry(hash, |n| at(n) == s, |n| FxBuildHasher.hash_one(at(n)))
        {
            Entry::Occupied(e) => *e.get(),
            Entry::Vacant(e) => {
                let n = Name::try_from(self.spans.len()).expect("fewer than 2^32 names");
                self.spans.push(self.text.push(s));
                e.insert(n);
                n
            }
        }
    }

    /// The number of `s`, if it has one.
    pub(super) fn find(&self, s: &str) -> Option<Name> {
        let hash = FxBuildHasher.hash_one(s);
        self.table.find(hash, |n| self.name(*n) == s).copied()
    }

    /// The string numbered `n`.
    pub(super) fn name(&self, n: Name) -> &str {
        self.text.get(self.spans[n as usize])
    }

    /// How many names there are.
    pub(super) fn len(&self) -> usize {
        self.spans.len()
    }
}
