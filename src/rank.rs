//! Ranking repositories by traffic (spec "Ranking"). Pure.
//!
//! GitHub: 14-day page views, ties broken by unique visitors, then 14-day clones, then name.
//! GitLab: 30-day fetches from project statistics, then name. Where the traffic figure is
//! unreadable the repository ranks after every repository with traffic, by stars + forks
//! (then name), with source [`RankSource::Fallback`]. Archived repositories are not ranked
//! and come last in [`Ranking::order`] (by name).

use std::cmp::Ordering;

use serde::Serialize;

use crate::model::{Provider, Repo, Snapshot};

/// Where a repository's rank came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RankSource {
    /// GitHub 14-day views.
    Traffic,
    /// GitLab 30-day fetches.
    Statistics,
    /// Stars + forks, because traffic was unreadable.
    Fallback,
}

impl RankSource {
    /// Name as in the JSON report (`traffic.source`).
    pub fn as_str(self) -> &'static str {
        match self {
            RankSource::Traffic => "traffic",
            RankSource::Statistics => "statistics",
            RankSource::Fallback => "fallback",
        }
    }
}

/// The ranking of a snapshot's repositories.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ranking {
    /// Repository indices in rank order: ranked ones (rank 1 first), then archived ones.
    pub order: Vec<usize>,
    /// Rank by repository index (`None` for archived repositories).
    pub rank: Vec<Option<u32>>,
    /// Rank source by repository index (`None` for archived repositories).
    pub source: Vec<Option<RankSource>>,
}

impl Ranking {
    /// Indices of the ranked (non-archived) repositories, rank 1 first.
    pub fn ranked(&self) -> impl Iterator<Item = usize> + '_ {
        self.order
            .iter()
            .copied()
            .filter(|&i| self.rank.get(i).copied().flatten().is_some())
    }
}

/// The sort key of one repository. Smaller `group` sorts first; within a group, larger
/// figures sort first; the name breaks the remaining ties.
#[derive(Clone, Copy)]
struct Key {
    /// 0: has traffic, 1: fallback, 2: archived (unranked).
    group: u8,
    /// Primary, secondary and tertiary figures (descending).
    figures: [u64; 3],
    /// Repository index.
    index: usize,
}

fn key(provider: Provider, repo: &Repo, index: usize) -> (Key, Option<RankSource>) {
    if repo.archived {
        let key = Key {
            group: 2,
            figures: [0; 3],
            index,
        };
        return (key, None);
    }
    let traffic = repo.traffic.known();
    let measured = match provider {
        Provider::Github => traffic.and_then(|t| {
            t.views_14d.map(|views| {
                let figures = [views, t.uniques_14d.unwrap_or(0), t.clones_14d.unwrap_or(0)];
                (figures, RankSource::Traffic)
            })
        }),
        Provider::Gitlab => traffic.and_then(|t| {
            t.fetches_30d
                .map(|fetches| ([fetches, 0, 0], RankSource::Statistics))
        }),
    };
    match measured {
        Some((figures, source)) => (
            Key {
                group: 0,
                figures,
                index,
            },
            Some(source),
        ),
        None => (
            Key {
                group: 1,
                figures: [repo.stars.saturating_add(repo.forks), 0, 0],
                index,
            },
            Some(RankSource::Fallback),
        ),
    }
}

/// Rank the snapshot's repositories.
pub fn rank(snapshot: &Snapshot) -> Ranking {
    let repos = &snapshot.repos;
    let mut keys = Vec::with_capacity(repos.len());
    let mut source = Vec::with_capacity(repos.len());
    for (index, repo) in repos.iter().enumerate() {
        let (k, s) = key(snapshot.provider, repo, index);
        keys.push(k);
        source.push(s);
    }
    keys.sort_unstable_by(|a, b| {
        a.group
            .cmp(&b.group)
            .then_with(|| b.figures.cmp(&a.figures))
            .then_with(|| by_name(repos, a.index, b.index))
    });
    let mut rank = vec![None; repos.len()];
    let mut next: u32 = 1;
    let mut order = Vec::with_capacity(repos.len());
    for k in &keys {
        if k.group < 2 {
            rank[k.index] = Some(next);
            next = next.saturating_add(1);
        }
        order.push(k.index);
    }
    Ranking {
        order,
        rank,
        source,
    }
}

/// Name order, with the index as the last resort so the order is total and stable.
fn by_name(repos: &[Repo], a: usize, b: usize) -> Ordering {
    repos[a].name.cmp(&repos[b].name).then(a.cmp(&b))
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::model::{Fact, Traffic, Visibility};

    fn snapshot(provider: Provider, repos: Vec<Repo>) -> Snapshot {
        let taken = Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).single();
        let mut s = Snapshot::new(
            provider,
            "acme",
            "https://api.github.com",
            taken.unwrap_or_default(),
        );
        s.repos = repos;
        s
    }

    fn gh(name: &str, views: u64, uniques: u64, clones: u64) -> Repo {
        let mut r = Repo::new(&format!("acme/{name}"), Visibility::Private, "main");
        r.traffic = Fact::Known(Traffic {
            views_14d: Some(views),
            uniques_14d: Some(uniques),
            clones_14d: Some(clones),
            fetches_30d: None,
        });
        r
    }

    fn no_traffic(name: &str, stars: u64, forks: u64) -> Repo {
        let mut r = Repo::new(&format!("acme/{name}"), Visibility::Private, "main");
        r.traffic = Fact::unreadable_with(Some(403), "Must have push access", Some("push"));
        r.stars = stars;
        r.forks = forks;
        r
    }

    fn names(s: &Snapshot, r: &Ranking) -> Vec<String> {
        r.order
            .iter()
            .map(|&i| s.repos[i].short_name().to_owned())
            .collect()
    }

    #[test]
    fn views_then_uniques_then_clones_then_name() {
        let s = snapshot(
            Provider::Github,
            vec![
                gh("d", 100, 10, 5),
                gh("c", 100, 10, 9),
                gh("b", 100, 20, 0),
                gh("a", 50, 99, 99),
                gh("e", 100, 10, 5),
                gh("z", 500, 1, 1),
            ],
        );
        let r = rank(&s);
        assert_eq!(names(&s, &r), ["z", "b", "c", "d", "e", "a"]);
        assert_eq!(r.rank[5], Some(1));
        assert_eq!(r.rank[3], Some(6));
        assert!(r.source.iter().all(|s| *s == Some(RankSource::Traffic)));
    }

    #[test]
    fn unreadable_traffic_ranks_after_all_traffic_by_stars_plus_forks() {
        let s = snapshot(
            Provider::Github,
            vec![
                no_traffic("popular", 10_000, 500),
                gh("quiet", 0, 0, 0),
                no_traffic("small", 3, 1),
                no_traffic("mid", 20, 20),
                gh("busy", 10, 2, 1),
            ],
        );
        let r = rank(&s);
        assert_eq!(names(&s, &r), ["busy", "quiet", "popular", "mid", "small"]);
        assert_eq!(r.source[0], Some(RankSource::Fallback));
        assert_eq!(r.rank[0], Some(3));
        assert_eq!(r.source[1], Some(RankSource::Traffic));
    }

    #[test]
    fn archived_repos_are_unranked_and_last() {
        let mut old = gh("old", 9_999, 9, 9);
        old.archived = true;
        let mut older = no_traffic("aaa-older", 1, 1);
        older.archived = true;
        let s = snapshot(
            Provider::Github,
            vec![old, gh("live", 1, 1, 1), older, no_traffic("x", 0, 0)],
        );
        let r = rank(&s);
        assert_eq!(names(&s, &r), ["live", "x", "aaa-older", "old"]);
        assert_eq!(r.rank, vec![None, Some(1), None, Some(2)]);
        assert_eq!(r.source[0], None);
        assert_eq!(r.ranked().collect::<Vec<_>>(), vec![1, 3]);
    }

    #[test]
    fn gitlab_ranks_by_fetches_with_statistics_source() {
        let mut a = Repo::new("grp/sub/a", Visibility::Private, "main");
        a.traffic = Fact::Known(Traffic {
            fetches_30d: Some(7),
            ..Traffic::default()
        });
        let mut b = Repo::new("grp/sub/b", Visibility::Private, "main");
        b.traffic = Fact::Known(Traffic {
            fetches_30d: Some(70),
            ..Traffic::default()
        });
        let mut c = Repo::new("grp/c", Visibility::Private, "main");
        c.traffic = Fact::unreadable_with(Some(403), "forbidden", None);
        c.stars = 1_000;
        let s = snapshot(Provider::Gitlab, vec![a, b, c]);
        let r = rank(&s);
        assert_eq!(r.order, vec![1, 0, 2]);
        assert_eq!(r.source[1], Some(RankSource::Statistics));
        assert_eq!(r.source[2], Some(RankSource::Fallback));
    }

    #[test]
    fn known_traffic_without_the_figure_falls_back() {
        let mut r0 = Repo::new("acme/nofig", Visibility::Public, "main");
        r0.traffic = Fact::Known(Traffic::default());
        r0.stars = 5;
        let s = snapshot(Provider::Github, vec![r0, gh("has", 0, 0, 0)]);
        let r = rank(&s);
        assert_eq!(r.order, vec![1, 0]);
        assert_eq!(r.source[0], Some(RankSource::Fallback));
    }

    #[test]
    fn empty_snapshot_ranks_nothing() {
        let r = rank(&snapshot(Provider::Github, Vec::new()));
        assert!(r.order.is_empty() && r.rank.is_empty() && r.source.is_empty());
    }
}
