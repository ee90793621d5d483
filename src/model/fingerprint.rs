//! Fingerprints name findings and their locations across commits and runs. One definition
//! serves pull-request mode (what is new), `[[allow]]` entries, `--baseline` and SARIF's
//! `partialFingerprints`, so a location accepted in one place is the same location everywhere.
//!
//! A location is named by its rule and its *anchor*: what was found (the masked excerpt) when
//! the item has one, otherwise where (its path). So a file moved or renamed with its content
//! keeps its fingerprints, and lines moving within a file change nothing, because line numbers
//! never enter. When several locations of one finding share an anchor (the same masked value in
//! three files), they are told apart by their rank among those that share it, in report order.
//! Path-anchored locations (a committed `.env`) change with a rename; pull-request mode maps the
//! base's paths through git's renames before comparing, so they follow renames there too.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::finding::Evidence;

/// Bumped if the definition changes, so old and new fingerprints never match by accident.
const VERSION: &[u8] = b"openly-fp-v1";

/// What names a location: the masked excerpt if there is one, else the path.
pub fn anchor(evidence: &Evidence) -> &str {
    evidence
        .excerpt
        .as_deref()
        .or(evidence.path.as_deref())
        .unwrap_or("")
}

fn digest(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(VERSION);
    for part in parts {
        hasher.update([0]);
        hasher.update(part);
    }
    let digest = hasher.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Sets the fingerprint of every location of a finding of `rule`.
pub fn fingerprint_locations(rule: &str, evidence: &mut [Evidence]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for item in evidence.iter_mut() {
        let anchor = anchor(item).to_string();
        let rank = seen.entry(anchor.clone()).or_insert(0);
        item.fingerprint = digest(&[
            rule.as_bytes(),
            anchor.as_bytes(),
            rank.to_string().as_bytes(),
        ]);
        *rank += 1;
    }
}

/// The finding's fingerprint, from its rule and its locations' fingerprints (which must be
/// set), in any order.
pub fn fingerprint(rule: &str, evidence: &[Evidence]) -> String {
    let mut locations: Vec<&str> = evidence.iter().map(|e| e.fingerprint.as_str()).collect();
    locations.sort_unstable();
    let mut parts: Vec<&[u8]> = vec![rule.as_bytes()];
    parts.extend(locations.iter().map(|l| l.as_bytes()));
    digest(&parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fingerprinted(rule: &str, mut items: Vec<Evidence>) -> Vec<String> {
        fingerprint_locations(rule, &mut items);
        items.into_iter().map(|e| e.fingerprint).collect()
    }

    #[test]
    fn line_moves_and_renames_keep_a_content_location_fingerprint() {
        let here = fingerprinted(
            "data/nhs-number",
            vec![Evidence::at("data/x.csv", 3, "943 *** ****")],
        );
        let moved = fingerprinted(
            "data/nhs-number",
            vec![Evidence::at("data/x.csv", 90, "943 *** ****")],
        );
        let renamed = fingerprinted(
            "data/nhs-number",
            vec![Evidence::at("old/y.csv", 3, "943 *** ****")],
        );
        assert_eq!(here, moved);
        assert_eq!(here, renamed);
        let other_rule = fingerprinted(
            "data/postcode",
            vec![Evidence::at("data/x.csv", 3, "943 *** ****")],
        );
        assert_ne!(here, other_rule);
        let other_value = fingerprinted(
            "data/nhs-number",
            vec![Evidence::at("data/x.csv", 3, "401 *** ****")],
        );
        assert_ne!(here, other_value);
    }

    #[test]
    fn path_only_locations_are_named_by_their_path() {
        let a = fingerprinted("secrets/env-file", vec![Evidence::path(".env")]);
        let b = fingerprinted("secrets/env-file", vec![Evidence::path("app/.env")]);
        assert_ne!(a, b);
    }

    #[test]
    fn locations_sharing_an_anchor_are_told_apart_and_a_new_copy_is_new() {
        let one = fingerprinted("data/dob", vec![Evidence::at("a.csv", 1, "****-**-**")]);
        let two = fingerprinted(
            "data/dob",
            vec![
                Evidence::at("a.csv", 1, "****-**-**"),
                Evidence::at("b.csv", 1, "****-**-**"),
            ],
        );
        assert_eq!(two.len(), 2);
        assert_ne!(two[0], two[1]);
        assert_eq!(one[0], two[0], "the first copy keeps its fingerprint");
    }

    #[test]
    fn the_finding_fingerprint_ignores_location_order() {
        let mut a = vec![Evidence::path("x"), Evidence::path("y")];
        let mut b = vec![Evidence::path("y"), Evidence::path("x")];
        fingerprint_locations("r/a", &mut a);
        fingerprint_locations("r/a", &mut b);
        assert_eq!(fingerprint("r/a", &a), fingerprint("r/a", &b));
        assert_ne!(fingerprint("r/a", &a), fingerprint("r/b", &a));
        assert_eq!(fingerprint("r/a", &[]), fingerprint("r/a", &[]));
    }
}
