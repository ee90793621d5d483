//! Fingerprints name a finding across commits and runs: allow-lists, baselines and pull-request
//! mode all match findings by them, so they are built from what survives edits elsewhere in a
//! file (rule, path, masked excerpt) and never from line numbers.

use sha2::{Digest, Sha256};

use super::finding::Evidence;

/// Fingerprint from the parts of a finding that survive edits elsewhere in the file.
pub fn fingerprint(rule: &str, evidence: &[Evidence]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(rule.as_bytes());
    for item in evidence {
        hasher.update([0]);
        hasher.update(item.path.as_deref().unwrap_or("").as_bytes());
        hasher.update([1]);
        hasher.update(item.excerpt.as_deref().unwrap_or("").as_bytes());
    }
    let digest = hasher.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_ignores_line_numbers_but_not_paths() {
        let a = [Evidence::at("data/x.csv", 3, "943 *** ****")];
        let b = [Evidence::at("data/x.csv", 90, "943 *** ****")];
        let c = [Evidence::at("data/y.csv", 3, "943 *** ****")];
        assert_eq!(
            fingerprint("data/nhs-number", &a),
            fingerprint("data/nhs-number", &b)
        );
        assert_ne!(
            fingerprint("data/nhs-number", &a),
            fingerprint("data/nhs-number", &c)
        );
        assert_ne!(
            fingerprint("data/nhs-number", &a),
            fingerprint("data/postcode", &a)
        );
    }
}
