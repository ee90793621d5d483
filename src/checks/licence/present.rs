//! `licence/present`: a licence file for the whole repository, or, for an R package under a
//! licence R ships, the `License:` field of its DESCRIPTION. Kept apart from [`super::files`],
//! which only names licence files, so that naming files does not depend on reading metadata.

use super::files::find;
use crate::model::Verdict;
use crate::snapshot::Snapshot;

pub fn present(snapshot: &Snapshot) -> Verdict {
    let files = find(snapshot);
    if files.is_empty()
        && let Some(declared) = r_standard_licence(snapshot)
    {
        return Verdict::pass()
            .with_message("No licence file, but DESCRIPTION declares a licence R ships")
            .with_evidence([declared]);
    }
    let paths: Vec<&str> = files.iter().map(String::as_str).collect();
    Verdict::from_bool(!files.is_empty())
        .with_evidence(crate::checks::declarative::path_evidence(&paths))
}

/// An R package licensed under one of the licences R itself ships (`GPL (>= 2)`, `GPL-3`,
/// `LGPL-2.1`, `AGPL-3`, `Artistic-2.0`, `Apache License 2.0`, `CC0`, `CC BY 4.0`) needs no
/// licence file: CRAN's policy is that packages must not copy those texts, and the
/// `License:` field of DESCRIPTION is the grant. Licences that need the holder's own file
/// (`MIT + file LICENSE`, BSD) still need it.
fn r_standard_licence(snapshot: &Snapshot) -> Option<crate::model::Evidence> {
    let text = snapshot.text("DESCRIPTION")?;
    if !text.lines().any(|l| l.starts_with("Package:")) {
        return None;
    }
    let fact = super::declared::from_description("DESCRIPTION", &text)
        .into_iter()
        .next()?;
    let value = fact.excerpt.as_deref().unwrap_or_default();
    let needs_file = value.to_ascii_lowercase().contains("file licen");
    if fact.spdx == crate::model::facts::licence::NOASSERTION || fact.spdx == "NONE" || needs_file {
        return None;
    }
    Some(crate::model::Evidence {
        path: Some("DESCRIPTION".to_string()),
        line: fact.line.map(|l| l as u64),
        excerpt: Some(format!(
            "{value}: a licence R ships, which CRAN asks packages not to copy"
        )),
        ..crate::model::Evidence::default()
    })
}
