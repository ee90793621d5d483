//! Whether a value next to a telling key is a real credential: placeholders, environment
//! lookups, documentation examples and metadata are not.

use crate::checks::detection::Kind;

/// Key names that hold a secret's metadata, not the secret.
pub(super) const KEY_NOT_SECRET: &[&str] = &[
    "hash",
    "field",
    "prompt",
    "label",
    "placeholder",
    "file",
    "path",
    "url",
    "uri",
    "name",
    "_id",
    "type",
    "len",
    "min",
    "max",
    "regex",
    "pattern",
    "env",
    "var",
    "header",
    "param",
    "policy",
    "reset",
    "confirm",
    // A password field's interface: GOV.UK Frontend's `showPassword: 'Show'` label.
    "show",
    "hide",
    "toggle",
    "reveal",
    "visib",
    "forgot",
    "format",
    "example",
    "hint",
    "message",
    "msg",
    "text",
    "title",
    "error",
    "expir",
    "timeout",
    "count",
    "scope",
    "endpoint",
    "method",
    "valid",
    "required",
    "mode",
    "storage",
    "provider",
    "location",
    "dir",
    "column",
    "col",
    "input",
    "widget",
    "class",
    "style",
    "id_",
    "ttl",
    "lifetime",
    "rotation",
    "policy",
    "strength",
    "manager",
    "cache",
    "store",
    "source",
    "sink",
    "limit",
    "encoding",
    "tokenizer",
    "tokens",
];

/// True for values that stand in for a secret rather than being one.
pub fn is_placeholder(value: &str, key: &str) -> bool {
    let v = value.trim();
    if v.chars().count() < 3 {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    if lower == key.to_ascii_lowercase() {
        return true;
    }
    let first = v.as_bytes()[0];
    // `$VAR`, `<password>`, `@param`, `{{ var }}`, `%(pw)s`, `%PWD%`, YAML
    // tags (`!vault`) and aliases (`*default`).
    let second_alpha = v.as_bytes().get(1).is_some_and(u8::is_ascii_alphabetic);
    if matches!(first, b'$' | b'<' | b'@')
        || v.starts_with("{{")
        || v.starts_with("%(")
        || (first == b'%' && v.ends_with('%'))
        || (matches!(first, b'!' | b'*' | b'&') && second_alpha)
        || v == "%s"
    {
        return true;
    }
    if let Some(inner) = v.strip_prefix('{').and_then(|r| r.strip_suffix('}'))
        && inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    {
        return true;
    }
    let mut chars = v.chars();
    let c0 = chars.next().unwrap_or(' ');
    if v.chars().all(|c| c == c0)
        || v.chars()
            .all(|c| matches!(c, '*' | 'x' | 'X' | '.' | '-' | '#' | '_' | '•'))
    {
        return true;
    }
    // Constant names (`CLIENT_TRAFFIC_SECRET_0`, `GIT_STR_INIT`) and byte
    // escapes (`\x9b\xbe`) are code, not secrets.
    // Real keys (`sk_live_4f9a8b7c…`) look like identifiers too, but mix in many digits.
    let identifier = v.contains('_')
        && v.chars().filter(char::is_ascii_digit).count() <= 2
        && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && (v.chars().all(|c| !c.is_ascii_lowercase())
            || v.chars().all(|c| !c.is_ascii_uppercase()));
    if identifier || v.contains("\\x") || v.starts_with(['[', '(']) {
        return true;
    }
    const EXACT: &[&str] = &[
        "foo",
        "bar",
        "foobar",
        "hunter2",
        "letmein",
        "opensesame",
        "qwerty",
        "123456",
        "abc123",
        "password",
        "passwd",
        "pass",
        "pwd",
        "secret",
        "changeme",
        "change_me",
        "changeit",
        "change-me",
        "test",
        "testing",
        "none",
        "null",
        "nil",
        "undefined",
        "todo",
        "tbd",
        "fixme",
        "true",
        "false",
        "token",
        "apikey",
        "api_key",
        "required",
        "optional",
        "string",
        "str",
        "default",
        "admin",
        "redacted",
        "removed",
        "hidden",
        "masked",
        "empty",
        "unset",
        "secret_key",
        "n/a",
        "na",
    ];
    if EXACT.contains(&lower.as_str()) {
        return true;
    }
    const CONTAINS: &[&str] = &[
        "secret",
        "passw",
        "test",
        "demo",
        "your",
        "example",
        "placeholder",
        "changeme",
        "change_me",
        "replace",
        "insert",
        "xxxx",
        "dummy",
        "fake",
        "mock",
        "redacted",
        "****",
        "environ",
        "getenv",
        "process.env",
        "sys.getenv",
        "secrets.",
        "vault",
        "keyring",
        "my_password",
        "mypassword",
        "password_here",
        "_here",
        "sample",
        "<",
        ">",
        "{{",
        "}}",
        "${",
    ];
    CONTAINS.iter().any(|c| lower.contains(c))
}

pub(super) fn key_is_metadata(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    KEY_NOT_SECRET.iter().any(|m| k.contains(m)) || names_a_holder(key)
}

/// Roles and people named after what they may read: `kvSecretsUser` and `kvSecretsOfficer`
/// (Azure's Key Vault roles, whose ids are public GUIDs), `token_owner`: a secret word followed
/// by a holder as the key's last two words. `user_password` and `api_token_for_user` still
/// hold secrets.
fn names_a_holder(key: &str) -> bool {
    const HOLDERS: &[&str] = &[
        "user",
        "users",
        "officer",
        "officers",
        "owner",
        "owners",
        "reader",
        "readers",
        "role",
        "roles",
        "contributor",
        "administrator",
        "group",
        "principal",
    ];
    // `kvSecretsUser` and `SECRET_OWNER` alike as `kv_secrets_user`, `secret_owner`.
    let mut snake = String::with_capacity(key.len() + 4);
    let mut previous_lower = false;
    for c in key.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            snake.push('_');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        snake.push(if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '_'
        });
    }
    const SECRETS: &[&str] = &[
        "secret",
        "secrets",
        "token",
        "tokens",
        "key",
        "keys",
        "password",
        "passwords",
        "credential",
        "credentials",
    ];
    let mut words = snake.rsplit('_').filter(|w| !w.is_empty());
    let (Some(last), Some(before)) = (words.next(), words.next()) else {
        return false;
    };
    HOLDERS.contains(&last) && SECRETS.contains(&before)
}

pub(super) fn key_kind(key: &str) -> Kind {
    let k = key.to_ascii_lowercase();
    if k.contains("pass") || k.contains("pwd") {
        Kind::Password
    } else {
        Kind::Token
    }
}

/// Token-like values are long, contain letters and digits, and no spaces; a
/// `token = "EOF"` in a parser is not a credential.
pub(super) fn looks_random(v: &str) -> bool {
    v.len() >= 16
        && !v.contains(char::is_whitespace)
        && v.chars().any(|c| c.is_ascii_digit())
        && v.chars().any(|c| c.is_ascii_alphabetic())
        && !v.starts_with("http")
        && !v.contains('/')
}

pub(super) fn plausible_password(v: &str) -> bool {
    !v.contains(char::is_whitespace)
        && !v.starts_with('/')
        && !v.starts_with('~')
        && !v.starts_with("./")
        && !v.starts_with("http")
        && !v.contains(":\\")
        && !v.contains("()")
}

pub(super) fn short_key(key: &str) -> String {
    key.chars().take(40).collect()
}
