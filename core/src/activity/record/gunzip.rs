//! Gzip (RFC 1952) inflated straight into the log reader's buffer.
//!
//! flate2's gzip decoders inflate into a buffer of their own and copy the result out; at the
//! gigabytes a log set holds, that copy is a measurable part of reading. Here flate2's raw
//! inflater writes into the caller's vector, and this module does the gzip framing around it:
//! the member header, the CRC-32 and length after each member, and further members after the
//! first (files joined with `cat` are one valid gzip stream).

use flate2::{Crc, Decompress, FlushDecompress, Status};

/// Bytes of output one call to [`Gunzip::inflate`] adds at most (about): the reader splits what
/// it has before asking for more, so memory stays bounded whatever the compression ratio.
pub(super) const OUT_PIECE: usize = 256 << 10;

const FHCRC: u8 = 0x02;
const FEXTRA: u8 = 0x04;
const FNAME: u8 = 0x08;
const FCOMMENT: u8 = 0x10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Before or inside a member's header (`pending` holds what came of it).
    Header,
    /// Inside a member's deflate data.
    Body,
    /// Inside the 8 bytes after a member's data (`pending` holds what came of them).
    Trailer,
}

pub(super) struct Gunzip {
    state: State,
    inflater: Decompress,
    crc: Crc,
    /// Output bytes of the current member, modulo 2^32 as the trailer gives them.
    size: u32,
    /// The bytes of an incomplete header or trailer.
    pending: Vec<u8>,
    /// At least one member ended.
    members: u32,
}

impl Gunzip {
    pub fn new() -> Gunzip {
        Gunzip {
            state: State::Header,
            inflater: Decompress::new(false),
            crc: Crc::new(),
            size: 0,
            pending: Vec::new(),
            members: 0,
        }
    }

    /// Take bytes from the front of `input`, appending what they inflate to to `out` (at most
    /// about [`OUT_PIECE`] bytes); the number of bytes of `input` used. Called again with the
    /// rest until it is all used. Err for input that is not gzip or fails its checks.
    pub fn inflate(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<usize, String> {
        match self.state {
            State::Header => self.header(input),
            State::Trailer => self.trailer(input),
            State::Body => {
                let in_before = self.inflater.total_in();
                let start = out.len();
                out.reserve(OUT_PIECE);
                let status = self
                    .inflater
                    .decompress_vec(input, out, FlushDecompress::None)
                    .map_err(|e| format!("corrupt deflate data ({e})"))?;
                let new = out.get(start..).unwrap_or_default();
                self.crc.update(new);
                self.size = self.size.wrapping_add(new.len() as u32);
                let used = usize::try_from(self.inflater.total_in() - in_before).unwrap_or(0);
                if status == Status::StreamEnd {
                    self.state = State::Trailer;
                } else if used == 0 && new.is_empty() {
                    // Nothing taken and nothing given: the data cannot go on.
                    return Err("corrupt deflate data".into());
                }
                Ok(used)
            }
        }
    }

    /// An error for the end of the file, if it came inside a member.
    pub fn finish(&self) -> Result<(), String> {
        match self.state {
            State::Header if self.pending.is_empty() && self.members > 0 => Ok(()),
            State::Header if self.pending.is_empty() => Err("no gzip data".into()),
            _ => Err("unexpected end of the gzip data".into()),
        }
    }

    fn header(&mut self, input: &[u8]) -> Result<usize, String> {
        let before = self.pending.len();
        self.pending.extend_from_slice(input);
        let Some(len) = header_len(&self.pending)? else {
            return Ok(input.len());
        };
        self.pending.clear();
        self.inflater.reset(false);
        self.crc.reset();
        self.size = 0;
        self.state = State::Body;
        // The bytes after the header are the member's data: left to the next call.
        Ok(len - before)
    }

    fn trailer(&mut self, input: &[u8]) -> Result<usize, String> {
        let take = (8 - self.pending.len()).min(input.len());
        self.pending.extend_from_slice(&input[..take]);
        if let [c0, c1, c2, c3, s0, s1, s2, s3] = self.pending[..] {
            if u32::from_le_bytes([c0, c1, c2, c3]) != self.crc.sum() {
                return Err("CRC-32 mismatch: the data is damaged".into());
            }
            if u32::from_le_bytes([s0, s1, s2, s3]) != self.size {
                return Err("length mismatch: the data is damaged".into());
            }
            self.pending.clear();
            self.members += 1;
            self.state = State::Header;
        }
        Ok(take)
    }
}

/// The length of the gzip member header at the start of `bytes`, None when more bytes are
/// needed to tell.
fn header_len(bytes: &[u8]) -> Result<Option<usize>, String> {
    let invalid = || Err("not gzip data (invalid header)".to_string());
    for (i, &expected) in [0x1f, 0x8b, 8].iter().enumerate() {
        match bytes.get(i) {
            Some(&b) if b != expected => return invalid(),
            Some(_) => {}
            None => return Ok(None),
        }
    }
    let Some(&flags) = bytes.get(3) else {
        return Ok(None);
    };
    if flags & 0xe0 != 0 {
        return invalid();
    }
    // Flags, modification time, extra flags, operating system.
    let mut at = 10;
    if flags & FEXTRA != 0 {
        let (Some(&lo), Some(&hi)) = (bytes.get(at), bytes.get(at + 1)) else {
            return Ok(None);
        };
        at += 2 + usize::from(u16::from_le_bytes([lo, hi]));
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            // A zero-terminated string.
            match bytes.get(at..).and_then(|rest| memchr::memchr(0, rest)) {
                Some(k) => at += k + 1,
                None => return Ok(None),
            }
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    Ok((bytes.len() >= at).then_some(at))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn gzip_with(header: flate2::GzBuilder, bytes: &[u8]) -> Vec<u8> {
        let mut e = header.write(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    /// Inflate `gz` fed `piece` bytes at a time.
    fn inflate_all(gz: &[u8], piece: usize) -> Result<Vec<u8>, String> {
        let mut g = Gunzip::new();
        let mut out = Vec::new();
        for mut chunk in gz.chunks(piece) {
            while !chunk.is_empty() {
                let used = g.inflate(chunk, &mut out)?;
                chunk = &chunk[used..];
            }
        }
        g.finish().map(|()| out)
    }

    #[test]
    fn inflates_members_with_every_header_field_in_pieces_of_any_size() {
        let text: Vec<u8> = (0..30_000u32)
            .flat_map(|i| format!("{{\"n\": {i}}}, ").into_bytes())
            .collect();
        let plain = gzip_with(flate2::GzBuilder::new(), &text[..1000]);
        let full = gzip_with(
            flate2::GzBuilder::new()
                .filename("log.json")
                .comment("a comment")
                .extra(vec![1, 2, 3])
                .mtime(7),
            &text,
        );
        // Two members in one stream, as `cat a.gz b.gz` makes.
        let mut both = plain.clone();
        both.extend_from_slice(&full);
        let mut expected = text[..1000].to_vec();
        expected.extend_from_slice(&text);
        for piece in [1, 7, 4096, 1 << 20] {
            assert_eq!(inflate_all(&plain, piece).unwrap(), &text[..1000]);
            assert_eq!(inflate_all(&full, piece).unwrap(), text);
            assert_eq!(
                inflate_all(&both, piece).unwrap(),
                expected,
                "piece {piece}"
            );
        }
    }

    #[test]
    fn damaged_or_cut_data_is_an_error() {
        let gz = gzip_with(flate2::GzBuilder::new(), b"{\"Records\": []}");
        assert!(inflate_all(&gz[..gz.len() - 3], 5)
            .unwrap_err()
            .contains("end of the gzip"));
        let mut crc = gz.clone();
        let at = crc.len() - 8;
        crc[at] ^= 1;
        assert!(inflate_all(&crc, 5).unwrap_err().contains("CRC-32"));
        let mut size = gz.clone();
        let at = size.len() - 1;
        size[at] ^= 1;
        assert!(inflate_all(&size, 5).unwrap_err().contains("length"));
        assert!(inflate_all(b"\x1f\x8b\x07\x00", 2)
            .unwrap_err()
            .contains("not gzip"));
        // Text after the last member that is not another member.
        let mut tail = gz.clone();
        tail.extend_from_slice(b"junk");
        assert!(inflate_all(&tail, 3).unwrap_err().contains("not gzip"));
        assert_eq!(inflate_all(b"", 1).unwrap_err(), "no gzip data");
        let mut body = gz.clone();
        body[12] ^= 0xff;
        assert!(inflate_all(&body, 64).is_err());
    }
}
