//! The pre-flight's summary of a sync: what the token could not see, one line per kind of
//! unreadable fact and reason (`traffic of 7 repositories: 403, needs push access`), then the
//! org-level facts it could not read.

use std::collections::BTreeMap;

use crate::model::Unreadable;

/// Collects unreadable facts and words them for `Snapshot::token.cannot_see`.
#[derive(Debug, Default)]
pub(crate) struct CannotSee {
    per_repo: BTreeMap<(String, String), usize>,
    org: Vec<String>,
}

impl CannotSee {
    /// Count one repository's `what` when it was unreadable. Facts the sync chose not to read
    /// (reason `not read: …`, e.g. of archived repositories) are not the token's doing.
    pub(crate) fn repo(&mut self, what: &str, why: Option<&Unreadable>) {
        if let Some(why) = why
            && !why.reason.starts_with("not read:")
        {
            *self
                .per_repo
                .entry((what.to_owned(), why.explain()))
                .or_default() += 1;
        }
    }

    /// Note an org-level fact when it was unreadable.
    pub(crate) fn org(&mut self, what: &str, why: Option<&Unreadable>) {
        if let Some(why) = why {
            self.org.push(format!("{what}: {}", why.explain()));
        }
    }

    /// The lines, repository facts first (`units`: `repositories` or `projects`).
    pub(crate) fn lines(self, units: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .per_repo
            .into_iter()
            .map(|((what, why), n)| format!("{what} of {n} {units}: {why}"))
            .collect();
        out.extend(self.org);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_fact_and_reason_and_skips_what_was_not_read_on_purpose() {
        let forbidden = Unreadable::new(Some(403), "Forbidden", Some("Secrets:read"));
        let archived = Unreadable::new(None, "not read: the repository is archived", None);
        let mut seen = CannotSee::default();
        seen.repo("secrets", Some(&forbidden));
        seen.repo("secrets", Some(&forbidden));
        seen.repo("secrets", Some(&archived));
        seen.repo("traffic", None);
        seen.org("org secrets", Some(&forbidden));
        seen.org("org rulesets", None);
        assert_eq!(
            seen.lines("repositories"),
            vec![
                "secrets of 2 repositories: 403: needs Secrets:read".to_owned(),
                "org secrets: 403: needs Secrets:read".to_owned(),
            ]
        );
    }
}
