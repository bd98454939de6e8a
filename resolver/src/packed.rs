//! Many short strings (module paths, versions, hashes) kept end to end in one
//! buffer, each known by a byte range of two `u32`s: the graph and go.sum's
//! index hold thousands of them per run, where a `String` apiece costs an
//! allocation apiece.

/// A string's byte range in a [`PackedStrings`].
pub(crate) type Packed = (u32, u32);

/// Strings kept end to end.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct PackedStrings {
    text: String,
}

impl From<String> for PackedStrings {
    /// A buffer holding `text`, whose parts [`PackedStrings::range_of`] finds.
    fn from(text: String) -> Self {
        Self { text }
    }
}

impl PackedStrings {
    /// Room for `bytes` bytes of strings before the buffer grows.
    pub(crate) fn with_capacity(bytes: usize) -> Self {
        Self {
            text: String::with_capacity(bytes),
        }
    }

    /// Keep `s`; its range.
    pub(crate) fn push(&mut self, s: &str) -> Packed {
        let start = self.text.len();
        self.text.push_str(s);
        range(start, s.len())
    }

    /// The range of `part`, a slice of this buffer's text.
    ///
    /// # Panics
    /// When `part` does not lie in the buffer.
    pub(crate) fn range_of(&self, part: &str) -> Packed {
        let start = (part.as_ptr() as usize)
            .checked_sub(self.text.as_ptr() as usize)
            .filter(|start| start + part.len() <= self.text.len())
            .expect("a part of the buffer");
        range(start, part.len())
    }

    /// The string at `range`.
    pub(crate) fn get(&self, (start, end): Packed) -> &str {
        &self.text[start as usize..end as usize]
    }

    /// All the text.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }
}

fn range(start: usize, len: usize) -> Packed {
    let at = |n: usize| u32::try_from(n).expect("packed strings under 4 GiB");
    (at(start), at(start + len))
}
