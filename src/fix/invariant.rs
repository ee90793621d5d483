//! The promise fix mode makes: it only inserts. The new content of a file holds every byte of
//! the old content, in order. The planner checks every change against this before keeping it,
//! and tests and the CLI can check written files with the same function.

/// Where the old content stops being found in the new: the first old byte with no match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the change would alter or remove existing content at byte {old_offset}")]
pub struct NotAnInsertion {
    pub old_offset: usize,
}

/// Whether `new` is `old` with bytes inserted only (`old` is a subsequence of `new`). Greedy
/// matching is exact for subsequences, so this is linear in the size of `new`.
pub fn only_insertions(old: &[u8], new: &[u8]) -> Result<(), NotAnInsertion> {
    let mut at = 0;
    for (old_offset, byte) in old.iter().enumerate() {
        match memchr::memchr(*byte, &new[at..]) {
            Some(found) => at += found + 1,
            None => return Err(NotAnInsertion { old_offset }),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insertions_pass_and_edits_fail() {
        assert!(only_insertions(b"", b"anything").is_ok());
        assert!(only_insertions(b"abc", b"xaybzc").is_ok());
        assert!(only_insertions(b"a\r\nb", b"a\r\n\r\nb\r\n").is_ok());
        assert_eq!(
            only_insertions(b"abc", b"ab"),
            Err(NotAnInsertion { old_offset: 2 })
        );
        assert_eq!(
            only_insertions(b"a\r\nb", b"a\nb"),
            Err(NotAnInsertion { old_offset: 1 })
        );
        assert_eq!(
            only_insertions(b"ba", b"ab"),
            Err(NotAnInsertion { old_offset: 1 })
        );
    }
}
