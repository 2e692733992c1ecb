//! Waivers: a failing control accepted for matching repositories until a date. Pure.

use chrono::{DateTime, NaiveDate, Utc};

use crate::config::{Settings, Waiver, glob_match};

/// Whether a waiver covers a control on a repository, and whether it is still valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaiverState<'a> {
    /// Valid: `today` is on or before `expires` (valid through 23:59:59 UTC that day).
    Active(&'a Waiver),
    /// Matches, but `expires` has passed: the failure counts again.
    Expired(&'a Waiver),
}

impl<'a> WaiverState<'a> {
    /// The waiver, active or expired.
    pub fn waiver(self) -> &'a Waiver {
        match self {
            WaiverState::Active(w) | WaiverState::Expired(w) => w,
        }
    }

    /// True for an active waiver.
    pub fn is_active(self) -> bool {
        matches!(self, WaiverState::Active(_))
    }
}

/// The waiver for `control_id` on the repository with full name `repo_name` on `today` (a UTC
/// date). An active waiver wins over expired ones; among several, the one expiring last.
pub fn waiver_for<'a>(
    settings: &'a Settings,
    control_id: &str,
    repo_name: &str,
    today: NaiveDate,
) -> Option<WaiverState<'a>> {
    let mut best: Option<&'a Waiver> = None;
    for waiver in &settings.waivers {
        if waiver.control != control_id || !glob_match(&waiver.repo, repo_name) {
            continue;
        }
        if best.is_none_or(|b| waiver.expires > b.expires) {
            best = Some(waiver);
        }
    }
    best.map(|w| {
        if today <= w.expires {
            WaiverState::Active(w)
        } else {
            WaiverState::Expired(w)
        }
    })
}

/// [`waiver_for`] at an instant: the waiver is valid through 23:59:59 UTC of its `expires` day.
pub fn waiver_at<'a>(
    settings: &'a Settings,
    control_id: &str,
    repo_name: &str,
    now: DateTime<Utc>,
) -> Option<WaiverState<'a>> {
    waiver_for(settings, control_id, repo_name, now.date_naive())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn waiver(control: &str, repo: &str, expires: (i32, u32, u32)) -> Waiver {
        Waiver {
            control: control.into(),
            repo: repo.into(),
            owner: "platform-team".into(),
            reason: "migrating".into(),
            expires: NaiveDate::from_ymd_opt(expires.0, expires.1, expires.2).unwrap(),
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn active_through_the_expiry_day_then_expired() {
        let mut s = Settings::default();
        s.waivers
            .push(waiver("signed-commits", "acme/legacy-*", (2027, 3, 31)));
        let on_day = waiver_for(
            &s,
            "signed-commits",
            "acme/legacy-billing",
            day(2027, 3, 31),
        );
        assert!(matches!(on_day, Some(WaiverState::Active(w)) if w.owner == "platform-team"));
        let after = waiver_for(&s, "signed-commits", "acme/legacy-billing", day(2027, 4, 1));
        assert!(matches!(after, Some(WaiverState::Expired(_))));
        let last_second = Utc.with_ymd_and_hms(2027, 3, 31, 23, 59, 59).unwrap();
        assert!(
            waiver_at(&s, "signed-commits", "acme/legacy-x", last_second)
                .is_some_and(WaiverState::is_active)
        );
        let next_second = Utc.with_ymd_and_hms(2027, 4, 1, 0, 0, 0).unwrap();
        assert!(
            !waiver_at(&s, "signed-commits", "acme/legacy-x", next_second)
                .is_some_and(WaiverState::is_active)
        );
    }

    #[test]
    fn control_and_full_name_glob_must_match() {
        let mut s = Settings::default();
        s.waivers
            .push(waiver("signed-commits", "acme/legacy-*", (2027, 3, 31)));
        assert_eq!(
            waiver_for(&s, "codeowners", "acme/legacy-a", day(2027, 1, 1)),
            None
        );
        assert_eq!(
            waiver_for(&s, "signed-commits", "acme/api", day(2027, 1, 1)),
            None
        );
        // The glob is matched against the full name, not the short name.
        assert_eq!(
            waiver_for(&s, "signed-commits", "other/legacy-a", day(2027, 1, 1)),
            None
        );
    }

    #[test]
    fn active_waiver_wins_over_expired_one() {
        let mut s = Settings::default();
        s.waivers.push(waiver("codeowners", "acme/*", (2026, 1, 1)));
        s.waivers
            .push(waiver("codeowners", "acme/api", (2026, 12, 31)));
        let state = waiver_for(&s, "codeowners", "acme/api", day(2026, 6, 1)).unwrap();
        assert!(state.is_active());
        assert_eq!(state.waiver().expires, day(2026, 12, 31));
        let other = waiver_for(&s, "codeowners", "acme/web", day(2026, 6, 1)).unwrap();
        assert!(matches!(other, WaiverState::Expired(_)));
    }
}
