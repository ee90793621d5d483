//! Which files hold data, by name. The inventory lets the rule layer ask "does
//! this repository publish data files, and could we read them?" even for
//! formats this module cannot parse (Parquet, SPSS, Stata, SQLite …).

use super::DataKind;

/// Compression suffixes: the kind is that of the inner file, but it is not
/// parsed (no decompressor in the allowed dependencies).
const COMPRESSED: &[&str] = &[".gz", ".bz2", ".xz", ".zst", ".zip", ".7z"];

/// JSON files that are configuration, not data.
const CONFIG_JSON: &[&str] = &[
    "package.json",
    "package-lock.json",
    "composer.json",
    "composer.lock",
    "tsconfig.json",
    "jsconfig.json",
    "renovate.json",
    "settings.json",
    "launch.json",
    "tasks.json",
    "extensions.json",
    "devcontainer.json",
    ".devcontainer.json",
    "manifest.json",
    "app.json",
    "angular.json",
    "lerna.json",
    "vercel.json",
    "codemeta.json",
    ".zenodo.json",
    "environment.json",
    "pyrightconfig.json",
    "biome.json",
    "deno.json",
    ".eslintrc.json",
    ".prettierrc.json",
    ".babelrc.json",
    "cspell.json",
    "turbo.json",
    "nx.json",
];

/// Splits off a compression suffix; returns (inner name, compressed?).
pub(super) fn strip_compression(path: &str) -> (&str, bool) {
    let lower = path.to_ascii_lowercase();
    for c in COMPRESSED {
        if lower.ends_with(c) && lower.len() > c.len() {
            return (&path[..path.len() - c.len()], true);
        }
    }
    (path, false)
}

/// The data format of `path` by its extension, or `None` for code, prose,
/// config and everything else.
pub fn data_kind(path: &str) -> Option<DataKind> {
    let (inner, _) = strip_compression(path);
    let name = inner.rsplit(['/', '\\']).next().unwrap_or(inner);
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
    let kind = match ext {
        "csv" => DataKind::Csv,
        "tsv" | "tab" => DataKind::Tsv,
        "psv" | "dat" => DataKind::TextTable,
        "xlsx" | "xlsm" | "xlsb" => DataKind::Xlsx,
        "xls" => DataKind::Xls,
        "ods" => DataKind::Ods,
        "parquet" | "pq" => DataKind::Parquet,
        "feather" | "arrow" => DataKind::Feather,
        "sav" | "zsav" | "por" => DataKind::Sav,
        "dta" => DataKind::Dta,
        "sas7bdat" | "xpt" => DataKind::Sas7bdat,
        "rds" => DataKind::Rds,
        "rdata" | "rda" => DataKind::RData,
        "sqlite" | "sqlite3" | "db" | "duckdb" => DataKind::Sqlite,
        "pkl" | "pickle" => DataKind::Pickle,
        "ndjson" | "jsonl" => DataKind::Ndjson,
        "json" => {
            let config = CONFIG_JSON.contains(&lower.as_str())
                || lower.starts_with("tsconfig")
                || lower.ends_with(".schema.json")
                || path.contains(".vscode/")
                || path.contains(".devcontainer/")
                || path.contains(".github/");
            if config {
                return None;
            }
            DataKind::Json
        }
        _ => return None,
    };
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(data_kind("data/x.CSV"), Some(DataKind::Csv));
        assert_eq!(data_kind("x.csv.gz"), Some(DataKind::Csv));
        assert_eq!(data_kind("x.xlsx"), Some(DataKind::Xlsx));
        assert_eq!(data_kind("x.RData"), Some(DataKind::RData));
        assert_eq!(data_kind("package.json"), None);
        assert_eq!(data_kind("out/records.json"), Some(DataKind::Json));
        assert_eq!(data_kind("main.rs"), None);
        assert_eq!(data_kind("Makefile"), None);
    }
}
