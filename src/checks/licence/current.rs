//! Current SPDX ids for deprecated ones.
//!
//! A report must never name a deprecated SPDX id when the list has its replacement: tools that
//! read our JSON (and SPDX validators) reject `GPL-2.0+` or `BSD-2-Clause-FreeBSD`, and a
//! reviewer comparing two declarations must not see one licence under two names. Deprecated ids
//! reach us from everywhere: licensee-style metadata (`"license": "GPL-3.0"`), old
//! `SPDX-License-Identifier: GPL-2.0+` headers, R and Python manifests, README links to
//! `opensource.org/licenses/GPL-2.0`, and the `spdx` crate's own store, which keeps texts under
//! deprecated names. Every producer of an id passes it through here.
//!
//! The `spdx` crate knows which ids are deprecated but not what replaced them. The GNU ones
//! follow a rule (the bare id meant "only", `+` meant "or later"; SPDX list 3.0), so they are
//! derived from the crate's data. The rest come from the SPDX list's deprecation notes, as the
//! table [`REPLACED`] below. `Net-SNMP` has no replacement (its notes ask for an expression of
//! the nine licences it stood for, which the id cannot tell), so it is kept as written.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

/// Deprecated ids that are not GNU "bare" ids, and their replacements, from the SPDX list's
/// notes. Where the list says only "use an expression with WITH", the licence is the bare
/// GNU id the deprecated one was named after, which SPDX defines as "only"; eCos and
/// wxWindows name "or (at your option) any later version" in their own texts.
const REPLACED: &[(&str, &str)] = &[
    ("BSD-2-Clause-FreeBSD", "BSD-2-Clause-Views"),
    ("BSD-2-Clause-NetBSD", "BSD-2-Clause"),
    ("bzip2-1.0.5", "bzip2-1.0.6"),
    ("eCos-2.0", "GPL-2.0-or-later WITH eCos-exception-2.0"),
    ("Nunit", "zlib-acknowledgement"),
    ("StandardML-NJ", "SMLNJ"),
    (
        "wxWindows",
        "LGPL-2.0-or-later WITH WxWindows-exception-3.1",
    ),
    (
        "GPL-2.0-with-autoconf-exception",
        "GPL-2.0-only WITH Autoconf-exception-2.0",
    ),
    (
        "GPL-2.0-with-bison-exception",
        "GPL-2.0-only WITH Bison-exception-2.2",
    ),
    (
        "GPL-2.0-with-classpath-exception",
        "GPL-2.0-only WITH Classpath-exception-2.0",
    ),
    (
        "GPL-2.0-with-font-exception",
        "GPL-2.0-only WITH Font-exception-2.0",
    ),
    (
        "GPL-2.0-with-GCC-exception",
        "GPL-2.0-only WITH GCC-exception-2.0",
    ),
    (
        "GPL-3.0-with-autoconf-exception",
        "GPL-3.0-only WITH Autoconf-exception-3.0",
    ),
    (
        "GPL-3.0-with-GCC-exception",
        "GPL-3.0-only WITH GCC-exception-3.1",
    ),
    // An exception, which only follows WITH.
    ("Nokia-Qt-exception-1.1", "Qt-LGPL-exception-1.1"),
];

/// Deprecated ids with no single replacement; reported as written.
pub(super) const NO_REPLACEMENT: &[&str] = &["Net-SNMP"];

/// The current id or expression for one id as written, `+` included (`GPL-2.0+`,
/// `BSD-2-Clause-FreeBSD`); `None` when it is current already or unknown.
pub(super) fn replacement(token: &str) -> Option<Cow<'static, str>> {
    let later = token.ends_with('+');
    let bare = token.trim_end_matches('+');
    if NO_REPLACEMENT.contains(&bare) {
        return None;
    }
    if let Some((_, to)) = REPLACED.iter().find(|(from, _)| *from == bare) {
        return Some(Cow::Borrowed(to));
    }
    let id = spdx::license_id(bare)?;
    // GNU licences say "or later" with a suffix, never `+` (which SPDX deprecated for them), and
    // their bare ids meant "only". `Apache-2.0+` is valid SPDX and stays.
    if id.is_gnu() && (later || id.is_deprecated()) {
        let suffix = if later { "-or-later" } else { "-only" };
        let base = bare
            .strip_suffix("-only")
            .or_else(|| bare.strip_suffix("-or-later"))
            .unwrap_or(bare);
        let current = format!("{base}{suffix}");
        if spdx::license_id(&current).is_some_and(|l| !l.is_deprecated()) {
            return Some(Cow::Owned(current));
        }
    }
    None
}

/// `id` as a current SPDX id or expression (see [`replacement`]).
pub(super) fn current_id(id: &str) -> String {
    replacement(id).map_or_else(|| id.to_owned(), Cow::into_owned)
}

/// Every id in an SPDX expression (`GPL-2.0+ OR MIT`, `GPL-2.0 WITH Classpath-exception-2.0`)
/// replaced by its current form. Operators, inner parentheses and unknown tokens are kept. A
/// deprecated GNU id followed by `WITH` keeps its own exception, so `GPL-2.0 WITH X` becomes
/// `GPL-2.0-only WITH X`. Brackets around the whole expression are dropped: npm writes
/// `(MIT OR Apache-2.0)` where Cargo writes `MIT OR Apache-2.0`, and one choice must not be
/// reported as two values to whoever groups reports by licence.
pub(super) fn current_expression(expr: &str) -> String {
    static TOKEN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[A-Za-z0-9][A-Za-z0-9.\-]*\+?").expect("regex"));
    TOKEN
        .replace_all(without_outer_brackets(expr), |c: &Captures<'_>| {
            let token = &c[0];
            match token.to_ascii_uppercase().as_str() {
                "AND" | "OR" | "WITH" => token.to_owned(),
                _ => current_id(token),
            }
        })
        .into_owned()
}

/// `expr` without brackets that enclose all of it (`((MIT OR X))` → `MIT OR X`); brackets that
/// group only part (`(A OR B) AND C`) stay.
fn without_outer_brackets(expr: &str) -> &str {
    let mut t = expr.trim();
    while let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        // The first bracket must close at the very end, not earlier: `(A) AND (B)`.
        let mut depth = 0i32;
        let encloses = inner.chars().all(|c| {
            depth += match c {
                '(' => 1,
                ')' => -1,
                _ => 0,
            };
            depth >= 0
        });
        if !encloses || depth != 0 {
            break;
        }
        t = inner.trim();
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The expression parses strictly (no deprecated, no imprecise ids) and names none of the
    /// ids SPDX deprecated.
    fn is_current(expr: &str) -> bool {
        spdx::Expression::parse(expr).is_ok()
    }

    #[test]
    fn named_replacements() {
        for (old, new) in [
            ("GPL-2.0", "GPL-2.0-only"),
            ("GPL-2.0+", "GPL-2.0-or-later"),
            ("GPL-3.0", "GPL-3.0-only"),
            ("GPL-3.0+", "GPL-3.0-or-later"),
            ("LGPL-2.1", "LGPL-2.1-only"),
            ("LGPL-2.1+", "LGPL-2.1-or-later"),
            ("LGPL-3.0+", "LGPL-3.0-or-later"),
            ("AGPL-3.0", "AGPL-3.0-only"),
            ("AGPL-1.0", "AGPL-1.0-only"),
            ("GFDL-1.3", "GFDL-1.3-only"),
            ("BSD-2-Clause-FreeBSD", "BSD-2-Clause-Views"),
            ("BSD-2-Clause-NetBSD", "BSD-2-Clause"),
            ("StandardML-NJ", "SMLNJ"),
            ("Nunit", "zlib-acknowledgement"),
            (
                "GPL-2.0-with-classpath-exception",
                "GPL-2.0-only WITH Classpath-exception-2.0",
            ),
            ("MIT", "MIT"),
            ("Apache-2.0+", "Apache-2.0+"),
            ("GPL-3.0-or-later", "GPL-3.0-or-later"),
            ("LicenseRef-Crown", "LicenseRef-Crown"),
        ] {
            assert_eq!(current_id(old), new, "{old}");
        }
    }

    #[test]
    fn expressions() {
        assert_eq!(
            current_expression("GPL-2.0+ OR MIT"),
            "GPL-2.0-or-later OR MIT"
        );
        assert_eq!(
            current_expression("(LGPL-2.1 AND BSD-2-Clause-FreeBSD) or Apache-2.0"),
            "(LGPL-2.1-only AND BSD-2-Clause-Views) or Apache-2.0"
        );
        assert_eq!(
            current_expression("(MIT OR Apache-2.0)"),
            "MIT OR Apache-2.0"
        );
        assert_eq!(
            current_expression(" ((GPL-2.0 OR MIT)) "),
            "GPL-2.0-only OR MIT"
        );
        assert_eq!(
            current_expression("(MIT OR ISC) AND (Apache-2.0 OR Zlib)"),
            "(MIT OR ISC) AND (Apache-2.0 OR Zlib)"
        );
        assert_eq!(current_expression("(MIT"), "(MIT");
        assert_eq!(
            current_expression("GPL-2.0 WITH Classpath-exception-2.0"),
            "GPL-2.0-only WITH Classpath-exception-2.0"
        );
        assert_eq!(
            current_expression("LGPL-2.1-only WITH Nokia-Qt-exception-1.1"),
            "LGPL-2.1-only WITH Qt-LGPL-exception-1.1"
        );
    }

    /// Every deprecated licence and exception in the crate's list (not a hand-picked few)
    /// has a current replacement that parses strictly, except the documented
    /// [`NO_REPLACEMENT`].
    #[test]
    fn every_deprecated_id_has_a_current_replacement() {
        let mut checked = 0;
        for l in spdx::identifiers::LICENSES.iter() {
            let id = spdx::license_id(l.name).expect("listed id");
            if !id.is_deprecated() || NO_REPLACEMENT.contains(&l.name) {
                continue;
            }
            let current = current_id(l.name);
            assert!(is_current(&current), "{} -> {current}", l.name);
            checked += 1;
            if id.is_gnu() {
                let later = current_id(&format!("{}+", l.name.trim_end_matches('+')));
                assert!(is_current(&later), "{}+ -> {later}", l.name);
            }
        }
        for e in spdx::identifiers::EXCEPTIONS.iter() {
            let exc = spdx::exception_id(e.name).expect("listed exception");
            if !exc.is_deprecated() {
                continue;
            }
            let expr = current_expression(&format!("LGPL-2.1-only WITH {}", e.name));
            assert!(is_current(&expr), "{} -> {expr}", e.name);
            checked += 1;
        }
        // spdx 0.13 lists 32 deprecated licences and 1 exception; fewer means the check
        // went wrong, more is a newer list that this test covers too.
        assert!(checked >= 30, "only {checked} deprecated ids checked");
    }
}
