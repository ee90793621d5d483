//! Planning the quota instead of running into it. Before any repository is read, the run
//! asks `GET /rate_limit` (which GitHub does not count) how much of the hour's quota is
//! left, estimates what the run needs (an unchanged repository, already in the tree cache,
//! needs nothing: its SHA lookup is a free 304), and says at the start how many repositories
//! fit now and when the rest can run.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;

use super::client::{ApiError, Client, JSON};
use super::listing::ApiRepo;
use super::repo::{SHA_ACCEPT, commit_path};
use super::strategy::{PlanMatcher, first_read_cost};
use super::trees::TreeCache;

/// The `core` quota: what REST requests draw on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub limit: u64,
    pub remaining: u64,
    pub reset_at: SystemTime,
}

#[derive(Deserialize)]
struct RateLimitBody {
    resources: Resources,
}

#[derive(Deserialize)]
struct Resources {
    core: Core,
}

#[derive(Deserialize)]
struct Core {
    limit: u64,
    remaining: u64,
    reset: u64,
}

/// Parses a `/rate_limit` answer.
pub fn parse_rate_limit(body: &[u8]) -> Result<Quota, String> {
    let parsed: RateLimitBody =
        serde_json::from_slice(body).map_err(|e| format!("unexpected /rate_limit JSON: {e}"))?;
    let core = parsed.resources.core;
    Ok(Quota {
        limit: core.limit,
        remaining: core.remaining,
        reset_at: UNIX_EPOCH + Duration::from_secs(core.reset),
    })
}

/// The quota now; `None` where there is none (GHES with rate limiting off answers 404).
pub async fn read_quota(client: &Client) -> Result<Option<Quota>, ApiError> {
    match client.get_fresh("/rate_limit", JSON).await {
        Ok(reply) => parse_rate_limit(&reply.body)
            .map(Some)
            .map_err(ApiError::Transport),
        Err(ApiError::NotFound(_)) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Requests a repository will cost this run: 0 when the last run saw it at the same
/// `pushed_at` and its content is still cached (the SHA lookup will be a 304), else the
/// first-read cost of the plan. An upper bound: a push to another branch changes `pushed_at`
/// but not the default branch's SHA.
pub fn repo_cost(
    client: &Client,
    trees: Option<&TreeCache>,
    plan: &PlanMatcher,
    repo: &ApiRepo,
) -> u32 {
    let full = first_read_cost(plan);
    let (Some(trees), Some((owner, name))) = (trees, repo.owner_and_name()) else {
        return full;
    };
    let Some(seen) = trees.seen(&repo.full_name) else {
        return full;
    };
    let path = commit_path(owner, name, repo.default_branch.as_deref());
    let cached_sha = client
        .cached_body(&path, SHA_ACCEPT)
        .map(|b| String::from_utf8_lossy(&b).trim().to_string());
    // Trees and blobs read one by one are in the HTTP cache by SHA; a tarball's tree is here.
    let content_cached = plan.needs_tree() || trees.contains(&repo.full_name, &seen.sha);
    if seen.pushed_at.is_some()
        && seen.pushed_at == repo.pushed_at
        && cached_sha.as_deref() == Some(seen.sha.as_str())
        && content_cached
    {
        0
    } else {
        full
    }
}

/// The quota plan for `repos` (in audit order), or `None` when the quota cannot be read.
pub async fn plan_run(
    client: &Client,
    trees: Option<&TreeCache>,
    plan: &PlanMatcher,
    repos: &[&ApiRepo],
) -> Option<QuotaPlan> {
    let quota = match read_quota(client).await {
        Ok(Some(quota)) => quota,
        Ok(None) => return None,
        Err(error) => {
            log::debug!("cannot read /rate_limit: {error}");
            return None;
        }
    };
    let costs: Vec<u32> = repos
        .iter()
        .map(|repo| repo_cost(client, trees, plan, repo))
        .collect();
    Some(QuotaPlan::new(quota, &costs))
}

/// Whether the run fits the quota, and if not, how much of it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaPlan {
    pub repos: usize,
    /// Repositories expected to cost nothing (unchanged and cached).
    pub unchanged: usize,
    pub needed: u64,
    pub quota: Quota,
    /// Repositories, in audit order, that the quota left covers.
    pub fits_now: usize,
    /// Full hours of quota (after the next reset) the rest needs beyond what is left now.
    pub more_hours: u64,
}

impl QuotaPlan {
    /// `costs` are per repository, in the order they will be audited. A small reserve is kept
    /// for retries and the requests no estimate sees.
    pub fn new(quota: Quota, costs: &[u32]) -> QuotaPlan {
        let needed: u64 = costs.iter().map(|&c| u64::from(c)).sum();
        let usable = quota.remaining.saturating_sub(reserve(quota.limit));
        let mut spent = 0u64;
        let mut fits_now = 0;
        for &cost in costs {
            if spent + u64::from(cost) > usable {
                break;
            }
            spent += u64::from(cost);
            fits_now += 1;
        }
        let rest = needed.saturating_sub(spent);
        let per_hour = quota.limit.saturating_sub(reserve(quota.limit)).max(1);
        QuotaPlan {
            repos: costs.len(),
            unchanged: costs.iter().filter(|&&c| c == 0).count(),
            needed,
            quota,
            fits_now,
            more_hours: rest.div_ceil(per_hour),
        }
    }

    pub fn covers_all(&self) -> bool {
        self.fits_now == self.repos
    }

    /// One line for the start of the run.
    pub fn summary(&self, now: SystemTime) -> String {
        let head = format!(
            "{} repositories need about {} API requests ({} unchanged and cached, costing none); {} of {} left",
            self.repos, self.needed, self.unchanged, self.quota.remaining, self.quota.limit
        );
        if self.covers_all() {
            return format!("{head}: the quota covers the run");
        }
        let when = super::error::when_text(Some(self.quota.reset_at), now);
        let later = if self.more_hours > 1 {
            format!(
                ", and about {} more hours of quota after that",
                self.more_hours - 1
            )
        } else {
            String::new()
        };
        format!(
            "{head}: only {} of {} repositories fit now; the rest will be deferred ({when}{later})",
            self.fits_now, self.repos
        )
    }
}

/// Requests held back from the plan for retries: 0.2 % of the hourly limit (10 of 5,000).
fn reserve(limit: u64) -> u64 {
    (limit / 500).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quota(remaining: u64) -> Quota {
        Quota {
            limit: 5000,
            remaining,
            reset_at: UNIX_EPOCH + Duration::from_secs(2_000_000_000),
        }
    }

    #[test]
    fn rate_limit_answers_parse() {
        let body =
            br#"{"resources":{"core":{"limit":5000,"used":1,"remaining":4999,"reset":1691591363},
            "search":{"limit":30,"used":0,"remaining":30,"reset":1691591091}},
            "rate":{"limit":5000,"used":1,"remaining":4999,"reset":1691591363}}"#;
        let quota = parse_rate_limit(body).unwrap();
        assert_eq!((quota.limit, quota.remaining), (5000, 4999));
        assert_eq!(
            quota.reset_at,
            UNIX_EPOCH + Duration::from_secs(1_691_591_363)
        );
        assert!(parse_rate_limit(b"{}").is_err());
    }

    #[test]
    fn a_plan_says_how_many_fit_and_when_the_rest_can_run() {
        // 1,000 repositories at 2 requests, 100 of them unchanged: 1,800 needed.
        let costs: Vec<u32> = (0..1000).map(|i| if i < 100 { 0 } else { 2 }).collect();
        let plenty = QuotaPlan::new(quota(4000), &costs);
        assert!(plenty.covers_all());
        assert_eq!(plenty.needed, 1800);
        assert_eq!(plenty.unchanged, 100);
        // 600 left, 10 held back: 295 more repositories after the 100 free ones.
        let short = QuotaPlan::new(quota(600), &costs);
        assert_eq!(short.fits_now, 100 + 295);
        assert_eq!(short.more_hours, 1);
        let now = UNIX_EPOCH + Duration::from_secs(2_000_000_000 - 1800);
        let text = short.summary(now);
        assert!(
            text.contains("only 395 of 1000") && text.contains("in 30 min"),
            "{text}"
        );
        let huge: Vec<u32> = vec![3; 5000];
        let plan = QuotaPlan::new(quota(0), &huge);
        assert_eq!((plan.fits_now, plan.more_hours), (0, 4));
        assert!(plan.summary(now).contains("3 more hours"));
    }
}
