//! Loading and evaluating Rego policies with `regorus`: every file is parsed and the engine
//! prepared once; each repository's input is then evaluated against every policy package.
//!
//! A package `data.a.b` with a `deny` (or `violation`) rule becomes control `policy/a.b`.
//! Optional rules in the same package:
//! * `metadata := {"title": "...", "severity": "high", "rationale": "...", "fix": "..."}`
//!   (severity `high`, `medium` (default), `low` or `info`);
//! * `unknown` — a set of reasons: when `deny` is empty and `unknown` is not, the verdict is
//!   `unknown` (the evidence a policy needs could not be read);
//! * `not_applicable` — a string (or `true`): when `deny` and `unknown` are empty, the verdict
//!   is `not_applicable` with that string as evidence.
//!
//! A `deny` entry is a message string, or an object with `msg` (Conftest style) and optionally
//! `path` and `line`, which become the verdict's location.

use std::path::{Path, PathBuf};
use std::time::Duration;

use regorus::{Engine, LimitError, Value};

use super::error::{PolicyError, one_line};
use super::input::POLICY_PREFIX;
pub use super::limits::{DEFAULT_MEMORY_LIMIT, DEFAULT_TIME_LIMIT};
use super::limits::{MemoryCeiling, one_at_a_time, set_time_limit};
use crate::controls::{Band, ControlDef, Location, Scope, Severity, Status, Verdict};

/// One policy package, which becomes one repository control.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The control it becomes (`policy/<package>`).
    pub control: ControlDef,
    /// Files that define the package, as given.
    pub files: Vec<String>,
    /// Rule paths of the failure sets (`data.a.b.deny`, `data.a.b.violation`).
    deny_rules: Vec<String>,
    /// Rule path of the `unknown` set, when declared.
    unknown_rule: Option<String>,
    /// Rule path of `not_applicable`, when declared.
    not_applicable_rule: Option<String>,
    /// Why the policy stopped being evaluated (it ran past the time or memory limit): every later
    /// repository gets `unknown` with this reason instead of another long run.
    stopped: Option<String>,
}

/// Why one rule evaluation stopped.
enum Stop {
    /// The policy exceeded an execution limit: `unknown` for this policy only.
    Limit(String),
    /// Any other runtime error: the policy is broken (an input error).
    Error(PolicyError),
}

/// A compiled set of policies, ready to evaluate one input after another.
pub struct PolicySet {
    engine: Engine,
    policies: Vec<Policy>,
    /// Bytes one rule evaluation may allocate ([`DEFAULT_MEMORY_LIMIT`] unless changed).
    memory_limit: u64,
}

impl std::fmt::Debug for PolicySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicySet")
            .field("policies", &self.policies)
            .finish_non_exhaustive()
    }
}

/// Every `.rego` file under `dir` (recursively, sorted; `*_test.rego` files are OPA unit tests
/// and are skipped), or `dir` itself when it is a file.
pub fn rego_files(dir: &Path) -> Result<Vec<PathBuf>, PolicyError> {
    if dir.is_file() {
        // `--policy one.rego` names a single file.
        return Ok(vec![dir.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|source| PolicyError::ReadDir {
            dir: d.clone(),
            source,
        })?;
        for entry in entries {
            let path = entry
                .map_err(|source| PolicyError::ReadEntry {
                    dir: d.clone(),
                    source,
                })?
                .path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_dir() {
                stack.push(path);
            } else if name.ends_with(".rego") && !name.ends_with("_test.rego") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

impl PolicySet {
    /// Load every policy under `dir`. A directory without `.rego` files is an input error.
    pub fn load_dir(dir: &Path) -> Result<Self, PolicyError> {
        let files = rego_files(dir)?;
        if files.is_empty() {
            return Err(PolicyError::NoFiles {
                dir: dir.to_path_buf(),
            });
        }
        let mut sources = Vec::with_capacity(files.len());
        for file in files {
            let text = std::fs::read_to_string(&file).map_err(|source| PolicyError::ReadFile {
                file: file.clone(),
                source,
            })?;
            sources.push((file.display().to_string(), text));
        }
        Self::from_sources(&sources)
    }

    /// Compile policies from `(file name, text)` pairs. Any syntax or semantic error is an
    /// input error naming the file and line.
    pub fn from_sources(sources: &[(String, String)]) -> Result<Self, PolicyError> {
        let mut engine = Engine::new();
        // `print()` output is collected and printed sanitised (it can echo platform text).
        engine.set_gather_prints(true);
        set_time_limit(&mut engine, DEFAULT_TIME_LIMIT);
        // Packages in first-seen order, with the files that define them.
        let mut packages: Vec<(String, Vec<String>)> = Vec::new();
        for (name, text) in sources {
            let package = add_policy(&mut engine, name, text)?;
            match packages.iter_mut().find(|(p, _)| *p == package) {
                Some((_, files)) => files.push(name.clone()),
                None => packages.push((package, vec![name.clone()])),
            }
        }
        let mut policies = Vec::new();
        for (package, files) in packages {
            let declared = |rule: &str| {
                files
                    .iter()
                    .any(|f| engine.has_declared_rule_rooted_at(f, rule).unwrap_or(false))
            };
            let deny_rules: Vec<String> = ["deny", "violation"]
                .iter()
                .filter(|r| declared(r))
                .map(|r| format!("{package}.{r}"))
                .collect();
            if deny_rules.is_empty() {
                continue; // a helper library package, not a control
            }
            let unknown_rule = declared("unknown").then(|| format!("{package}.unknown"));
            let not_applicable_rule =
                declared("not_applicable").then(|| format!("{package}.not_applicable"));
            let has_metadata = declared("metadata");
            let short = package.strip_prefix("data.").unwrap_or(&package).to_owned();
            let file = files.first().cloned().unwrap_or_default();
            let mut control = ControlDef {
                id: format!("{POLICY_PREFIX}{short}").into(),
                band: Band::Policy,
                severity: Severity::Medium,
                scope: Scope::Repo,
                title: short.clone(),
                rationale: format!("Rego policy {short} ({})", files.join(", ")),
                fix: "Change the repository so that the policy's deny rules no longer match."
                    .into(),
            };
            // Preparing the engine happens on the first evaluation: do it now, on an empty
            // input, so that semantic errors surface at load time with their file and line.
            engine.set_input(Value::new_object());
            for rule in deny_rules
                .iter()
                .chain(&unknown_rule)
                .chain(&not_applicable_rule)
            {
                // A policy too slow on an empty input still loads: its evaluations report it.
                match eval(&mut engine, rule, &file, DEFAULT_MEMORY_LIMIT) {
                    Ok(_) | Err(Stop::Limit(_)) => {}
                    Err(Stop::Error(e)) => return Err(e),
                }
            }
            if has_metadata {
                let meta = match eval(
                    &mut engine,
                    &format!("{package}.metadata"),
                    &file,
                    DEFAULT_MEMORY_LIMIT,
                ) {
                    Ok(meta) => meta,
                    Err(Stop::Limit(why)) => {
                        return Err(PolicyError::MetadataLimit { file, why });
                    }
                    Err(Stop::Error(e)) => return Err(e),
                };
                apply_metadata(&mut control, &meta, &files, sources)?;
            }
            policies.push(Policy {
                control,
                files,
                deny_rules,
                unknown_rule,
                not_applicable_rule,
                stopped: None,
            });
        }
        Ok(Self {
            engine,
            policies,
            memory_limit: DEFAULT_MEMORY_LIMIT,
        })
    }

    /// Change the wall-clock limit of each rule evaluation (default [`DEFAULT_TIME_LIMIT`]).
    pub fn set_time_limit(&mut self, limit: Duration) {
        set_time_limit(&mut self.engine, limit);
    }

    /// Change the memory one rule evaluation may allocate (default [`DEFAULT_MEMORY_LIMIT`]).
    pub fn set_memory_limit(&mut self, bytes: u64) {
        self.memory_limit = bytes;
    }

    /// The loaded policies, in load order.
    pub fn policies(&self) -> &[Policy] {
        &self.policies
    }

    /// True when no file defined a policy package with a `deny`/`violation` rule.
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    /// Evaluate every policy on one input document: one verdict per policy, in order.
    /// A runtime error of a policy is an input error naming the policy; a policy that runs past
    /// the time or memory limit is `unknown` (here and for every later input), the others
    /// unaffected.
    pub fn evaluate(&mut self, input: Value) -> Result<Vec<Verdict>, PolicyError> {
        self.engine.set_input(input);
        let mut out = Vec::with_capacity(self.policies.len());
        for policy in &mut self.policies {
            if policy.stopped.is_none() {
                match verdict_of(&mut self.engine, policy, self.memory_limit) {
                    Ok(verdict) => {
                        out.push(verdict);
                        continue;
                    }
                    Err(Stop::Limit(why)) => policy.stopped = Some(why),
                    Err(Stop::Error(e)) => return Err(e),
                }
            }
            let why = policy.stopped.clone().unwrap_or_default();
            out.push(Verdict::unknown(
                format!("policy not evaluated: {why}"),
                format!("{} {why}", policy.control.id),
            ));
        }
        Ok(out)
    }
}

/// Evaluate `rule` within `memory` bytes; prints it made go to stderr, sanitised. `name`
/// names the policy in errors.
fn eval(engine: &mut Engine, rule: &str, name: &str, memory: u64) -> Result<Value, Stop> {
    let result = {
        let _one_at_a_time = one_at_a_time();
        let _ceiling = MemoryCeiling::set(memory);
        engine.eval_rule(rule.to_owned())
    };
    for line in engine.take_prints().unwrap_or_default() {
        eprintln!("policy print: {}", crate::sanitize::strip_controls(&line));
    }
    result.map_err(|e| match e.downcast_ref::<LimitError>() {
        Some(LimitError::TimeLimitExceeded { limit, .. }) => Stop::Limit(format!(
            "ran longer than the {} s limit",
            limit.as_secs_f64()
        )),
        Some(LimitError::MemoryLimitExceeded { .. }) => Stop::Limit(format!(
            "allocated more than the {} MiB memory limit",
            memory / (1024 * 1024)
        )),
        Some(other) => Stop::Limit(format!("exceeded an execution limit ({other})")),
        None => Stop::Error(bad_policy(name, &e)),
    })
}

/// The verdict of one policy on the engine's current input.
fn verdict_of(engine: &mut Engine, policy: &Policy, memory: u64) -> Result<Verdict, Stop> {
    let id = &policy.control.id;
    let mut messages: Vec<(String, Option<Location>)> = Vec::new();
    for rule in &policy.deny_rules {
        collect_messages(&eval(engine, rule, id, memory)?, &mut messages);
    }
    messages.sort_by(|a, b| a.0.cmp(&b.0));
    messages.dedup_by(|a, b| a.0 == b.0);
    if !messages.is_empty() {
        let evidence = messages
            .iter()
            .map(|(m, _)| m.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        let location = messages.iter().find_map(|(_, l)| l.clone());
        return Ok(Verdict {
            status: Status::Fail,
            evidence: evidence.into(),
            reason: None,
            location: location.map(Box::new),
        });
    }
    if let Some(rule) = &policy.unknown_rule {
        let mut reasons = Vec::new();
        collect_messages(&eval(engine, rule, id, memory)?, &mut reasons);
        if !reasons.is_empty() {
            let reason = reasons
                .iter()
                .map(|(m, _)| m.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            return Ok(Verdict::unknown(
                format!("could not decide: {reason}"),
                reason,
            ));
        }
    }
    if let Some(rule) = &policy.not_applicable_rule {
        let why = match &eval(engine, rule, id, memory)? {
            Value::String(s) if !s.is_empty() => Some(s.to_string()),
            Value::Bool(true) => Some("does not apply".to_owned()),
            _ => None,
        };
        if let Some(why) = why {
            return Ok(Verdict::not_applicable(why));
        }
    }
    Ok(Verdict::pass(format!(
        "no {} message",
        policy
            .deny_rules
            .iter()
            .map(|r| r.rsplit('.').next().unwrap_or(r))
            .collect::<Vec<_>>()
            .join("/")
    )))
}

/// Parse one file: Rego v1 (OPA 1.x), else — for policies written for Conftest or OPA 0.x —
/// Rego v0. When neither parses, the v1 error is the one reported.
fn add_policy(engine: &mut Engine, name: &str, text: &str) -> Result<String, PolicyError> {
    let v1 = match engine.add_policy(name.to_owned(), text.to_owned()) {
        Ok(package) => return Ok(package),
        Err(e) => e,
    };
    // regorus warns on stderr when a v0 parse meets `if` without `future.keywords`: a file
    // that uses `if` that way is v1 with a mistake, so only the v1 error applies.
    if !text.contains("future.keywords") && has_word(text, "if") {
        return Err(bad_policy(name, &v1));
    }
    engine.set_rego_v0(true);
    let v0 = engine.add_policy(name.to_owned(), text.to_owned());
    engine.set_rego_v0(false);
    v0.map_err(|_| bad_policy(name, &v1))
}

/// `word` occurs in `text` as a whole identifier.
fn has_word(text: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// Messages of a `deny`-style value: a set or array of strings or `{"msg": ...}` objects.
fn collect_messages(value: &Value, out: &mut Vec<(String, Option<Location>)>) {
    let items: Vec<&Value> = match value {
        Value::Set(set) => set.iter().collect(),
        Value::Array(items) => items.iter().collect(),
        Value::Undefined | Value::Null | Value::Bool(false) => Vec::new(),
        other => vec![other],
    };
    for item in items {
        match item {
            Value::String(s) => out.push((one_line(s), None)),
            Value::Object(_) => {
                let msg = match &item["msg"] {
                    Value::String(s) => one_line(s),
                    _ => one_line(&item.to_string()),
                };
                let location = match (&item["path"], item["line"].as_u64()) {
                    (Value::String(path), Ok(line)) => Some(Location {
                        path: path.to_string(),
                        line: u32::try_from(line).unwrap_or(u32::MAX),
                    }),
                    _ => None,
                };
                out.push((msg, location));
            }
            other => out.push((one_line(&other.to_string()), None)),
        }
    }
}

fn apply_metadata(
    control: &mut ControlDef,
    meta: &Value,
    files: &[String],
    sources: &[(String, String)],
) -> Result<(), PolicyError> {
    let file = files.first().map(String::as_str).unwrap_or("");
    let line = sources
        .iter()
        .filter(|(name, _)| files.contains(name))
        .find_map(|(name, text)| {
            text.lines()
                .position(|l| l.trim_start().starts_with("metadata"))
                .map(|i| format!("{name}:{}", i + 1))
        })
        .unwrap_or_else(|| file.to_owned());
    if let Value::Undefined = meta {
        return Ok(());
    }
    if meta.as_object().is_err() {
        return Err(PolicyError::MetadataNotObject { at: line });
    }
    let text = |key: &str| match &meta[key] {
        Value::String(s) => Some(one_line(s)),
        _ => None,
    };
    if let Some(title) = text("title") {
        control.title = title;
    }
    if let Some(rationale) = text("rationale").or_else(|| text("description")) {
        control.rationale = rationale;
    }
    if let Some(fix) = text("fix") {
        control.fix = fix;
    }
    if let Some(severity) = text("severity") {
        control.severity = match severity.to_ascii_lowercase().as_str() {
            "high" => Severity::High,
            "medium" => Severity::Medium,
            "low" => Severity::Low,
            "info" => Severity::Info,
            other => {
                return Err(PolicyError::BadSeverity {
                    at: line,
                    severity: other.to_owned(),
                });
            }
        };
    }
    Ok(())
}

/// A policy error as one line: `bad policy FILE:LINE:COL: message`. regorus reports
/// `--> file:line:col`, a source excerpt, then `error: message`.
fn bad_policy(file: &str, err: &anyhow::Error) -> PolicyError {
    let full = format!("{err:#}");
    let lines: Vec<&str> = full.lines().map(str::trim).collect();
    let location = lines
        .iter()
        .find_map(|l| l.strip_prefix("-->"))
        .map(str::trim);
    let message = lines
        .iter()
        .find_map(|l| l.strip_prefix("error:"))
        .map(str::trim);
    let (at, message) = match (location, message) {
        (Some(at), Some(msg)) => (at, msg),
        (None, Some(msg)) => (file, msg),
        _ => {
            let first = lines
                .iter()
                .find(|l| !l.is_empty())
                .copied()
                .unwrap_or("error");
            (file, first)
        }
    };
    PolicyError::Bad {
        at: at.to_owned(),
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests;
