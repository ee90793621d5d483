//! A JSON document read to be walked once. The data scan reads every committed JSON, NDJSON and
//! YAML record file and every notebook; `serde_json::Value` copies each string and builds a
//! B-tree per object, which made parsing the largest part of reading them (docs/performance.md).
//! This tree borrows strings from the input where it can and keeps each object's members in one
//! sorted vector, with the same meaning as `Value`: members in key order, the last of duplicate
//! keys wins, and numbers print as `Value` prints them.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    /// Members sorted by key, one per key.
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

impl<'a> Json<'a> {
    /// Parses a whole document; trailing non-whitespace is an error, as for `serde_json`.
    pub fn parse(bytes: &'a [u8]) -> Result<Json<'a>, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// An object's members in the order `Value` would give them: sorted by key, the last of
    /// duplicates kept.
    pub fn object(mut members: Vec<(Cow<'a, str>, Json<'a>)>) -> Json<'a> {
        members.sort_by(|a, b| a.0.cmp(&b.0));
        members.dedup_by(|later, kept| {
            if later.0 == kept.0 {
                std::mem::swap(later, kept);
                true
            } else {
                false
            }
        });
        Json::Object(members)
    }

    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(members) => members
                .binary_search_by(|(k, _)| k.as_ref().cmp(key))
                .ok()
                .map(|i| &members[i].1),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json<'a>]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Json::Object(_))
    }

    pub fn is_array(&self) -> bool {
        matches!(self, Json::Array(_))
    }

    /// A string's text, or the concatenation of an array's strings (notebooks split long text
    /// into lines that way); empty for anything else.
    pub fn joined_text(&self) -> Cow<'_, str> {
        match self {
            Json::String(text) => Cow::Borrowed(text.as_ref()),
            Json::Array(parts) => Cow::Owned(parts.iter().filter_map(Json::as_str).collect()),
            _ => Cow::Borrowed(""),
        }
    }
}

/// An object key, borrowed from the input when it holds no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Key<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Json<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // As `Value` does: a float JSON cannot hold becomes null.
        Ok(serde_json::Number::from_f64(v).map_or(Json::Null, Json::Number))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Json::String(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Json::String(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Json::String(Cow::Owned(v)))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Json::Null)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        Deserialize::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::new();
        while let Some(Key(key)) = map.next_key()? {
            members.push((key, map.next_value()?));
        }
        Ok(Json::object(members))
    }
}

#[cfg(test)]
impl Json<'_> {
    /// The same document as a `Value`, for tests that compare with `serde_json` or index it.
    pub fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Number(n.clone()),
            Json::String(s) => Value::String(s.to_string()),
            Json::Array(items) => Value::Array(items.iter().map(Json::to_value).collect()),
            Json::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_value()))
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn as_value(json: &Json) -> Value {
        json.to_value()
    }

    #[test]
    fn reads_documents_as_value_does() {
        let documents = [
            r#"{"b": 1, "a": [true, null, 2.5, -3, 18446744073709551615], "c": {"z": "x\"y", "y": ""}}"#,
            r#"[{"k": 1, "k": 2, "j": 0}, "caf\u00e9", 1e300, 0.1, -0.0, 12.50]"#,
            r#"  "text"  "#,
            "[1e400]",
            r#"{"nested": {"deeper": {"deepest": ["\ud83d\ude00"]}}}"#,
        ];
        for text in documents {
            let ours = Json::parse(text.as_bytes());
            let theirs = serde_json::from_str::<Value>(text);
            match (ours, theirs) {
                (Ok(ours), Ok(theirs)) => {
                    assert_eq!(as_value(&ours), theirs, "{text}");
                    // Key order and number printing, which the report's column names depend on.
                    assert_eq!(as_value(&ours).to_string(), theirs.to_string(), "{text}");
                }
                (Err(_), Err(_)) => {}
                (ours, theirs) => panic!("{text}: {ours:?} against {theirs:?}"),
            }
        }
    }

    #[test]
    fn the_last_duplicate_key_wins_and_members_are_sorted() {
        let json = Json::parse(br#"{"b": 1, "a": 2, "b": 3}"#).unwrap();
        let Json::Object(members) = &json else {
            panic!("{json:?}")
        };
        let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(json.get("b"), Some(&Json::Number(3.into())));
        assert_eq!(json.get("c"), None);
    }

    #[test]
    fn bad_and_hostile_input_is_an_error_not_a_crash() {
        for text in ["", "{", "[1,]", "{\"a\" 1}", "1 2", "nul"] {
            assert!(Json::parse(text.as_bytes()).is_err(), "{text}");
        }
        let deep = "[".repeat(100_000);
        assert!(Json::parse(deep.as_bytes()).is_err());
    }

    #[test]
    fn plain_strings_are_borrowed() {
        let json = Json::parse(br#"{"name": "plain", "escaped": "a\nb"}"#).unwrap();
        assert!(matches!(
            json.get("name"),
            Some(Json::String(Cow::Borrowed("plain")))
        ));
        assert!(matches!(
            json.get("escaped"),
            Some(Json::String(Cow::Owned(_)))
        ));
    }
}
