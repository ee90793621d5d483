//! Where a file's bytes come from for the data scan: already in memory (the snapshot's cache,
//! which the licence and RAP checks read too) or a stream. Bytes in memory are scanned where
//! they lie; copying each source file into a fresh buffer again cost more than the reads it
//! saved (docs/performance.md).

use std::borrow::Cow;
use std::io::Read;

pub(super) enum Input<'a> {
    Bytes(&'a [u8]),
    Stream(&'a mut dyn Read),
}

impl<'a> Input<'a> {
    /// Up to `cap` bytes, borrowed when they are in memory; a stream's buffer is sized from
    /// `size` (the listed size), and what was read before an error is kept.
    pub(super) fn read_capped(self, cap: u64, size: u64) -> Cow<'a, [u8]> {
        match self {
            Input::Bytes(bytes) => {
                let end = usize::try_from(cap).map_or(bytes.len(), |cap| cap.min(bytes.len()));
                Cow::Borrowed(&bytes[..end])
            }
            Input::Stream(reader) => Cow::Owned(read_capped(reader, cap, size)),
        }
    }
}

impl Read for Input<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Input::Bytes(bytes) => bytes.read(buf),
            Input::Stream(reader) => reader.read(buf),
        }
    }
}

/// Reads up to `cap` bytes of a stream, the buffer sized from `size`.
pub(super) fn read_capped(reader: &mut dyn Read, cap: u64, size: u64) -> Vec<u8> {
    let (bytes, result) = crate::source::read_sized(reader, cap, size);
    if let Err(e) = result {
        log::debug!("read stopped: {e}");
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_in_memory_are_borrowed_and_capped() {
        let text = b"abcdef";
        assert!(matches!(
            Input::Bytes(text).read_capped(4, 6),
            Cow::Borrowed(b"abcd")
        ));
        assert_eq!(Input::Bytes(text).read_capped(100, 6).as_ref(), text);
        let mut stream: &[u8] = text;
        assert_eq!(
            Input::Stream(&mut stream).read_capped(3, 6).as_ref(),
            b"abc"
        );
    }

    #[test]
    fn both_kinds_read_the_same_bytes() {
        let text = b"one,two\n1,2\n";
        let mut from_memory = Vec::new();
        Input::Bytes(text).read_to_end(&mut from_memory).unwrap();
        let mut stream: &[u8] = text;
        let mut from_stream = Vec::new();
        Input::Stream(&mut stream)
            .read_to_end(&mut from_stream)
            .unwrap();
        assert_eq!(from_memory, text);
        assert_eq!(from_stream, text);
    }
}
