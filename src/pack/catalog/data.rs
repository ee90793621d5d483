//! The sensitive-data and secrets analyzers (see docs/data.md). The repository's data scan
//! runs once for all of them, so their scan limits are shared: the largest value any enabled
//! rule sets is used.

use super::{AnalyzerSpec, ParamDefault, ParamSpec, ParamType};

/// The scan limits every data and secrets analyzer accepts.
const SCAN: &[ParamSpec] = &[
    ParamSpec::new("max_rows", ParamType::Count, ParamDefault::Unset).shared(),
    ParamSpec::new("max_bytes", ParamType::Count, ParamDefault::Unset).shared(),
    ParamSpec::new(
        "small_number_threshold",
        ParamType::Count,
        ParamDefault::Unset,
    )
    .shared(),
];

pub(super) const ANALYZERS: &[AnalyzerSpec] = &[
    AnalyzerSpec::new(
        "data-nhs-number",
        "NHS numbers (Modulus 11 check digit) judged per column, or several beside patient-like names; the 999 test range is credited as synthetic",
        SCAN,
    ),
    AnalyzerSpec::new(
        "data-chi-number",
        "Scottish CHI numbers (DDMMYY date prefix and check digit) in patient-like columns",
        SCAN,
    ),
    AnalyzerSpec::new(
        "data-quasi-identifiers",
        "postcodes (ZZ99 credited), dates of birth, names, NI numbers, emails and phones by header context; strong when combined in one table",
        SCAN,
    ),
    AnalyzerSpec::new(
        "data-small-numbers",
        "unsuppressed counts from 1 to `small_number_threshold` (default 7) in aggregate tables with a geography or organisation column; an alarm when the column counts people or activity in a data file, otherwise listed",
        SCAN,
    ),
    AnalyzerSpec::new(
        "data-inventory",
        "lists data files (csv, tsv, xlsx, ods, parquet, sav, dta, sqlite, json …) with size, kind and whether they were parsed; always passes",
        SCAN,
    ),
    AnalyzerSpec::new(
        "data-notebook-outputs",
        "notebooks committed with outputs (needs-review); the outputs are scanned by the data detectors",
        SCAN,
    ),
    AnalyzerSpec::new(
        "data-free-text",
        "free-text columns in data files (notes, comments, reason … or long, varied text) (needs-review); never an error",
        SCAN,
    ),
    AnalyzerSpec::new(
        "data-unparsed",
        "data files in formats that are listed but not read (parquet, sav, rds, sqlite, compressed) (needs-review)",
        SCAN,
    ),
    AnalyzerSpec::new(
        "data-dummy-available",
        "dummy or synthetic data shipped: dummy/synthetic/fake/sample paths, 999-range NHS numbers, ZZ99 postcodes, a README statement, a generator (Faker, synthpop), open-dataset links; not-applicable when no code loads data",
        SCAN,
    ),
    AnalyzerSpec::new(
        "secrets-env-file",
        "committed .env files (templates such as .env.example with empty values are weak)",
        SCAN,
    ),
    AnalyzerSpec::new(
        "secrets-connection-string",
        "SQL Server, ODBC and JDBC connection strings with a password",
        SCAN,
    ),
    AnalyzerSpec::new(
        "secrets-url-credentials",
        "URLs with a user name and password (https://user:pass@host)",
        SCAN,
    ),
    AnalyzerSpec::new("secrets-private-key", "PEM private keys", SCAN),
    AnalyzerSpec::new(
        "secrets-token",
        "tokens with well-known prefixes (GitHub, AWS, Azure, Slack, Google)",
        SCAN,
    ),
    AnalyzerSpec::new(
        "secrets-password",
        "hard-coded passwords in config and code (placeholders and environment lookups are ignored)",
        SCAN,
    ),
    AnalyzerSpec::new(
        "secrets-internal-host",
        "internal server names in connection strings",
        SCAN,
    ),
];
