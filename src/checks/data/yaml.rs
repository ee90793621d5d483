//! YAML documents turned into the JSON value model, so YAML records are read
//! by the same record flattening as JSON (`records.rs`).
//!
//! Built from saphyr's event parser rather than a YAML-to-serde crate because
//! a scanner must survive hostile files: nesting deeper than [`MAX_DEPTH`] is
//! skipped, at most [`MAX_NODES`] values are kept, and aliases are never
//! expanded (so "billion laughs" documents stay small). Scalars stay text as
//! written, so `0123456789` keeps its leading zero and `NO` stays a string.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::checks::json::Json;

/// Collections nested deeper than this are skipped whole.
const MAX_DEPTH: usize = 32;
/// Values kept from one file; the rest of the stream is not read.
pub(super) const MAX_NODES: usize = 1_000_000;

type Members<'a> = Vec<(Cow<'a, str>, Json<'a>)>;

enum Frame<'a> {
    Seq(Vec<Json<'a>>),
    /// A mapping and the key waiting for its value.
    Map(Members<'a>, Option<Cow<'a, str>>),
}

/// Appends a finished value to the open collection, or to the documents.
fn attach<'a>(stack: &mut [Frame<'a>], docs: &mut Vec<Json<'a>>, value: Json<'a>) {
    match stack.last_mut() {
        None => docs.push(value),
        Some(Frame::Seq(items)) => items.push(value),
        Some(Frame::Map(map, pending)) => match pending.take() {
            Some(key) => map.push((key, value)),
            // A mapping or sequence used as a key has no column name.
            None => {
                *pending = Some(match value {
                    Json::String(s) => s,
                    _ => Cow::Borrowed("?"),
                })
            }
        },
    }
}

/// The documents of a YAML stream, as far as they parse: a syntax error ends
/// the stream but keeps the documents completed before it.
pub(super) fn yaml_documents(text: &str) -> Vec<Json<'_>> {
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut skipping = 0usize;
    let mut nodes = 0usize;
    for event in Parser::new_from_str(text) {
        let Ok((event, _)) = event else {
            log::debug!("YAML stopped at a syntax error");
            break;
        };
        if skipping > 0 {
            match event {
                Event::SequenceStart(..) | Event::MappingStart(..) => skipping += 1,
                Event::SequenceEnd | Event::MappingEnd => skipping -= 1,
                _ => {}
            }
            continue;
        }
        nodes += 1;
        if nodes > MAX_NODES {
            break;
        }
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) if stack.len() >= MAX_DEPTH => {
                skipping = 1;
                // Keep the mapping's key/value pairing in step.
                attach(&mut stack, &mut docs, Json::Null);
            }
            Event::SequenceStart(..) => stack.push(Frame::Seq(Vec::new())),
            Event::MappingStart(..) => stack.push(Frame::Map(Vec::new(), None)),
            Event::SequenceEnd | Event::MappingEnd => {
                let value = match stack.pop() {
                    Some(Frame::Seq(items)) => Json::Array(items),
                    // Sorted, the last of duplicate keys kept, as JSON objects are read.
                    Some(Frame::Map(map, _)) => Json::object(map),
                    None => continue,
                };
                attach(&mut stack, &mut docs, value);
            }
            Event::Scalar(text, style, ..) => {
                let null = style == ScalarStyle::Plain && matches!(&*text, "" | "~" | "null");
                let value = if null { Json::Null } else { Json::String(text) };
                attach(&mut stack, &mut docs, value);
            }
            // Never expanded: an alias repeats data already read.
            Event::Alias(_) => attach(&mut stack, &mut docs, Json::Null),
            _ => {}
        }
    }
    docs
}

/// One value for the record walk: a single document as it is, several
/// documents (`---` separated records) as an array of them.
pub(super) fn yaml_value(text: &str) -> Json<'_> {
    let mut docs = yaml_documents(text);
    if docs.len() == 1 {
        docs.pop().unwrap_or(Json::Null)
    } else {
        Json::Array(docs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn yaml_value(text: &str) -> Value {
        super::yaml_value(text).to_value()
    }

    #[test]
    fn records_keep_scalars_as_written() {
        let v = yaml_value(
            "patients:\n  - nhs_number: 4010232137\n    code: 0123\n    flag: NO\n  - nhs_number: \"4505577104\"\n    note: ~\n",
        );
        assert_eq!(v["patients"][0]["nhs_number"], "4010232137");
        assert_eq!(v["patients"][0]["code"], "0123");
        assert_eq!(v["patients"][0]["flag"], "NO");
        assert_eq!(v["patients"][1]["note"], Value::Null);
    }

    #[test]
    fn several_documents_are_an_array() {
        let v = yaml_value("---\na: 1\n---\na: 2\n");
        assert_eq!(v, serde_json::json!([{"a": "1"}, {"a": "2"}]));
    }

    #[test]
    fn hostile_documents_are_bounded() {
        let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        let _ = yaml_value(&deep);
        let deep_maps = format!("{}x", "a:\n ".repeat(2_000));
        let _ = yaml_value(&deep_maps);
        // Aliases are not expanded.
        let laughs = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b]\n";
        let v = yaml_value(laughs);
        assert_eq!(v["c"].as_array().map(Vec::len), Some(8));
        assert_eq!(v["c"][0], Value::Null);
        for bad in ["a: [", "{a: b", ": : :", "- - - -\n  ?", "\t\u{0}", "&a *a"] {
            let _ = yaml_value(bad);
        }
        // Key / value pairing survives a skipped deep value.
        let mut text = String::from("k: ");
        text.push_str(&"[".repeat(MAX_DEPTH + 2));
        text.push_str(&"]".repeat(MAX_DEPTH + 2));
        text.push_str("\nafter: yes\n");
        let v = yaml_value(&text);
        assert_eq!(v["after"], "yes", "{v}");
    }
}
