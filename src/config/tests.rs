//! Tests of `config.toml` parsing, scope and loading.

use chrono::NaiveDate;

use super::*;
use crate::model::{Repo, Visibility};

#[test]
fn empty_file_gives_defaults() {
    let settings = Settings::from_toml("").unwrap();
    assert_eq!(settings, Settings::default());
    assert_eq!(settings.min_approvals, 1);
    assert_eq!(settings.rotation_days, 90);
    assert_eq!(settings.keep_snapshots, 30);
}

#[test]
fn full_file_with_waivers_parses() {
    let text = r#"
min_approvals = 2
rotation_days = 30
production_environments = ["prod*", "live"]
extra_static_key_names = ["DO_TOKEN"]
ephemeral_runner_labels = ["arc-scale-set"]
exclude = ["sandbox-*"]
include_forks = true
exclude_topics = ["deprecated"]
keep_snapshots = 5

[[waiver]]
control = "signed-commits"
repo = "acme/legacy-*"
owner = "platform-team"
reason = "migrating to rulesets in Q1"
expires = 2027-03-31
"#;
    let s = Settings::from_toml(text).unwrap();
    assert_eq!(s.min_approvals, 2);
    assert_eq!(s.rotation_days, 30);
    assert_eq!(s.production_environments, vec!["prod*", "live"]);
    assert_eq!(s.release_patterns, Settings::default().release_patterns);
    assert!(s.include_forks);
    assert_eq!(s.keep_snapshots, 5);
    assert_eq!(s.waivers.len(), 1);
    assert_eq!(s.waivers[0].control, "signed-commits");
    assert_eq!(
        s.waivers[0].expires,
        NaiveDate::from_ymd_opt(2027, 3, 31).unwrap()
    );
}

#[test]
fn unknown_key_names_its_line() {
    let text = "min_approvals = 1\n\n# comment\nrotation_dayz = 3\n";
    let err = Settings::from_toml(text).unwrap_err();
    assert_eq!(err.line, Some(4));
    let shown = err.to_string();
    assert!(shown.starts_with("config.toml:4: "), "{shown}");
    assert!(shown.contains("unknown field"), "{shown}");
    assert!(!shown.contains('\n'), "one line: {shown}");
}

#[test]
fn unknown_waiver_key_and_wrong_type_name_their_lines() {
    let text = "[[waiver]]\ncontrol = \"x\"\nrepo = \"a/*\"\nowner = \"o\"\nreason = \"r\"\nexpires = 2027-01-01\nticket = 5\n";
    let err = Settings::from_toml(text).unwrap_err();
    assert_eq!(err.line, Some(7), "{err}");
    let err = Settings::from_toml("min_approvals = \"two\"\n").unwrap_err();
    assert_eq!(err.line, Some(1), "{err}");
}

#[test]
fn bad_expiry_and_bad_glob_are_errors_with_lines() {
    let text = "[[waiver]]\ncontrol = \"x\"\nrepo = \"a/*\"\nowner = \"o\"\nreason = \"r\"\nexpires = 2027-01-01T10:00:00Z\n";
    let err = Settings::from_toml(text).unwrap_err();
    assert!(err.to_string().contains("expires"), "{err}");
    assert!(err.line.is_some(), "{err}");
    let err = Settings::from_toml("\nexclude = [\"sandbox-[\"]\n").unwrap_err();
    assert_eq!(err.line, Some(2), "{err}");
    assert!(err.to_string().contains("invalid glob"), "{err}");
    let err = Settings::from_toml("min_approvals = 0\n").unwrap_err();
    assert_eq!(err.line, Some(1), "{err}");
}

#[test]
fn expiry_as_string_round_trips() {
    let mut s = Settings::default();
    s.waivers.push(Waiver {
        control: "codeowners".into(),
        repo: "acme/*".into(),
        owner: "me".into(),
        reason: "why".into(),
        expires: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
    });
    let text = toml::to_string(&s).unwrap();
    assert_eq!(Settings::from_toml(&text).unwrap(), s);
}

#[test]
fn scope_excludes_globs_forks_and_topics() {
    let s = Settings::from_toml(
        "exclude = [\"sandbox-*\", \"acme/tmp\"]\nexclude_topics = [\"deprecated\"]\n",
    )
    .unwrap();
    let repo = Repo::new("acme/api", Visibility::Private, "main");
    assert!(s.in_scope(&repo));
    assert!(!s.in_scope(&Repo::new("acme/sandbox-1", Visibility::Private, "main")));
    assert!(!s.in_scope(&Repo::new("acme/tmp", Visibility::Private, "main")));
    let mut fork = repo.clone();
    fork.fork = true;
    assert!(!s.in_scope(&fork));
    let with_forks = Settings {
        include_forks: true,
        ..s.clone()
    };
    assert!(with_forks.in_scope(&fork));
    let mut topical = repo.clone();
    topical.topics = vec!["Deprecated".into()];
    assert!(!s.in_scope(&topical));
}

#[test]
fn load_from_missing_file_is_defaults_and_bad_file_names_path_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(CONFIG_FILE);
    assert_eq!(load_from(&path).unwrap(), Settings::default());
    std::fs::write(&path, "rotation_days = 30\nbogus = 1\n").unwrap();
    let err = load_from(&path).unwrap_err();
    assert!(matches!(err, ConfigError::Invalid(_)), "{err:?}");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("{}:2: ", path.display())),
        "{message}"
    );
}

#[test]
fn non_date_expiry_says_what_is_expected() {
    let text =
        "[[waiver]]\ncontrol = \"x\"\nrepo = \"a/*\"\nowner = \"o\"\nreason = \"r\"\nexpires = 5\n";
    let err = Settings::from_toml(text).unwrap_err();
    assert_eq!(
        err.to_string(),
        "config.toml:6: expires must be a date like 2027-03-31"
    );
}
