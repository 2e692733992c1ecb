//! The real `posture` binary: snapshot selection, `report` formats and filters, completions.
//! Every run gets empty temporary cache and config dirs, so the user's own files never matter.

use std::collections::BTreeSet;
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

/// Temporary cache and config dirs for one test.
struct Env {
    cache: TempDir,
    config: TempDir,
}

impl Env {
    fn new() -> Self {
        Self {
            cache: TempDir::new().expect("temp cache dir"),
            config: TempDir::new().expect("temp config dir"),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_posture"))
            .args(args)
            .env("POSTURE_CACHE_DIR", self.cache.path())
            .env("POSTURE_CONFIG_DIR", self.config.path())
            .env("NO_COLOR", "1")
            .env_remove("GITHUB_TOKEN")
            .env_remove("GH_TOKEN")
            .env_remove("GITLAB_TOKEN")
            .output()
            .expect("run posture")
    }

    fn config(&self, toml: &str) {
        std::fs::write(self.config.path().join("config.toml"), toml).expect("write config.toml");
    }

    /// `report ARGS --format json`, asserting success, parsed.
    fn report_json(&self, args: &[&str]) -> Value {
        let mut all = vec!["report"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--format", "json"]);
        let out = self.run(&all);
        assert_eq!(code(&out), 0, "report {args:?} failed: {}", stderr(&out));
        serde_json::from_slice(&out.stdout).expect("report is JSON")
    }
}

fn code(out: &Output) -> i32 {
    out.status
        .code()
        .expect("exit code (not killed by a signal)")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn repos(report: &Value) -> &Vec<Value> {
    report["repos"].as_array().expect("repos is an array")
}

fn names(report: &Value) -> Vec<String> {
    repos(report)
        .iter()
        .map(|r| r["name"].as_str().expect("repo name").to_owned())
        .collect()
}

fn short(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// The control ids of the catalog, as `report` lists them for the first repository.
fn catalog_ids(report: &Value) -> Vec<String> {
    repos(report)[0]["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .map(|c| c["id"].as_str().expect("control id").to_owned())
        .collect()
}

#[test]
fn demo_json_report_matches_the_v1_contract() {
    for demo in ["github", "gitlab"] {
        let env = Env::new();
        let report = env.report_json(&["--demo", demo]);
        assert_eq!(report["schema"], "posture.report/v1");
        let snap = &report["snapshot"];
        assert_eq!(snap["provider"], demo);
        assert!(snap["org"].as_str().is_some_and(|o| !o.is_empty()));
        assert!(
            snap["taken_at"]
                .as_str()
                .is_some_and(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok()),
            "taken_at is RFC 3339: {}",
            snap["taken_at"]
        );
        assert!(snap["path"].is_null(), "the demo has no path");

        let statuses = ["pass", "fail", "unknown", "not_applicable"];
        let org_controls = report["org_controls"].as_array().expect("org_controls");
        let org_ids: BTreeSet<&str> = org_controls
            .iter()
            .map(|c| c["id"].as_str().expect("org control id"))
            .collect();
        for id in [
            "org-secret-scanning-default",
            "org-token-read-default",
            "org-runner-groups-scoped",
            "org-oidc-subject",
        ] {
            assert!(org_ids.contains(id), "org control {id} missing");
        }
        for c in org_controls {
            assert!(
                statuses.contains(&c["status"].as_str().unwrap_or("")),
                "{c}"
            );
            assert!(c["evidence"].is_string(), "{c}");
        }

        let repos = repos(&report);
        assert!(repos.len() > 1, "the demo has several repositories");
        let ids = catalog_ids(&report);
        let unique: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "each control once");
        for id in [
            "branch-protected",
            "oidc-federation",
            "secret-scanning",
            "codeowners",
        ] {
            assert!(
                unique.contains(&id.to_owned()),
                "catalog control {id} missing"
            );
        }

        let mut seen_archived = false;
        let mut last_rank = 0;
        for repo in repos {
            let name = repo["name"].as_str().expect("name");
            let controls: Vec<&str> = repo["controls"]
                .as_array()
                .expect("controls")
                .iter()
                .map(|c| c["id"].as_str().expect("id"))
                .collect();
            assert_eq!(controls, ids, "{name}: every catalog control exactly once");
            for c in repo["controls"].as_array().expect("controls") {
                let status = c["status"].as_str().expect("status");
                assert!(statuses.contains(&status), "{name}: {c}");
                assert!(c["evidence"].is_string(), "{name}: {c}");
                assert_eq!(c["fixable"], false, "no fixes in this build");
                assert!(
                    ["identity", "branch", "secrets", "isolation", "policy"]
                        .contains(&c["band"].as_str().unwrap_or("")),
                    "{name}: {c}"
                );
                assert!(
                    ["info", "low", "medium", "high"]
                        .contains(&c["severity"].as_str().unwrap_or("")),
                    "{name}: {c}"
                );
                if status == "unknown" {
                    assert!(
                        c["reason"].is_string(),
                        "{name}: unknown carries a reason: {c}"
                    );
                }
            }
            assert!(
                ["public", "private", "internal"]
                    .contains(&repo["visibility"].as_str().unwrap_or("")),
                "{name}"
            );
            let traffic = &repo["traffic"];
            for key in ["views_14d", "uniques_14d", "clones_14d", "fetches_30d"] {
                assert!(
                    traffic[key].is_null() || traffic[key].is_u64(),
                    "{name}: {key}"
                );
            }
            assert!(
                traffic["stars"].is_u64() && traffic["forks"].is_u64(),
                "{name}"
            );
            assert!(
                ["traffic", "statistics", "fallback"]
                    .contains(&traffic["source"].as_str().unwrap_or("")),
                "{name}"
            );
            if repo["archived"] == true {
                seen_archived = true;
                assert!(
                    repo["rank"].is_null(),
                    "{name}: archived repos are unranked"
                );
                for c in repo["controls"].as_array().expect("controls") {
                    assert_eq!(c["status"], "not_applicable", "{name}: archived: {c}");
                }
            } else {
                assert!(!seen_archived, "{name}: ranked repo after an archived one");
                let rank = repo["rank"].as_u64().expect("ranked repos have a rank");
                assert_eq!(rank, last_rank + 1, "{name}: ranks are 1, 2, 3, … in order");
                last_rank = rank;
            }
        }

        let rollout = report["rollout"].as_array().expect("rollout");
        let steps: Vec<u64> = rollout.iter().filter_map(|s| s["step"].as_u64()).collect();
        assert_eq!(steps, [1, 2, 3, 4]);
        let all: BTreeSet<String> = names(&report).into_iter().collect();
        for s in rollout {
            let (done, total) = (
                s["done"].as_u64().expect("done"),
                s["total"].as_u64().expect("total"),
            );
            assert!(done <= total, "{s}");
            assert!(
                s["id"].is_string() && s["title"].is_string() && s["complete"].is_boolean(),
                "{s}"
            );
            for b in s["blocking"].as_array().expect("blocking") {
                assert!(
                    all.contains(b.as_str().unwrap_or("")),
                    "blocking names a repo: {s}"
                );
            }
        }
        let ids: Vec<&str> = rollout.iter().filter_map(|s| s["id"].as_str()).collect();
        assert_eq!(
            ids,
            [
                "oidc-first-account",
                "protect-top-10",
                "secret-scanning-org-wide",
                "ephemeral-runners"
            ]
        );
    }
}

#[test]
fn the_github_demo_has_an_archived_repo_listed_last() {
    let env = Env::new();
    let report = env.report_json(&["--demo"]);
    let repos = repos(&report);
    let archived = repos.iter().filter(|r| r["archived"] == true).count();
    assert!(archived > 0, "the demo shows an archived repository");
    assert!(
        repos[repos.len() - archived..]
            .iter()
            .all(|r| r["archived"] == true)
    );
}

#[test]
fn repo_globs_and_top_filter_the_report() {
    let env = Env::new();
    let full = env.report_json(&["--demo"]);
    let all = names(&full);
    let org = full["snapshot"]["org"].as_str().expect("org").to_owned();

    // A short name selects exactly that repository.
    let pick = all[1].clone();
    let one = env.report_json(&["--demo", "--repo", short(&pick)]);
    assert_eq!(names(&one), std::slice::from_ref(&pick));
    // So does the full name; and rank is the org-wide rank, not 1.
    let one = env.report_json(&["--demo", "--repo", &pick]);
    assert_eq!(names(&one), std::slice::from_ref(&pick));
    assert_eq!(repos(&one)[0]["rank"], repos(&full)[1]["rank"]);

    // `org/*` keeps everything, in the same order.
    assert_eq!(
        names(&env.report_json(&["--demo", "--repo", &format!("{org}/*")])),
        all
    );

    // A prefix glob keeps exactly the matching repositories.
    let first = short(&all[0]);
    let prefix: String = first.chars().take(3).collect();
    let glob = format!("{prefix}*");
    let expected: Vec<String> = all
        .iter()
        .filter(|n| short(n).starts_with(&prefix))
        .cloned()
        .collect();
    assert_eq!(
        names(&env.report_json(&["--demo", "--repo", &glob])),
        expected
    );

    // Two patterns are a union.
    let two = env.report_json(&["--demo", "--repo", short(&all[0]), "--repo", short(&all[2])]);
    assert_eq!(names(&two), [all[0].clone(), all[2].clone()]);

    // --top keeps the first N ranked repositories.
    let top = env.report_json(&["--demo", "--top", "3"]);
    assert_eq!(names(&top), all[..3].to_vec());
    let ranks: Vec<u64> = repos(&top)
        .iter()
        .filter_map(|r| r["rank"].as_u64())
        .collect();
    assert_eq!(ranks, [1, 2, 3]);
    // The rollout stays org-wide.
    assert_eq!(top["rollout"], full["rollout"]);

    // A glob that matches nothing is an input error, not an empty report.
    let out = env.run(&["report", "--demo", "--repo", "no-such-repo-*"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("no-such-repo-*"), "{}", stderr(&out));
}

#[test]
fn no_selector_and_an_empty_cache_is_exit_2_with_a_hint() {
    let env = Env::new();
    for format in ["text", "json"] {
        let out = env.run(&["report", "--format", format]);
        assert_eq!(code(&out), 2, "{}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("posture sync"), "hint names sync: {err}");
        assert!(err.contains("--demo"), "hint names --demo: {err}");
        assert!(out.stdout.is_empty(), "nothing on stdout, no silent demo");
    }
}

#[test]
fn unknown_org_is_exit_2_naming_the_sync_command() {
    let env = Env::new();
    let out = env.run(&["report", "--org", "unknown-org-xyz"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("posture sync github --org unknown-org-xyz"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_missing_snapshot_file_is_exit_2() {
    let env = Env::new();
    let missing = env.cache.path().join("nope.json");
    let out = env.run(&[
        "report",
        "--snapshot",
        missing.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(!stderr(&out).is_empty());
}

#[test]
fn exported_demo_reads_back_as_a_snapshot_file_with_its_path() {
    let env = Env::new();
    let export = env.run(&["demo", "--export"]);
    assert_eq!(code(&export), 0, "demo --export: {}", stderr(&export));
    let path = env.cache.path().join("acme.json");
    std::fs::write(&path, &export.stdout).expect("write export");
    let from_file = env.report_json(&["--snapshot", path.to_str().expect("utf-8 path")]);
    let demo = env.report_json(&["--demo"]);
    assert_eq!(from_file["snapshot"]["path"], path.display().to_string());
    assert_eq!(from_file["repos"], demo["repos"]);
    assert_eq!(from_file["rollout"], demo["rollout"]);
}

#[test]
fn markdown_is_an_evidence_pack() {
    let env = Env::new();
    let json = env.report_json(&["--demo"]);
    let out = env.run(&["report", "--demo", "--format", "markdown"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let md = stdout(&out);
    let org = json["snapshot"]["org"].as_str().expect("org");
    assert!(md.starts_with("# "), "a document title");
    assert!(md.contains(org));
    assert!(md.contains("API host"));
    assert!(md.contains("https://"), "the API host itself");
    assert!(md.contains("2026-"), "the snapshot time");
    assert!(md.contains("Synced by"));
    assert!(md.contains(&format!("posture {}", env!("CARGO_PKG_VERSION"))));
    assert!(md.contains("| Step | Id | Title | Progress | Complete | Effort | Blocking |"));
    for s in json["rollout"].as_array().expect("rollout") {
        let row = format!("| {} | `{}` |", s["step"], s["id"].as_str().expect("id"));
        assert!(md.contains(&row), "rollout row {row}");
    }
    for c in json["org_controls"].as_array().expect("org") {
        assert!(md.contains(&format!("`{}`", c["id"].as_str().expect("id"))));
    }
    for id in catalog_ids(&json) {
        assert!(
            md.contains(&format!("#### `{id}`")),
            "a section per control: {id}"
        );
    }
    // A summary row per repository, in rank order, before the per-control sections.
    let summary = &md[md.find("## Repositories\n").expect("summary")..];
    let summary = &summary[..summary
        .find("## Repository controls")
        .expect("controls after")];
    let mut at = 0;
    for name in names(&json) {
        let row = format!("| {name} |");
        let pos = summary[at..].find(&row).map(|p| p + at);
        assert!(pos.is_some(), "summary row for {name}, in rank order");
        at = pos.unwrap_or(at);
    }

    // --top limits the repositories of every control table.
    let top = env.run(&["report", "--demo", "--format", "markdown", "--top", "2"]);
    let top_md = stdout(&top);
    let all = names(&json);
    assert!(top_md.contains(&format!("| {} |", all[0])));
    assert!(!top_md.contains(&format!("| {} |", all[2])));
}

#[test]
fn text_report_has_header_rollout_and_glyphs_without_escapes() {
    let env = Env::new();
    let json = env.report_json(&["--demo"]);
    let out = env.run(&["report", "--demo"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains(json["snapshot"]["org"].as_str().expect("org")));
    assert!(text.contains("github"));
    assert!(text.contains("Rollout") && text.contains("oidc-first-account"));
    assert!(text.contains("Org controls"));
    assert!(text.contains("#1 "), "rank 1 shown");
    assert!(text.contains('✓') || text.contains('✗'));
    assert!(
        !text.contains('\u{1b}'),
        "no escape sequences with NO_COLOR"
    );
}

#[test]
fn config_exclude_removes_repositories() {
    let env = Env::new();
    let full = env.report_json(&["--demo"]);
    let all = names(&full);
    let victim = all[0].clone();
    env.config(&format!("exclude = [\"{}\"]\n", short(&victim)));
    let scoped = env.report_json(&["--demo"]);
    let left = names(&scoped);
    assert!(!left.contains(&victim), "{victim} excluded");
    assert_eq!(left.len(), all.len() - 1);
    // The next repository moves up to rank 1.
    assert_eq!(repos(&scoped)[0]["rank"], 1);

    // A glob on the full name works too.
    let org = full["snapshot"]["org"].as_str().expect("org");
    env.config(&format!("exclude = [\"{org}/*\"]\n"));
    assert!(names(&env.report_json(&["--demo"])).is_empty());
}

#[test]
fn a_broken_config_is_exit_2() {
    let env = Env::new();
    env.config("exclude = [\"unclosed\n");
    let out = env.run(&["report", "--demo"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("config.toml"), "{}", stderr(&out));
}

#[test]
fn waived_failures_carry_owner_and_expiry() {
    let env = Env::new();
    let full = env.report_json(&["--demo"]);
    // Find any failing control on any repo and waive exactly that one.
    let Some((repo, control)) = repos(&full).iter().find_map(|r| {
        r["controls"].as_array()?.iter().find_map(|c| {
            (c["status"] == "fail").then(|| {
                (
                    r["name"].as_str().unwrap_or_default().to_owned(),
                    c["id"].as_str().unwrap_or_default().to_owned(),
                )
            })
        })
    }) else {
        panic!("the demo has at least one failing control");
    };
    env.config(&format!(
        "[[waiver]]\ncontrol = \"{control}\"\nrepo = \"{repo}\"\nowner = \"platform-team\"\n\
         reason = \"migrating\"\nexpires = 2999-12-31\n\n\
         [[waiver]]\ncontrol = \"{control}\"\nrepo = \"nothing-matches-this\"\nowner = \"x\"\n\
         reason = \"y\"\nexpires = 2000-01-01\n"
    ));
    let report = env.report_json(&["--demo", "--repo", &repo]);
    let c = repos(&report)[0]["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .find(|c| c["id"] == control.as_str())
        .cloned()
        .expect("the control");
    assert_eq!(c["status"], "fail", "a waiver does not change the verdict");
    assert_eq!(c["waiver"]["owner"], "platform-team");
    assert_eq!(c["waiver"]["expires"], "2999-12-31");
    assert!(
        c["waiver"].get("expired").is_none(),
        "an active waiver: {c}"
    );
    // Passing controls never carry a waiver.
    for other in repos(&report)[0]["controls"].as_array().expect("controls") {
        if other["status"] != "fail" {
            assert!(other.get("waiver").is_none(), "{other}");
        }
    }

    // An expired waiver is shown as expired, and the text report says so.
    env.config(&format!(
        "[[waiver]]\ncontrol = \"{control}\"\nrepo = \"{repo}\"\nowner = \"old-team\"\n\
         reason = \"was migrating\"\nexpires = 2001-01-31\n"
    ));
    let report = env.report_json(&["--demo", "--repo", &repo]);
    let c = repos(&report)[0]["controls"]
        .as_array()
        .expect("controls")
        .iter()
        .find(|c| c["id"] == control.as_str())
        .cloned()
        .expect("the control");
    assert_eq!(c["status"], "fail");
    assert_eq!(c["waiver"]["owner"], "old-team");
    assert_eq!(c["waiver"]["expires"], "2001-01-31");
    assert_eq!(c["waiver"]["expired"], true);
    let text = stdout(&env.run(&["report", "--demo", "--repo", &repo]));
    assert!(
        text.contains("EXPIRED waiver: old-team, until 2001-01-31"),
        "{text}"
    );
}

#[test]
fn sarif_and_opa_input_are_json_or_not_available() {
    let env = Env::new();
    for format in ["sarif", "opa-input"] {
        let out = env.run(&["report", "--demo", "--format", format]);
        if code(&out) == 0 {
            // Implemented: a JSON document, or JSON Lines (one document per repository).
            let text = stdout(&out);
            let whole: Result<Value, _> = serde_json::from_str(&text);
            let lines = text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .all(|l| serde_json::from_str::<Value>(l).is_ok());
            assert!(
                whole.is_ok() || (lines && !text.trim().is_empty()),
                "{format} is JSON"
            );
        } else {
            assert_eq!(code(&out), 2, "{format}: {}", stderr(&out));
        }
    }
}

#[test]
fn completions_print_for_every_shell() {
    let env = Env::new();
    for (shell, marker) in [
        ("bash", "_posture()"),
        ("zsh", "#compdef posture"),
        ("fish", "complete -c posture"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = env.run(&["completions", shell]);
        assert_eq!(code(&out), 0, "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        assert!(script.contains(marker), "{shell} script has {marker}");
        assert!(
            script.contains("report"),
            "{shell} script knows the report subcommand"
        );
    }
    let out = env.run(&["completions", "tcsh"]);
    assert_eq!(code(&out), 2, "an unknown shell is a usage error");
}

#[test]
fn the_newest_cached_snapshot_is_used_without_a_selector() {
    let env = Env::new();
    let store = posture::store::Store::at(env.cache.path());
    let mut older = posture::demo::embedded(posture::cli::DemoKind::Github);
    older.taken_at -= chrono::Duration::days(7);
    let newer = posture::demo::embedded(posture::cli::DemoKind::Github);
    let gitlab = posture::demo::embedded(posture::cli::DemoKind::Gitlab);
    let mut gitlab_older = gitlab.clone();
    gitlab_older.taken_at = newer.taken_at - chrono::Duration::days(30);
    store.save(&older).expect("save older");
    let newer_path = store.save(&newer).expect("save newer");
    let gitlab_path = store.save(&gitlab_older).expect("save gitlab");

    let report = env.report_json(&[]);
    assert_eq!(report["snapshot"]["path"], newer_path.display().to_string());
    assert_eq!(
        report["snapshot"]["taken_at"],
        serde_json::to_value(newer.taken_at).expect("time")
    );

    // --org picks that org's newest, case-insensitively.
    let org = gitlab.org.to_uppercase();
    let report = env.report_json(&["--org", &org]);
    assert_eq!(
        report["snapshot"]["path"],
        gitlab_path.display().to_string()
    );
    assert_eq!(report["snapshot"]["provider"], "gitlab");
}

#[test]
fn repo_globs_match_paths_below_a_gitlab_group() {
    let env = Env::new();
    let full = env.report_json(&["--demo", "gitlab"]);
    let org = full["snapshot"]["org"].as_str().expect("org").to_owned();
    let all = names(&full);
    // A project in a subgroup: `group/sub/project`.
    let Some(nested) = all
        .iter()
        .find(|n| {
            n.strip_prefix(&format!("{org}/"))
                .is_some_and(|r| r.contains('/'))
        })
        .cloned()
    else {
        panic!("the GitLab demo has projects in subgroups");
    };
    let relative = nested[org.len() + 1..].to_owned();
    let subgroup = relative.split('/').next().expect("subgroup").to_owned();
    let glob = format!("{subgroup}/*");
    let expected: Vec<String> = all
        .iter()
        .filter(|n| n.starts_with(&format!("{org}/{subgroup}/")))
        .cloned()
        .collect();
    assert!(expected.contains(&nested));
    assert_eq!(
        names(&env.report_json(&["--demo", "gitlab", "--repo", &glob])),
        expected
    );
    assert_eq!(
        names(&env.report_json(&["--demo", "gitlab", "--repo", &relative])),
        std::slice::from_ref(&nested)
    );
}

#[test]
fn platform_text_cannot_inject_terminal_escapes() {
    let env = Env::new();
    let export = env.run(&["demo", "--export"]);
    assert_eq!(code(&export), 0, "{}", stderr(&export));
    let mut snapshot: Value = serde_json::from_slice(&export.stdout).expect("snapshot JSON");
    let evil = "\u{1b}]0;pwned\u{7}\u{1b}[2Jevil\u{202e}txt.exe\u{9b}31m";
    let repo = &mut snapshot["repos"][0];
    let name = format!("{}{evil}", repo["name"].as_str().expect("name"));
    repo["name"] = Value::String(name);
    repo["description"] = Value::String(evil.to_owned());
    snapshot["synced_by"] = Value::String(format!("mallory{evil}"));
    let path = env.cache.path().join("evil.json");
    std::fs::write(&path, serde_json::to_vec(&snapshot).expect("encode")).expect("write");
    let path = path.to_str().expect("utf-8 path");

    for format in ["text", "markdown"] {
        let out = env.run(&["report", "--snapshot", path, "--format", format]);
        assert_eq!(code(&out), 0, "{format}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("evil"), "{format}: the visible text stays");
        for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
            assert!(!text.contains(bad), "{format}: {bad:?} stripped");
        }
    }
    // JSON keeps the text verbatim but escaped, so it is still safe to print.
    let out = env.run(&["report", "--snapshot", path, "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        !stdout(&out).contains('\u{1b}'),
        "JSON escapes control characters"
    );
}
