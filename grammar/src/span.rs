//! Byte-offset spans into one source file.

/// A half-open byte range `[start, end)` in the source text of one file.
///
/// Every AST node carries one, so every diagnostic can point at the exact text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start: start as u32, end: end as u32 }
    }

    /// The smallest span that covers both `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// Whether the two spans share a byte (or are the same empty span).
    pub fn overlaps(self, other: Span) -> bool {
        (self.start < other.end && other.start < self.end) || self == other
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Line and column (both 1-based) of a byte offset, for messages printed outside ariadne
/// (runtime errors from compiled code, JSON diagnostics).
pub fn line_col(source: &str, offset: u32) -> (usize, usize) {
    let mut offset = (offset as usize).min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    // Columns count characters, as the rendered report does, not bytes.
    let line_start = before.rfind('\n').map_or(0, |nl| nl + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}
