//! Fuzzy filtering: a small [`Matcher`] interface, its fuzzy-matcher implementation, and a
//! worker thread with a generation counter so a stale search is abandoned, never shown.
//!
//! Typing never waits for a search: `update` records the query and returns a search effect;
//! the worker answers later with the generation it searched for, and answers for older
//! generations are dropped. When the new query extends the previous one, only the previous
//! results are searched (a fuzzy match of `abc` is also a match of `ab`).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

use fuzzy_matcher::FuzzyMatcher as _;
use fuzzy_matcher::skim::SkimMatcherV2;

/// Scores a haystack against a query and says which characters matched.
pub trait Matcher: Send + Sync {
    /// `Some(score)` when every query character occurs in order, `None` otherwise.
    fn score(&self, haystack: &str, query: &str) -> Option<i64>;
    /// Char indices of the matched characters, for highlighting.
    fn indices(&self, haystack: &str, query: &str) -> Option<Vec<usize>>;
}

/// Skim's fuzzy algorithm (smart case), behind a cheap subsequence pre-check.
pub struct SkimMatcher {
    inner: SkimMatcherV2,
}

impl Default for SkimMatcher {
    fn default() -> Self {
        Self {
            inner: SkimMatcherV2::default().smart_case(),
        }
    }
}

/// Case-insensitive (smart case) in-order test; most non-matches stop here cheaply.
fn is_subsequence(haystack: &str, query: &str) -> bool {
    let exact = query.chars().any(char::is_uppercase);
    if haystack.is_ascii() && query.is_ascii() {
        let fold = |b: u8| if exact { b } else { b.to_ascii_lowercase() };
        let mut hay = haystack.bytes();
        return query
            .bytes()
            .all(|q| hay.by_ref().any(|h| fold(h) == fold(q)));
    }
    let mut hay = haystack.chars();
    query.chars().all(|q| {
        hay.by_ref().any(|h| {
            if exact {
                h == q
            } else {
                h == q || h.to_lowercase().eq(q.to_lowercase())
            }
        })
    })
}

impl Matcher for SkimMatcher {
    fn score(&self, haystack: &str, query: &str) -> Option<i64> {
        if !is_subsequence(haystack, query) {
            return None;
        }
        self.inner.fuzzy_match(haystack, query)
    }

    fn indices(&self, haystack: &str, query: &str) -> Option<Vec<usize>> {
        if !is_subsequence(haystack, query) {
            return None;
        }
        self.inner
            .fuzzy_indices(haystack, query)
            .map(|(_, idx)| idx)
    }
}

/// One search: keep the candidates (repository indices, in display order) whose name matches.
#[derive(Debug, Clone)]
pub struct SearchJob {
    /// Generation this search answers; only the latest one is shown.
    pub generation: u64,
    /// The query.
    pub query: String,
    /// Candidate repository indices, in display order.
    pub candidates: Arc<Vec<u32>>,
    /// Haystacks by repository index.
    pub names: Arc<Vec<String>>,
}

/// A finished search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDone {
    /// The generation it answers.
    pub generation: u64,
    /// The query searched.
    pub query: String,
    /// Matching repository indices, in display order.
    pub rows: Arc<Vec<u32>>,
}

/// How many candidates are matched between checks for a newer generation.
const CHUNK: usize = 2048;

/// Run a search. Returns `None` when `latest` moved past the job's generation meanwhile.
pub fn run(job: &SearchJob, matcher: &dyn Matcher, latest: &AtomicU64) -> Option<SearchDone> {
    let mut rows = Vec::new();
    for chunk in job.candidates.chunks(CHUNK) {
        if latest.load(Ordering::Relaxed) != job.generation {
            return None;
        }
        for &idx in chunk {
            let Some(name) = job.names.get(idx as usize) else {
                continue;
            };
            if matcher.score(name, &job.query).is_some() {
                rows.push(idx);
            }
        }
    }
    Some(SearchDone {
        generation: job.generation,
        query: job.query.clone(),
        rows: Arc::new(rows),
    })
}

/// A search thread: give it jobs; it answers the newest and abandons the stale ones.
pub struct Worker {
    jobs: mpsc::Sender<SearchJob>,
    latest: Arc<AtomicU64>,
}

impl Worker {
    /// Start the worker; each finished search is passed to `deliver`.
    /// A panic in a search is caught and passed to `failed` (the worker then stops).
    pub fn start(
        deliver: impl Fn(SearchDone) + Send + 'static,
        failed: impl FnOnce(String) + Send + 'static,
    ) -> Self {
        let (jobs, rx) = mpsc::channel::<SearchJob>();
        let latest = Arc::new(AtomicU64::new(0));
        let seen = Arc::clone(&latest);
        std::thread::spawn(move || {
            let matcher = SkimMatcher::default();
            while let Ok(mut job) = rx.recv() {
                // Only the newest queued job matters.
                while let Ok(newer) = rx.try_recv() {
                    job = newer;
                }
                let search = || {
                    // Debug builds only: prove a panicking search ends the explorer cleanly.
                    if cfg!(debug_assertions)
                        && std::env::var("POSTURE_TEST_PANIC").as_deref() == Ok("search")
                    {
                        panic!("test panic requested by POSTURE_TEST_PANIC=search");
                    }
                    run(&job, &matcher, &seen)
                };
                match super::worker::caught("the search", search) {
                    Ok(Some(done)) => deliver(done),
                    Ok(None) => {}
                    Err(why) => return failed(why),
                }
            }
        });
        Self { jobs, latest }
    }

    /// Queue a search; any search of an older generation is abandoned.
    pub fn submit(&self, job: SearchJob) {
        self.latest.store(job.generation, Ordering::Relaxed);
        // The worker only stops when the explorer does.
        let _ = self.jobs.send(job);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(generation: u64, query: &str, names: &[&str]) -> SearchJob {
        SearchJob {
            generation,
            query: query.to_owned(),
            candidates: Arc::new((0..names.len() as u32).collect()),
            names: Arc::new(names.iter().map(|s| (*s).to_owned()).collect()),
        }
    }

    #[test]
    fn matches_in_order_characters_and_keeps_display_order() {
        let names = ["payments-api", "web", "api-gateway", "docs"];
        let latest = AtomicU64::new(3);
        let done = run(&job(3, "api", &names), &SkimMatcher::default(), &latest).unwrap();
        assert_eq!(*done.rows, vec![0, 2]);
        assert_eq!(done.generation, 3);
    }

    #[test]
    fn smart_case_is_insensitive_for_lower_case_queries() {
        let m = SkimMatcher::default();
        assert!(m.score("Payments-API", "api").is_some());
        assert!(m.score("payments-api", "API").is_none());
        assert!(m.score("web", "wbe").is_none());
    }

    #[test]
    fn subsequence_handles_non_ascii_and_case() {
        assert!(is_subsequence("Ünïcode-Repo", "ünr"));
        assert!(is_subsequence("payments-api", "pmi"));
        assert!(!is_subsequence("payments-api", "ipa"));
        assert!(!is_subsequence("payments-api", "Pay"));
        assert!(is_subsequence("Payments-api", "Pay"));
    }

    #[test]
    fn indices_name_the_matched_characters() {
        let m = SkimMatcher::default();
        let idx = m.indices("api-gateway", "agw").unwrap();
        assert_eq!(idx.len(), 3);
        let chars: Vec<char> = "api-gateway".chars().collect();
        let picked: String = idx.iter().map(|&i| chars[i]).collect();
        assert_eq!(picked, "agw");
    }

    #[test]
    fn a_stale_generation_is_abandoned() {
        let names: Vec<String> = (0..10_000).map(|i| format!("repo-{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let latest = AtomicU64::new(8);
        assert!(run(&job(7, "repo", &refs), &SkimMatcher::default(), &latest).is_none());
    }

    #[test]
    fn worker_answers_the_newest_job() {
        let (tx, rx) = mpsc::channel();
        let worker = Worker::start(
            move |done| {
                let _ = tx.send(done);
            },
            |_| {},
        );
        worker.submit(job(1, "w", &["web", "api"]));
        worker.submit(job(2, "a", &["web", "api"]));
        let mut last = None;
        while let Ok(done) = rx.recv_timeout(std::time::Duration::from_secs(5)) {
            let is_two = done.generation == 2;
            last = Some(done);
            if is_two {
                break;
            }
        }
        let last = last.unwrap();
        assert_eq!(last.generation, 2);
        assert_eq!(*last.rows, vec![1]);
    }
}
