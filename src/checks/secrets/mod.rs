//! Credentials and internal infrastructure names in code, config and docs.
//!
//! Secret scanners are only useful when people trust them, so every detector
//! here prefers precision: it needs a telling key or a well-known token shape,
//! and it drops placeholders (`${DB_PASSWORD}`, `<password>`, `changeme`,
//! `os.environ[...]`, `***`) and documentation examples (`AKIA…EXAMPLE`).
//! Lines reach these regexes only after a cheap trigger (see `prose.rs`).

mod env;
mod hosts;
mod line;
mod patterns;
mod values;

pub use env::{env_file_detection, is_env_file};
pub use line::{SecretSink, scan_line};
pub use values::is_placeholder;

/// Lower-case literals that any secret line must contain. They are searched
/// in an ASCII-lowercased copy of each chunk: a plain literal set lets the
/// regex engine use its SIMD search, which `(?i)` over this many words would
/// defeat (measured about twice as slow).
pub const TRIGGER_LITERALS: &[&str] = &[
    "pass",
    "pwd",
    "secret",
    "token",
    "server",
    "host",
    "api_key",
    "apikey",
    "api-key",
    "access_key",
    "accountkey",
    "://",
    "-----begin",
    "akia",
    "asia",
    "ghp_",
    "gho_",
    "ghs_",
    "github_pat_",
    "xox",
    "aiza",
    "data source",
    r"\\",
];

#[cfg(test)]
mod tests {
    use super::env::*;

    use super::line::*;

    use crate::checks::detection::{Detection, Kind, Strength};
    use crate::checks::paths::is_test_or_example as is_test_path;

    fn scan(line: &str, config: bool) -> Vec<Detection> {
        let mut sink = SecretSink::default();
        scan_line("f", line, 1, b"", config, &mut sink);
        sink.detections
    }

    fn kinds(line: &str, config: bool) -> Vec<Kind> {
        scan(line, config).iter().map(|d| d.kind).collect()
    }

    #[test]
    fn connection_strings() {
        let l = r#"conn = "Driver={ODBC Driver 17 for SQL Server};Server=tcp:db.example.com;Database=x;Uid=u;Pwd=S3cretPass!;""#;
        assert_eq!(kinds(l, false), vec![Kind::ConnectionString]);
        let l = r#"conn = "Server=myServerAddress;Database=x;User Id=u;Password=<password>;""#;
        assert!(kinds(l, false).is_empty());
        let l = r#"conn = f"Server=sql01.corp;Database=x;Password={password};""#;
        assert_eq!(kinds(l, false), vec![Kind::InternalHost]);
        let l = r#"Server=SQLPROD01\LIVE;Trusted_Connection=yes;"#;
        assert_eq!(kinds(l, false), vec![Kind::InternalHost]);
        let l = "jdbc:sqlserver://host:1433;databaseName=x;user=u;password=Tr0ub4dor3;";
        assert_eq!(kinds(l, false), vec![Kind::ConnectionString]);
    }

    #[test]
    fn urls_and_tokens() {
        assert_eq!(
            kinds("DATABASE_URL = 'postgres://app:s3cr3tpw@db.host/x'", false),
            vec![Kind::UrlCredentials]
        );
        assert!(kinds("postgres://user:password@localhost/db", false).is_empty());
        assert!(kinds("postgres://user:${PGPASSWORD}@localhost/db", false).is_empty());
        assert_eq!(
            kinds("key = AKIAABCDEFGHIJKLMNOP", false),
            vec![Kind::Token]
        );
        assert!(kinds("key = AKIAIOSFODNN7EXAMPLE", false).is_empty());
        assert_eq!(
            kinds("t = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'", false),
            vec![Kind::Token]
        );
        assert_eq!(
            kinds("SLACK=xoxb-1234567890-abcdefghij", false),
            vec![Kind::Token]
        );
    }

    #[test]
    fn passwords() {
        assert_eq!(
            kinds(r#"password = "hunter2!x""#, false),
            vec![Kind::Password]
        );
        assert_eq!(
            kinds(r#"db_pwd <- 'Tr0ub4dor&3'"#, false),
            vec![Kind::Password]
        );
        assert_eq!(
            kinds(r#"{"password": "Tr0ub4dor3"}"#, false),
            vec![Kind::Password]
        );
        for l in [
            r#"password = "changeme""#,
            r#"password = "<password>""#,
            r#"password = "${DB_PASSWORD}""#,
            r#"password = os.environ["DB_PASSWORD"]"#,
            r#"password = "xxx""#,
            r#"password = "***""#,
            r#"password_prompt = "Enter your password:""#,
            r#"if password == "abc123""#,
            r#"token = "EOF""#,
            r#"pwd = "/home/user/project""#,
        ] {
            assert!(kinds(l, false).is_empty(), "{l}");
        }
        assert_eq!(kinds("DB_PASSWORD=Tr0ub4dor3", true), vec![Kind::Password]);
        assert!(kinds("DB_PASSWORD=${SECRET}", true).is_empty());
        assert!(kinds("DB_PASSWORD=Tr0ub4dor3", false).is_empty());
    }

    #[test]
    fn private_keys_and_unc() {
        let mut sink = SecretSink::default();
        scan_line(
            "k",
            "-----BEGIN RSA PRIVATE KEY-----",
            1,
            b"\nMIIEowIBAAKCAQEAx1y2z3abcdefgh\n",
            false,
            &mut sink,
        );
        assert_eq!(sink.detections.len(), 1);
        let mut sink = SecretSink::default();
        scan_line(
            "k",
            "-----BEGIN PRIVATE KEY-----",
            1,
            b"\n...\n-----END",
            false,
            &mut sink,
        );
        assert!(sink.detections.is_empty());
        assert_eq!(
            kinds(r#"path <- "\\\\nhsfs01\\analytics\\data.csv""#, false),
            vec![Kind::InternalHost]
        );
        assert_eq!(
            kinds(r"copy \\fileserver02\share\x", false),
            vec![Kind::InternalHost]
        );
        assert!(kinds(r#"print("a\\nb")"#, false).is_empty());
    }

    #[test]
    fn code_that_only_looks_like_secrets() {
        for l in [
            r#"let msg = format!("Failed to open \\Device\\Afd\\Mio");"#,
            r#"filters.add("\\bhello\\b", "[NAME]");"#,
            r#"    password = GIT_STR_INIT, host = GIT_STR_INIT,"#,
            r#"ClientApplicationTrafficSecret = "CLIENT_TRAFFIC_SECRET_0""#,
            r#"let secret = b"\x9b\xbe\x43\x6b\xa9\x40\xf0\x17";"#,
            r#"json!({"password": "secret123"}),"#,
            r#"/// .all("https://Aladdin:opensesame@localhost:8887")"#,
            r#"u = "ftp://rms:s3cr3tpass@ftp.example.com/""#,
            r#"",host=x64""#,
            r#""1.2.840.113554.4.1.72585.2 = \\U2603\n""#,
            r#"b"\"\\xff\xef\xbf\xbd\\xff\"".as_bstr(),"#,
        ] {
            assert!(kinds(l, false).is_empty(), "{l}");
        }
        assert_eq!(
            kinds(
                r#"Win32_System_PasswordManagement = ["Win32_System"]"#,
                true
            ),
            vec![]
        );
    }

    #[test]
    fn test_paths_downgrade_to_weak() {
        let mut sink = SecretSink::default();
        scan_line(
            "tests/fixtures/conf.py",
            r#"password = "Tr0ub4dor3""#,
            1,
            b"",
            false,
            &mut sink,
        );
        assert_eq!(sink.detections[0].strength, Strength::Weak);
        assert!(is_test_path("src/db_test.go"));
        assert!(is_test_path("app/__tests__/x.js"));
        assert!(!is_test_path("src/contest/app.py"));
        assert!(!is_test_path("src/latest.py"));
    }

    /// Azure's built-in role ids under role names that say "Secrets" (lung_cancer_screening's
    /// Bicep), and a WireMock stub's mock tokens (dtos-cohort-manager), are no credentials; a
    /// secret whose key names a user in the middle still is.
    #[test]
    fn role_names_and_mock_values_are_not_secrets() {
        for line in [
            "  kvSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'",
            "  kvSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'",
            r#""secret_owner": "a81bc81b-dead-4e5d-abff-90865d1e13b1""#,
            r#""access_token": "MockAccessToken-123""#,
            r#""refresh_token": "MockRefreshToken-123""#,
            // GOV.UK Frontend's password input labels, bundled into an application's script.
            "            showPassword: 'Show',",
            "            hidePassword: 'Hide',",
            "  togglePasswordVisibility: 'Toggle42'",
        ] {
            assert!(kinds(line, true).is_empty(), "{line}");
        }
        assert_eq!(
            kinds(
                "  kvSecretsValue: '4633458b-17de-408a-b874-0445c86b69e6'",
                true
            ),
            vec![Kind::Token]
        );
        assert_eq!(
            kinds(r#"user_password = "Tr0ub4dor3x""#, false),
            vec![Kind::Password]
        );
        assert_eq!(
            kinds(
                r#"api_token_for_user = "a81bc81b9ead4e5dabff90865d1e13b1""#,
                true
            ),
            vec![Kind::Token]
        );
    }

    #[test]
    fn env_files() {
        assert!(is_env_file(".env"));
        assert!(is_env_file("app/.env.production"));
        assert!(!is_env_file(".env.example"));
        assert!(!is_env_file("env.py"));
        let d = env_file_detection(".env", "A=1\n# c\nB=${X}\n");
        assert_eq!((d.strength, d.count), (Strength::Strong, 1));
        let d = env_file_detection(".env", "A=\nB=<changeme>\n");
        assert_eq!(d.strength, Strength::Weak);
        let d = env_file_detection(".env", "API_KEY=sk_live_4f9a8b7c6d5e4f3a2b1c\n");
        assert_eq!(
            d.strength,
            Strength::Strong,
            "a key with many digits is a value"
        );
    }
}
