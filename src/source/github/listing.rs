//! Listing an organisation's (or user's) repositories, page by page through `Link` headers,
//! and filtering them. The listing already carries what the report needs about each repository
//! (topics, description, default branch, visibility, archived, fork, pushed_at), so no request
//! per repository is spent on metadata.

use globset::{Glob, GlobSet, GlobSetBuilder};
use http::HeaderMap;
use serde::Deserialize;

use super::client::{ApiError, Client, JSON};
use crate::model::RepoMetadata;

/// A repository as the listing and `GET /repos/{owner}/{repo}` describe it. Every field but
/// the names is optional so an older GHES or a partial answer still parses.
#[derive(Debug, Clone, Deserialize)]
pub struct ApiRepo {
    pub name: String,
    pub full_name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub topics: Option<Vec<String>>,
    #[serde(default)]
    pub default_branch: Option<String>,
    #[serde(default)]
    pub visibility: Option<String>,
    #[serde(default)]
    pub private: Option<bool>,
    #[serde(default)]
    pub archived: Option<bool>,
    #[serde(default)]
    pub fork: Option<bool>,
    #[serde(default)]
    pub pushed_at: Option<String>,
    /// Where `--clone` fetches from; derived from the API root when absent.
    #[serde(default)]
    pub clone_url: Option<String>,
    /// The repository's size in KiB as GitHub reports it (roughly the packed git objects).
    #[serde(default)]
    pub size: Option<u64>,
    /// The owner's organisation-wide security policy (in its `.github` repository), found
    /// once per owner when the listing holds that repository.
    #[serde(skip)]
    pub org_security_policy: Option<String>,
}

impl ApiRepo {
    pub fn visibility(&self) -> String {
        match (&self.visibility, self.private) {
            (Some(v), _) => v.to_ascii_lowercase(),
            (None, Some(true)) => "private".to_string(),
            (None, _) => "public".to_string(),
        }
    }

    pub fn metadata(&self) -> RepoMetadata {
        RepoMetadata {
            description: self.description.clone().filter(|d| !d.is_empty()),
            topics: self.topics.clone().unwrap_or_default(),
            default_branch: self.default_branch.clone(),
            visibility: Some(self.visibility()),
            archived: self.archived.unwrap_or(false),
            fork: self.fork.unwrap_or(false),
            pushed_at: self.pushed_at.clone(),
            tags: None,
            reviews: None,
            // The API has no cheap commit count; `None` means unknown, so history is not judged.
            commits: None,
            last_commit_at: None,
            security_policy: self.org_security_policy.clone(),
        }
    }

    /// `owner/name` split, validated so it can go into a URL path unescaped.
    pub fn owner_and_name(&self) -> Option<(&str, &str)> {
        let (owner, name) = self.full_name.split_once('/')?;
        (valid_name(owner) && valid_name(name)).then_some((owner, name))
    }
}

/// GitHub owner and repository names: letters, digits, `-`, `_` and `.`, and never `.`/`..`.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Visibility {
    Public,
    Private,
    Internal,
    /// Everything the token can read.
    #[default]
    All,
}

/// Which listed repositories to audit.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Name globs; a glob with `/` matches `owner/name`, otherwise the name alone.
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// Keep repositories with any of these topics.
    pub topics: Vec<String>,
    /// RFC 3339 time or `YYYY-MM-DD`: keep repositories pushed at or after it.
    pub pushed_since: Option<String>,
    pub include_archived: bool,
    pub include_forks: bool,
    pub visibility: Visibility,
}

/// Compiled filters; built once per run so a bad glob fails before any request.
pub struct Selector {
    include: Option<(GlobSet, GlobSet)>,
    exclude: (GlobSet, GlobSet),
    filters: Filters,
    since: Option<String>,
}

impl Selector {
    pub fn new(filters: &Filters) -> Result<Self, crate::Error> {
        let include = if filters.include.is_empty() {
            None
        } else {
            Some(globs(&filters.include)?)
        };
        let since = match &filters.pushed_since {
            None => None,
            Some(date) => Some(normalise_date(date)?),
        };
        Ok(Selector {
            include,
            exclude: globs(&filters.exclude)?,
            filters: filters.clone(),
            since,
        })
    }

    /// Whether an organisation's repository is audited; the reason when it is not.
    pub fn keep(&self, repo: &ApiRepo) -> Result<(), &'static str> {
        let matches = |sets: &(GlobSet, GlobSet)| {
            sets.0.is_match(&repo.name) || sets.1.is_match(&repo.full_name)
        };
        if let Some(include) = &self.include
            && !matches(include)
        {
            return Err("not matched by --include");
        }
        if matches(&self.exclude) {
            return Err("matched by --exclude");
        }
        if repo.archived.unwrap_or(false) && !self.filters.include_archived {
            return Err("archived");
        }
        if repo.fork.unwrap_or(false) && !self.filters.include_forks {
            return Err("a fork");
        }
        let visibility = repo.visibility();
        let wanted = match self.filters.visibility {
            Visibility::All => true,
            Visibility::Public => visibility == "public",
            Visibility::Private => visibility == "private",
            Visibility::Internal => visibility == "internal",
        };
        if !wanted {
            return Err("excluded by --visibility");
        }
        if !self.filters.topics.is_empty() {
            let topics = repo.topics.as_deref().unwrap_or_default();
            if !self
                .filters
                .topics
                .iter()
                .any(|t| topics.iter().any(|have| have.eq_ignore_ascii_case(t)))
            {
                return Err("has none of the --topic topics");
            }
        }
        if let Some(since) = &self.since {
            match repo.pushed_at.as_deref().map(normalise_date) {
                Some(Ok(pushed)) if pushed >= *since => {}
                _ => return Err("not pushed since --pushed-since"),
            }
        }
        Ok(())
    }
}

/// Two glob sets: patterns for the bare name and patterns for `owner/name`.
fn globs(patterns: &[String]) -> Result<(GlobSet, GlobSet), crate::Error> {
    let mut names = GlobSetBuilder::new();
    let mut full = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern)
            .map_err(|e| crate::Error::Other(format!("bad name glob `{pattern}`: {e}")))?;
        if pattern.contains('/') {
            full.add(glob);
        } else {
            names.add(glob);
        }
    }
    let build = |b: GlobSetBuilder| b.build().map_err(|e| crate::Error::Other(e.to_string()));
    Ok((build(names)?, build(full)?))
}

/// A comparable UTC timestamp (`YYYY-MM-DDTHH:MM:SSZ`) from a date or RFC 3339 time.
pub fn normalise_date(text: &str) -> Result<String, crate::Error> {
    let text = text.trim();
    let full = if text.len() == 10 {
        format!("{text}T00:00:00Z")
    } else {
        text.to_string()
    };
    let time = humantime::parse_rfc3339_weak(&full)
        .or_else(|_| humantime::parse_rfc3339(&full))
        .map_err(|_| {
            crate::Error::Other(format!(
                "`{text}` is not a date: use YYYY-MM-DD or an RFC 3339 time"
            ))
        })?;
    Ok(humantime::format_rfc3339_seconds(time).to_string())
}

/// Whose repositories a run lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// `--org NAME`: an organisation, or a user when no organisation has that name.
    Org(String),
    /// `--user NAME`: a user's own public repositories (`/users/NAME/repos`).
    User(String),
    /// `--org @me`: the authenticated user's own repositories, private ones included
    /// (`/user/repos`); with a GitHub App installation token, the installation's repositories.
    Me,
}

impl Owner {
    /// `--org` value: `@me` is the authenticated user.
    pub fn org(name: &str) -> Owner {
        if name.trim() == "@me" {
            Owner::Me
        } else {
            Owner::Org(name.to_string())
        }
    }

    /// Whether the name can go into a URL path.
    pub fn is_valid(&self) -> bool {
        match self {
            Owner::Org(name) | Owner::User(name) => valid_name(name),
            Owner::Me => true,
        }
    }
}

impl std::fmt::Display for Owner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Owner::Org(name) | Owner::User(name) => f.write_str(name),
            Owner::Me => f.write_str("@me"),
        }
    }
}

impl From<&str> for Owner {
    fn from(name: &str) -> Self {
        Owner::org(name)
    }
}

/// Every repository of `owner`.
pub async fn list(client: &Client, owner: &Owner) -> Result<Vec<ApiRepo>, ApiError> {
    match owner {
        Owner::Org(name) => list_owner(client, name).await,
        Owner::User(name) => {
            pages(
                client,
                format!("/users/{name}/repos?per_page=100&type=owner"),
            )
            .await
        }
        Owner::Me => {
            // `affiliation=owner` with `visibility=all`: the user's own repositories, private
            // ones included, not every repository they can merely see through an org.
            match pages(
                client,
                "/user/repos?per_page=100&affiliation=owner&visibility=all".to_string(),
            )
            .await
            {
                // An installation token has no user; it can list its installation instead.
                Err(ApiError::Forbidden(message))
                    if message.to_ascii_lowercase().contains("integration") =>
                {
                    log::info!(
                        "@me: an installation token; listing the installation's repositories"
                    );
                    pages(
                        client,
                        "/installation/repositories?per_page=100".to_string(),
                    )
                    .await
                }
                other => other,
            }
        }
    }
}

/// Every repository of `owner`: tried as an organisation first, then as a user.
pub async fn list_owner(client: &Client, owner: &str) -> Result<Vec<ApiRepo>, ApiError> {
    let org = format!("/orgs/{owner}/repos?per_page=100&type=all");
    match pages(client, org).await {
        Err(ApiError::NotFound(_)) => {
            log::info!("{owner} is not an organisation; listing it as a user");
            pages(
                client,
                format!("/users/{owner}/repos?per_page=100&type=owner"),
            )
            .await
        }
        other => other,
    }
}

/// One repository's description, for `github:OWNER/REPO` targets.
pub async fn get_repo(client: &Client, owner: &str, name: &str) -> Result<ApiRepo, ApiError> {
    let reply = client
        .get(&format!("/repos/{owner}/{name}"), JSON, true)
        .await?;
    serde_json::from_slice(&reply.body)
        .map_err(|e| ApiError::Transport(format!("unexpected repository JSON: {e}")))
}

/// A listing page: an array, or `/installation/repositories`'s wrapped one.
#[derive(Deserialize)]
#[serde(untagged)]
enum Page {
    Repos(Vec<ApiRepo>),
    Installation { repositories: Vec<ApiRepo> },
}

/// Follows `rel="next"` links; a repository map guards against a server that loops.
async fn pages(client: &Client, first: String) -> Result<Vec<ApiRepo>, ApiError> {
    let mut all = Vec::new();
    let mut next = Some(first);
    let mut seen = std::collections::HashSet::new();
    while let Some(path) = next.take() {
        if !seen.insert(path.clone()) || seen.len() > 10_000 {
            return Err(ApiError::Transport(
                "the listing's pagination links loop".to_string(),
            ));
        }
        let reply = client.get(&path, JSON, true).await?;
        let page: Page = serde_json::from_slice(&reply.body)
            .map_err(|e| ApiError::Transport(format!("unexpected listing JSON: {e}")))?;
        let page = match page {
            Page::Repos(repos) => repos,
            Page::Installation { repositories } => repositories,
        };
        all.extend(page);
        next = next_link(&reply.headers, client.base())?;
    }
    Ok(all)
}

/// The `rel="next"` target as a path relative to the API root. Links elsewhere are refused:
/// following them would send the token to another host.
pub fn next_link(headers: &HeaderMap, base: &str) -> Result<Option<String>, ApiError> {
    let Some(link) = headers.get("link").and_then(|v| v.to_str().ok()) else {
        return Ok(None);
    };
    for part in link.split(',') {
        let mut pieces = part.split(';');
        let target = pieces.next().unwrap_or("").trim();
        let is_next = pieces.any(|p| {
            let p = p.trim().replace(' ', "");
            p == "rel=\"next\"" || p == "rel=next"
        });
        if !is_next {
            continue;
        }
        let url = target.trim_start_matches('<').trim_end_matches('>');
        return match url.strip_prefix(base) {
            Some(rest) if rest.starts_with('/') => Ok(Some(rest.to_string())),
            _ => Err(ApiError::Transport(format!(
                "a pagination link leaves the API root {base}"
            ))),
        };
    }
    Ok(None)
}

/// Where GitHub shows an organisation's default security policy to every repository without
/// one: SECURITY.md in the owner's `.github` repository (root, `.github/` or `docs/`). One to
/// three conditional requests per owner, only when the listing holds that repository.
pub async fn org_security_policy(client: &Client, owner: &str) -> Option<String> {
    for path in ["SECURITY.md", ".github/SECURITY.md", "docs/SECURITY.md"] {
        let request = format!("/repos/{owner}/.github/contents/{path}");
        match client
            .get(&request, "application/vnd.github+json", true)
            .await
        {
            Ok(_) => return Some(format!("{owner}/.github/{path}")),
            Err(ApiError::NotFound(_)) => continue,
            Err(error) => {
                log::debug!("{owner}: cannot read the organisation's security policy: {error}");
                return None;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(name: &str) -> ApiRepo {
        serde_json::from_value(serde_json::json!({"name": name, "full_name": format!("o/{name}")}))
            .unwrap()
    }

    #[test]
    fn next_links_keep_the_ghes_prefix() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "link",
            "<https://h/api/v3/orgs/o/repos?page=2>; rel=\"next\", <https://h/api/v3/orgs/o/repos?page=9>; rel=\"last\""
                .parse()
                .unwrap(),
        );
        assert_eq!(
            next_link(&headers, "https://h/api/v3").unwrap().as_deref(),
            Some("/orgs/o/repos?page=2")
        );
        assert!(next_link(&headers, "https://other").is_err());
    }

    #[test]
    fn filters_select_by_name_topic_and_date() {
        let selector = Selector::new(&Filters {
            include: vec!["data-*".into()],
            exclude: vec!["o/data-old".into()],
            topics: vec!["nhs".into()],
            pushed_since: Some("2024-01-01".into()),
            ..Filters::default()
        })
        .unwrap();
        let mut good = repo("data-new");
        good.topics = Some(vec!["NHS".into()]);
        good.pushed_at = Some("2024-06-01T10:00:00Z".into());
        assert_eq!(selector.keep(&good), Ok(()));
        let mut old = good.clone();
        old.pushed_at = Some("2023-12-31T23:59:59Z".into());
        assert!(selector.keep(&old).is_err());
        let mut excluded = good.clone();
        excluded.full_name = "o/data-old".into();
        excluded.name = "data-old".into();
        assert!(selector.keep(&excluded).is_err());
        assert!(selector.keep(&repo("web")).is_err());
    }

    #[test]
    fn at_me_is_the_authenticated_user() {
        assert_eq!(Owner::org("@me"), Owner::Me);
        assert_eq!(Owner::org("nhsx"), Owner::Org("nhsx".into()));
        assert!(Owner::Me.is_valid());
        assert!(!Owner::User("a/b".into()).is_valid());
        assert_eq!(Owner::Me.to_string(), "@me");
    }

    #[test]
    fn names_that_could_escape_a_url_path_are_refused() {
        assert!(valid_name("nhs-r.package_1"));
        for bad in ["", ".", "..", "a/b", "a?b", "a%2f"] {
            assert!(!valid_name(bad), "{bad}");
        }
    }
}
