//! Effective protection of a GitHub branch: classic protection merged with every ruleset
//! (repo and org level) that targets it, and the fnmatch-style globs rulesets and branch
//! protection rules use. Pure and allocation-light: it runs once per repository.

use crate::model::{ClassicProtection, Enforcement, Fact, Patterns, Repo, Ruleset, Unreadable};

/// The rulesets that apply to one repository (target `branch`, repository condition met,
/// not disabled), and the ruleset sources that could not be read.
#[derive(Debug, Clone, Default)]
pub struct RepoRulesets<'a> {
    /// Active or evaluate-mode branch rulesets whose repository condition matches.
    pub rulesets: Vec<&'a Ruleset>,
    /// Unreadable sources: (`repo rulesets` or `org rulesets`, why).
    pub unreadable: Vec<(&'static str, &'a Unreadable)>,
}

impl<'a> RepoRulesets<'a> {
    /// Collect the repo's own rulesets and the org rulesets whose `repository_name`
    /// condition matches the repo's short name. A ruleset listed twice (an org ruleset
    /// also returned by the repo endpoint) is kept once.
    pub fn of(org_rulesets: &'a Fact<Vec<Ruleset>>, repo: &'a Repo) -> Self {
        let mut out = RepoRulesets::default();
        let short = repo.short_name();
        for (what, fact) in [
            ("repo rulesets", &repo.rulesets),
            ("org rulesets", org_rulesets),
        ] {
            match fact {
                Fact::Known(list) => {
                    for rs in list {
                        let duplicate = out
                            .rulesets
                            .iter()
                            .any(|seen| seen.id == rs.id && seen.source == rs.source);
                        if rs.enforcement != Enforcement::Disabled
                            && rs.target == "branch"
                            && !duplicate
                            && repo_matches(rs.repository_name.as_ref(), short)
                        {
                            out.rulesets.push(rs);
                        }
                    }
                }
                Fact::Unreadable(why) => out.unreadable.push((what, why)),
            }
        }
        out
    }

    /// Active rulesets only.
    pub fn active(&self) -> impl Iterator<Item = &'a Ruleset> + '_ {
        self.rulesets
            .iter()
            .copied()
            .filter(|rs| rs.enforcement == Enforcement::Active)
    }
}

/// Effective protection of one branch (the default branch).
#[derive(Debug, Clone)]
pub struct Effective<'a> {
    /// Branch name.
    pub branch: &'a str,
    /// Classic protection as read (`Known(None)`: not protected).
    pub classic: &'a Fact<Option<ClassicProtection>>,
    /// Active rulesets that target the branch: they count.
    pub active: Vec<&'a Ruleset>,
    /// Evaluate-mode rulesets that target the branch: shown, not counted.
    pub evaluate: Vec<&'a Ruleset>,
    /// Ruleset sources that could not be read.
    pub unreadable_rulesets: Vec<(&'static str, &'a Unreadable)>,
}

impl<'a> Effective<'a> {
    /// Effective protection of `repo`'s default branch.
    pub fn of(org_rulesets: &'a Fact<Vec<Ruleset>>, repo: &'a Repo) -> Self {
        Self::from_rulesets(RepoRulesets::of(org_rulesets, repo), repo)
    }

    /// Effective protection of `repo`'s default branch from already collected rulesets.
    pub fn from_rulesets(rulesets: RepoRulesets<'a>, repo: &'a Repo) -> Self {
        let branch = repo.default_branch.as_str();
        let mut active = Vec::new();
        let mut evaluate = Vec::new();
        for rs in rulesets.rulesets {
            if !ref_matches(&rs.ref_name, branch, branch) {
                continue;
            }
            match rs.enforcement {
                Enforcement::Active => active.push(rs),
                Enforcement::Evaluate => evaluate.push(rs),
                Enforcement::Disabled => {}
            }
        }
        Self {
            branch,
            classic: &repo.classic_protection,
            active,
            evaluate,
            unreadable_rulesets: rulesets.unreadable,
        }
    }
}

/// Does a ruleset's `repository_name` condition include this repository (short name)?
/// No condition (repo rulesets) includes it; names compare case-insensitively, as GitHub's do.
pub fn repo_matches(condition: Option<&Patterns>, short_name: &str) -> bool {
    let Some(cond) = condition else {
        return true;
    };
    let one = |p: &String| p == "~ALL" || fnmatch(p, short_name, false, true);
    cond.include.iter().any(one) && !cond.exclude.iter().any(one)
}

/// Does a `ref_name` condition include branch `branch` of a repo whose default branch is
/// `default_branch`? `branch` may also be a branch *pattern* (e.g. `release/*`): a ruleset
/// pattern then matches it as text, so `refs/heads/release/*` covers `release/*`.
pub fn ref_matches(cond: &Patterns, branch: &str, default_branch: &str) -> bool {
    let one = |p: &String| ref_pattern_matches(p, branch, default_branch);
    cond.include.iter().any(one) && !cond.exclude.iter().any(one)
}

fn ref_pattern_matches(pattern: &str, branch: &str, default_branch: &str) -> bool {
    match pattern {
        "~ALL" => true,
        "~DEFAULT_BRANCH" => branch == default_branch,
        _ => match branch_pattern(pattern) {
            Some(glob) => fnmatch(glob, branch, true, false),
            None => false,
        },
    }
}

/// The branch part of a ruleset ref pattern: `refs/heads/x` → `x`; other `refs/…` (tags) →
/// `None`; a bare pattern is taken as a branch pattern.
pub fn branch_pattern(pattern: &str) -> Option<&str> {
    if let Some(rest) = pattern.strip_prefix("refs/heads/") {
        Some(rest)
    } else if pattern.starts_with("refs/") || pattern.starts_with('~') {
        None
    } else {
        Some(pattern)
    }
}

/// Longest pattern or text matched; longer input never matches (untrusted text, bounded work).
const MAX_GLOB_LEN: usize = 512;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Lit(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Star,
    DoubleStar,
    DoubleStarSlash,
}

fn tokenize(pattern: &[char]) -> Vec<Tok> {
    let mut toks = Vec::with_capacity(pattern.len());
    let mut i = 0;
    while i < pattern.len() {
        let c = pattern[i];
        i += 1;
        match c {
            '*' => {
                if pattern.get(i) == Some(&'*') {
                    i += 1;
                    while pattern.get(i) == Some(&'*') {
                        i += 1;
                    }
                    if pattern.get(i) == Some(&'/') {
                        i += 1;
                        toks.push(Tok::DoubleStarSlash);
                    } else {
                        toks.push(Tok::DoubleStar);
                    }
                } else {
                    toks.push(Tok::Star);
                }
            }
            '?' => toks.push(Tok::Any),
            '\\' => match pattern.get(i) {
                Some(&next) => {
                    i += 1;
                    toks.push(Tok::Lit(next));
                }
                None => toks.push(Tok::Lit('\\')),
            },
            '[' => match parse_class(pattern, i) {
                Some((tok, next)) => {
                    toks.push(tok);
                    i = next;
                }
                None => toks.push(Tok::Lit('[')),
            },
            other => toks.push(Tok::Lit(other)),
        }
    }
    toks
}

/// Parse `[...]` starting after the `[`; `None` when unterminated (then `[` is literal).
fn parse_class(p: &[char], mut i: usize) -> Option<(Tok, usize)> {
    let negated = matches!(p.get(i), Some('!') | Some('^'));
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    loop {
        let c = *p.get(i)?;
        if c == ']' && !first {
            return Some((Tok::Class(ranges, negated), i + 1));
        }
        first = false;
        let lo = if c == '\\' {
            i += 1;
            *p.get(i)?
        } else {
            c
        };
        i += 1;
        if p.get(i) == Some(&'-') && p.get(i + 1).is_some_and(|&c| c != ']') {
            let hi = *p.get(i + 1)?;
            ranges.push((lo, hi));
            i += 2;
        } else {
            ranges.push((lo, lo));
        }
    }
}

/// fnmatch-style glob match as GitHub rulesets and branch rules use it: `*` (not crossing
/// `/` when `pathname`), `**` (crossing), `**/` (zero or more directories), `?`, `[a-z]`,
/// `[!x]`, `\` escapes. Dynamic programming: linear in pattern × text, never exponential.
pub fn fnmatch(pattern: &str, text: &str, pathname: bool, case_insensitive: bool) -> bool {
    if pattern.len() > MAX_GLOB_LEN || text.len() > MAX_GLOB_LEN {
        return false;
    }
    let eq = |a: &str, b: &str| {
        if case_insensitive {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    // Fast paths for the common shapes (`name`, `prefix*`), without allocation.
    let meta = |s: &str| s.contains(['*', '?', '[', '\\']);
    if !meta(pattern) {
        return eq(pattern, text);
    }
    if let Some(prefix) = pattern.strip_suffix('*')
        && !meta(prefix)
    {
        return text.is_char_boundary(prefix.len().min(text.len()))
            && text.len() >= prefix.len()
            && eq(prefix, &text[..prefix.len()])
            && !(pathname && text[prefix.len()..].contains('/'));
    }
    let fold = |c: char| {
        if case_insensitive {
            c.to_ascii_lowercase()
        } else {
            c
        }
    };
    let pat: Vec<char> = pattern.chars().map(fold).collect();
    let txt: Vec<char> = text.chars().map(fold).collect();
    let toks = tokenize(&pat);
    let n = txt.len();
    // prev[j]: tokens[..i-1] match txt[..j]; cur[j]: tokens[..i] match txt[..j].
    let mut prev = vec![false; n + 1];
    prev[0] = true;
    let mut cur = vec![false; n + 1];
    for tok in &toks {
        let single = |c: char| match tok {
            Tok::Lit(l) => *l == c,
            Tok::Any => !(pathname && c == '/'),
            Tok::Class(ranges, negated) => {
                let hit = ranges
                    .iter()
                    .any(|&(lo, hi)| fold(lo) <= c && c <= fold(hi));
                hit != *negated && !(pathname && c == '/')
            }
            _ => false,
        };
        let mut reach = false; // any prev[k] for k <= j
        for j in 0..=n {
            let before = reach; // any prev[k] for k < j
            reach |= prev[j];
            cur[j] = match tok {
                Tok::Star => prev[j] || (j > 0 && cur[j - 1] && !(pathname && txt[j - 1] == '/')),
                Tok::DoubleStar => reach,
                Tok::DoubleStarSlash => prev[j] || (j > 0 && txt[j - 1] == '/' && before),
                _ => j > 0 && prev[j - 1] && single(txt[j - 1]),
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[n]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnmatch_follows_fnmatch_pathname_rules() {
        assert!(fnmatch("release/*", "release/1.0", true, false));
        assert!(!fnmatch("release/*", "release/1.0/hotfix", true, false));
        assert!(fnmatch("release/*", "release/1.0/hotfix", false, false));
        assert!(fnmatch("release/**", "release/1.0/hotfix", true, false));
        assert!(fnmatch("releases/**/*", "releases/v1", true, false));
        assert!(fnmatch("releases/**/*", "releases/a/b/v1", true, false));
        assert!(fnmatch("v[0-9].?", "v1.x", true, false));
        assert!(!fnmatch("v[!0-9]", "v1", true, false));
        assert!(fnmatch("API-*", "api-gateway", false, true));
        assert!(!fnmatch("API-*", "api-gateway", false, false));
        assert!(fnmatch("main", "main", true, false));
        assert!(!fnmatch("main", "mainline", true, false));
        assert!(fnmatch("a\\*", "a*", true, false));
        assert!(!fnmatch("a\\*", "ab", true, false));
        // An adversarial pattern stays fast and correct.
        let evil = "*a".repeat(60) + "b";
        assert!(!fnmatch(&evil, &"a".repeat(200), false, false));
    }

    #[test]
    fn ref_conditions_understand_default_branch_all_and_excludes() {
        let cond = Patterns {
            include: vec!["~DEFAULT_BRANCH".into(), "refs/heads/release/*".into()],
            exclude: vec!["refs/heads/release/old".into()],
        };
        assert!(ref_matches(&cond, "trunk", "trunk"));
        assert!(!ref_matches(&cond, "main", "trunk"));
        assert!(ref_matches(&cond, "release/1.0", "trunk"));
        assert!(!ref_matches(&cond, "release/old", "trunk"));
        assert!(ref_matches(&cond, "release/*", "trunk"), "pattern as text");
        let all = Patterns {
            include: vec!["~ALL".into()],
            exclude: vec![],
        };
        assert!(ref_matches(&all, "anything", "main"));
        let tags = Patterns {
            include: vec!["refs/tags/*".into()],
            exclude: vec![],
        };
        assert!(!ref_matches(&tags, "main", "main"));
        assert!(!ref_matches(&Patterns::default(), "main", "main"));
    }

    #[test]
    fn repository_conditions_include_and_exclude() {
        let cond = Patterns {
            include: vec!["api-*".into(), "web".into()],
            exclude: vec!["api-legacy".into()],
        };
        assert!(repo_matches(Some(&cond), "api-gateway"));
        assert!(repo_matches(Some(&cond), "Web"));
        assert!(!repo_matches(Some(&cond), "api-legacy"));
        assert!(!repo_matches(Some(&cond), "billing"));
        assert!(repo_matches(None, "billing"));
        let all = Patterns {
            include: vec!["~ALL".into()],
            exclude: vec!["sandbox-*".into()],
        };
        assert!(repo_matches(Some(&all), "billing"));
        assert!(!repo_matches(Some(&all), "sandbox-1"));
    }
}
