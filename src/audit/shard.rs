//! `--shard I/N`: one part of a run, for spreading a large estate over a CI matrix. Each
//! repository belongs to the shard picked by a stable hash of its report name (SHA-256, first
//! eight bytes, modulo N), so the answer depends on that name alone: jobs that list a GitHub
//! organisation a few seconds apart agree about every repository they both see, and a
//! repository created or deleted in between moves no other. Sizes are even on average rather
//! than exactly, and a small run can leave a shard empty; an empty shard is a valid, empty
//! report. `openly merge` puts the parts back together.

use sha2::{Digest, Sha256};

use crate::model::ShardInfo;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based, as matrix jobs count.
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Parses `I/N` with 1 ≤ I ≤ N.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (index, count) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not I/N (for example 2/4)"))?;
        let number = |part: &str| {
            part.trim()
                .parse::<usize>()
                .map_err(|_| format!("`{text}` is not I/N (for example 2/4)"))
        };
        let (index, count) = (number(index)?, number(count)?);
        if count == 0 || index == 0 || index > count {
            return Err(format!(
                "shard {index}/{count}: I must be from 1 to N, and N at least 1"
            ));
        }
        Ok(Shard { index, count })
    }

    /// Whether the repository named `name` (its report name) is in this shard.
    pub fn contains(self, name: &str) -> bool {
        shard_of(name, self.count) == self.index
    }

    pub fn info(self) -> ShardInfo {
        ShardInfo {
            index: self.index,
            count: self.count,
        }
    }
}

/// The 1-based shard of `name` among `count`.
pub fn shard_of(name: &str, count: usize) -> usize {
    let digest = Sha256::digest(name.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    (u64::from_be_bytes(first) % count.max(1) as u64) as usize + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_one_based_parts() {
        assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, count: 4 }));
        assert_eq!(Shard::parse("1/1"), Ok(Shard { index: 1, count: 1 }));
        for bad in ["0/4", "5/4", "1/0", "2", "a/b", "-1/4"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_name_is_in_exactly_one_shard_and_the_split_is_roughly_even() {
        let names: Vec<String> = (0..400).map(|i| format!("nhs-test/repo-{i}")).collect();
        let mut sizes = [0usize; 4];
        for name in &names {
            let owners: Vec<usize> = (1..=4)
                .filter(|&index| Shard { index, count: 4 }.contains(name))
                .collect();
            assert_eq!(owners.len(), 1, "{name}: {owners:?}");
            sizes[owners[0] - 1] += 1;
        }
        assert!(sizes.iter().all(|&s| (60..=140).contains(&s)), "{sizes:?}");
    }

    #[test]
    fn the_shard_of_a_name_is_fixed() {
        // Computed independently: sha256("alpha") starts 8ed3f6ad685b959e.
        let expected = (0x8ed3f6ad685b959e_u64 % 4) as usize + 1;
        assert_eq!(shard_of("alpha", 4), expected);
        assert_eq!(shard_of("alpha", 1), 1);
    }
}
