//! A map from byte offsets in an embedded policy's JSON text to byte offsets in its host file.
//!
//! The JSON text is written by [`super::value::emit`]; every token it writes is recorded as a
//! segment. A segment whose two sides have the same length maps byte for byte (literal text
//! copied from the host); any other segment (a quote the host does not have, an escape written
//! differently, a placeholder for an unknown value) maps its start to the host start and its end
//! to the host end, so a span never points inside an escape sequence.

use crate::span::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    json: Span,
    host: Span,
}

impl Segment {
    fn linear(&self) -> bool {
        self.json.len() == self.host.len()
    }
}

/// Offsets in the JSON text to offsets in the host text. Segments are pushed in increasing
/// JSON order; host order may jump (a data source's statements are not in file order).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceMap {
    segments: Vec<Segment>,
}

impl SourceMap {
    /// The map of a document that is its own host (a plain policy file).
    pub fn identity(len: usize) -> SourceMap {
        SourceMap {
            segments: vec![Segment {
                json: Span::new(0, len),
                host: Span::new(0, len),
            }],
        }
    }

    /// Record that `json` (just written) stands for `host`. Adjacent byte-for-byte segments are
    /// merged so a long literal costs one entry.
    pub(crate) fn push(&mut self, json: Span, host: Span) {
        if let Some(last) = self.segments.last_mut() {
            if last.linear()
                && json.len() == host.len()
                && last.json.end == json.start
                && last.host.end == host.start
            {
                last.json.end = json.end;
                last.host.end = host.end;
                return;
            }
        }
        self.segments.push(Segment { json, host });
    }

    /// The index of the last segment starting at or before `offset`.
    fn at_or_before(&self, offset: usize) -> Option<usize> {
        let n = self.segments.partition_point(|s| s.json.start <= offset);
        n.checked_sub(1)
    }

    /// Where a span starting at JSON offset `offset` starts in the host.
    pub fn start(&self, offset: usize) -> usize {
        match self.at_or_before(offset) {
            None => self.segments.first().map_or(0, |s| s.host.start),
            Some(i) => {
                let s = self.segments[i];
                if offset < s.json.end {
                    if s.linear() {
                        s.host.start + (offset - s.json.start)
                    } else {
                        s.host.start
                    }
                } else {
                    // Between tokens: the next token's start.
                    self.segments
                        .get(i + 1)
                        .map_or(s.host.end, |next| next.host.start)
                }
            }
        }
    }

    /// Where a span ending at JSON offset `offset` ends in the host.
    pub fn end(&self, offset: usize) -> usize {
        let n = self.segments.partition_point(|s| s.json.start < offset);
        let Some(i) = n.checked_sub(1) else {
            return self.segments.first().map_or(0, |s| s.host.start);
        };
        let s = self.segments[i];
        if offset <= s.json.end {
            if s.linear() {
                s.host.start + (offset - s.json.start)
            } else {
                s.host.end
            }
        } else {
            s.host.end
        }
    }

    /// The host span of a JSON span (never inverted).
    pub fn span(&self, span: Span) -> Span {
        let start = self.start(span.start);
        if span.is_empty() {
            return Span::empty(start);
        }
        let end = self.end(span.end);
        if end < start {
            // A span crossing segments that are out of host order: keep its start only.
            Span::new(start, self.end_of_segment_at(span.start).max(start))
        } else {
            Span::new(start, end)
        }
    }

    /// The host span of `span` when it lies in one byte-for-byte segment (text copied from
    /// the host), so a run of characters can be mapped at once instead of one by one.
    pub(crate) fn linear(&self, span: Span) -> Option<Span> {
        let s = self.segments[self.at_or_before(span.start)?];
        (s.linear() && span.end <= s.json.end).then(|| {
            let start = s.host.start + (span.start - s.json.start);
            Span::new(start, start + span.len())
        })
    }

    fn end_of_segment_at(&self, offset: usize) -> usize {
        self.at_or_before(offset)
            .map_or(0, |i| self.segments[i].host.end)
    }

    /// The JSON offset of a host offset: the first segment whose host range touches it.
    pub fn json_offset(&self, host: usize) -> Option<usize> {
        let seg = self
            .segments
            .iter()
            .filter(|s| s.host.touches(host))
            // Prefer a segment that really contains the offset over one that ends there.
            .min_by_key(|s| (!s.host.contains(host), s.host.len()))?;
        Some(if seg.linear() {
            seg.json.start + (host - seg.host.start)
        } else if host == seg.host.end && seg.host.end > seg.host.start {
            seg.json.end
        } else {
            seg.json.start
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_and_collapsed_segments() {
        let mut map = SourceMap::default();
        // `"` written where the host has no quote, then `abc` copied from host 10..13, then a
        // two-byte escape standing for one host byte.
        map.push(Span::new(0, 1), Span::empty(10));
        map.push(Span::new(1, 4), Span::new(10, 13));
        map.push(Span::new(4, 6), Span::new(13, 14));
        map.push(Span::new(6, 7), Span::empty(14));
        assert_eq!(map.span(Span::new(0, 7)), Span::new(10, 14));
        assert_eq!(map.span(Span::new(2, 3)), Span::new(11, 12));
        assert_eq!(map.span(Span::new(4, 6)), Span::new(13, 14));
        assert_eq!(map.span(Span::new(5, 6)), Span::new(13, 14));
        assert_eq!(map.json_offset(11), Some(2));
        assert_eq!(map.json_offset(13), Some(4));
    }

    #[test]
    fn adjacent_literals_merge() {
        let mut map = SourceMap::default();
        map.push(Span::new(0, 2), Span::new(5, 7));
        map.push(Span::new(2, 4), Span::new(7, 9));
        assert_eq!(map.segments.len(), 1);
        assert_eq!(map, {
            let mut m = SourceMap::default();
            m.push(Span::new(0, 4), Span::new(5, 9));
            m
        });
    }

    #[test]
    fn gaps_take_the_neighbouring_tokens() {
        let mut map = SourceMap::default();
        map.push(Span::new(0, 1), Span::new(0, 1));
        map.push(Span::new(3, 4), Span::new(20, 21));
        assert_eq!(map.start(2), 20);
        assert_eq!(map.end(2), 1);
        assert_eq!(map.span(Span::new(0, 4)), Span::new(0, 21));
    }
}
