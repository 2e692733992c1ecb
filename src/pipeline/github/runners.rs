//! `self_hosted_jobs` and the `self_hosted` job list: resolve each job's `runs-on` through
//! literal matrices and `a && 'x' || 'y'` expressions, then classify the labels.

use super::Workflow;
use crate::pipeline::FindingKind;
use crate::pipeline::collect::Out;
use crate::pipeline::facts::{SelfHosted, SelfHostedJob};
use crate::pipeline::yaml::Node;

/// A value an expression can take: a string or a non-scalar node from a matrix.
#[derive(Clone, Debug)]
enum Val<'a> {
    Str(String),
    /// A label list from a literal `fromJSON('[…]')`.
    List(Vec<String>),
    Node(Node<'a>),
}

/// `fromJSON('<literal JSON>')` → a string or a list of strings.
fn from_json_literal<'a>(atom: &str) -> Option<Vec<Val<'a>>> {
    let lower = atom.to_ascii_lowercase();
    if !lower.starts_with("fromjson(") || !atom.ends_with(')') {
        return None;
    }
    let arg = atom.get(9..atom.len() - 1)?.trim();
    let inner = arg
        .strip_prefix('\'')?
        .strip_suffix('\'')?
        .replace("''", "'");
    json_vals(&serde_json::from_str(&inner).ok()?)
}

fn json_vals<'a>(v: &serde_json::Value) -> Option<Vec<Val<'a>>> {
    match v {
        serde_json::Value::String(s) => Some(vec![Val::Str(s.clone())]),
        serde_json::Value::Array(items) => {
            let labels: Option<Vec<String>> = items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect();
            Some(vec![Val::List(labels?)])
        }
        _ => None,
    }
}

/// All labels of one runner must match: any `self-hosted` decides, all hosted is hosted.
fn classify_set(labels: &[String]) -> SelfHosted {
    let classes: Vec<SelfHosted> = labels.iter().map(|l| classify_label(l)).collect();
    if classes.contains(&SelfHosted::Yes) {
        SelfHosted::Yes
    } else if !classes.is_empty() && classes.iter().all(|c| *c == SelfHosted::No) {
        SelfHosted::No
    } else {
        SelfHosted::Maybe
    }
}

/// One label. `self-hosted` and RunsOn labels are self-managed; `ubuntu-*`, `windows-*`,
/// `macos-*` are GitHub-hosted; anything else (custom, larger or third-party managed runners)
/// cannot be classified from the file.
fn classify_label(label: &str) -> SelfHosted {
    let l = label.trim().to_ascii_lowercase();
    if l == "self-hosted" || l.starts_with("runs-on=") || l.starts_with("runs-on/") {
        SelfHosted::Yes
    } else if l.starts_with("ubuntu-") || l.starts_with("windows-") || l.starts_with("macos-") {
        SelfHosted::No
    } else {
        SelfHosted::Maybe
    }
}

fn combine(a: SelfHosted, b: SelfHosted) -> SelfHosted {
    match (a, b) {
        (SelfHosted::Yes, _) | (_, SelfHosted::Yes) => SelfHosted::Yes,
        (SelfHosted::Maybe, _) | (_, SelfHosted::Maybe) => SelfHosted::Maybe,
        _ => SelfHosted::No,
    }
}

/// Longest `${{ }}` expression evaluated (bytes); longer ones are not evaluated (the job's
/// runner is then "possibly self-hosted"), so a hostile file cannot make evaluation slow.
const MAX_EXPR_LEN: usize = 4096;

/// Deepest parenthesis nesting evaluated; deeper expressions are not evaluated.
const MAX_NESTING: usize = 32;

/// Split at top-level `op` (`||` or `&&`), outside quotes and parentheses, in one pass.
/// Compares bytes, so a split point is always a char boundary (`op` is ASCII). `None` when
/// the parentheses nest deeper than [`MAX_NESTING`].
fn split_top<'e>(expr: &'e str, op: &str) -> Option<Vec<&'e str>> {
    let (bytes, op) = (expr.as_bytes(), op.as_bytes());
    let (mut depth, mut quoted, mut start, mut i) = (0i64, false, 0usize, 0usize);
    let mut parts = Vec::new();
    while i < bytes.len() {
        let c = bytes[i];
        if quoted {
            if c == b'\'' {
                quoted = false;
            }
        } else if c == b'\'' {
            quoted = true;
        } else if c == b'(' {
            depth += 1;
            if depth > MAX_NESTING as i64 {
                return None;
            }
        } else if c == b')' {
            depth -= 1;
        } else if depth == 0 && bytes[i..].starts_with(op) {
            parts.push(expr.get(start..i)?);
            i += op.len();
            start = i;
            continue;
        }
        i += 1;
    }
    parts.push(expr.get(start..)?);
    Some(parts)
}

/// Remove parentheses that enclose the whole expression (`((a || b))` → `a || b`), at most
/// [`MAX_NESTING`] layers; each layer is one linear scan.
fn strip_parens(expr: &str) -> &str {
    let mut t = expr.trim();
    for _ in 0..=MAX_NESTING {
        let Some(inner) = t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) else {
            return t;
        };
        // Only strip when the parentheses enclose the whole expression.
        let mut depth = 0i32;
        for c in inner.bytes() {
            match c {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth < 0 {
                        return t;
                    }
                }
                _ => {}
            }
        }
        t = inner.trim();
    }
    t
}

/// Possible values of a `${{ }}` expression; `None` when it depends on something the file
/// does not fix (inputs, event, needs, functions), or is too long or too deeply nested to
/// evaluate.
fn eval<'a>(expr: &str, matrix: Option<Node<'a>>, depth: usize) -> Option<Vec<Val<'a>>> {
    if depth > 8 || expr.len() > MAX_EXPR_LEN {
        return None;
    }
    let expr = strip_parens(expr);
    let alternatives = split_top(expr, "||")?;
    let single = alternatives.len() == 1;
    let mut values = Vec::new();
    for alt in alternatives {
        let ands = split_top(alt, "&&")?;
        let last = strip_parens(ands.last().copied().unwrap_or_default());
        if last.contains("==") || last.contains("!=") || last.starts_with('!') {
            if ands.len() == 1 && single {
                return None;
            }
            continue;
        }
        values.extend(atom(last, matrix, depth)?);
    }
    Some(values)
}

fn atom<'a>(atom: &str, matrix: Option<Node<'a>>, depth: usize) -> Option<Vec<Val<'a>>> {
    if let Some(quoted) = atom.strip_prefix('\'').and_then(|a| a.strip_suffix('\'')) {
        return Some(vec![Val::Str(quoted.replace("''", "'"))]);
    }
    if atom.starts_with('(') {
        return eval(atom, matrix, depth + 1);
    }
    if let Some(vals) = from_json_literal(atom) {
        return Some(vals);
    }
    let path = atom.strip_prefix("matrix.")?;
    matrix_values(matrix?, path)
}

/// Values of `matrix.<path>` over the literal matrix rows and `include` entries.
fn matrix_values<'a>(matrix: Node<'a>, path: &str) -> Option<Vec<Val<'a>>> {
    if !matrix.is_map() {
        return None;
    }
    let mut keys = path.split('.');
    let first = keys.next()?;
    let rest: Vec<&str> = keys.collect();
    let mut roots = Vec::new();
    let mut literal = Vec::new();
    if let Some(list) = matrix.get(first) {
        if let Some(s) = list.as_str().filter(|s| s.contains("${{")) {
            // `os: ${{ fromJSON('["ubuntu-latest", "macos-14"]') }}`
            let inner = s.trim().strip_prefix("${{")?.strip_suffix("}}")?.trim();
            let Some(Val::List(items)) = from_json_literal(inner)?.pop() else {
                return None;
            };
            if !rest.is_empty() {
                return None;
            }
            literal.extend(items.into_iter().map(Val::Str));
        }
        roots.extend(list.items());
    }
    if let Some(includes) = matrix.get("include") {
        if includes.as_str().is_some_and(|s| s.contains("${{")) {
            return None;
        }
        roots.extend(includes.items().iter().filter_map(|i| i.get(first)));
    }
    if roots.is_empty() {
        // The key exists in no row: the expression is empty (falsy), not unknown.
        return Some(literal);
    }
    let mut out = literal;
    for mut node in roots {
        let mut ok = true;
        for k in &rest {
            match node.get(k) {
                Some(n) => node = n,
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            continue;
        }
        match node.as_str() {
            Some(s) if s.contains("${{") => return None,
            Some(s) => out.push(Val::Str(s.to_string())),
            None => out.push(Val::Node(node)),
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Possible values of a string with `${{ }}` interpolations.
fn interpolate<'a>(s: &str, matrix: Option<Node<'a>>) -> Option<Vec<Val<'a>>> {
    let t = s.trim();
    if let Some(inner) = t.strip_prefix("${{").and_then(|x| x.strip_suffix("}}"))
        && !inner.contains("${{")
    {
        return eval(inner, matrix, 0);
    }
    let mut acc = vec![String::new()];
    let mut rest = t;
    while let Some(start) = rest.find("${{") {
        let end = rest[start..].find("}}")? + start;
        let lit = &rest[..start];
        let vals = eval(&rest[start + 3..end], matrix, 0)?;
        let mut next = Vec::new();
        for a in &acc {
            for v in &vals {
                let Val::Str(v) = v else { return None };
                next.push(format!("{a}{lit}{v}"));
                if next.len() > 64 {
                    return None;
                }
            }
        }
        acc = next;
        rest = &rest[end + 2..];
    }
    Some(
        acc.into_iter()
            .map(|a| Val::Str(format!("{a}{rest}")))
            .collect(),
    )
}

/// Classify a `runs-on` value; returns the classification and the literal labels seen.
fn classify(node: Node<'_>, matrix: Option<Node<'_>>, labels: &mut Vec<String>) -> SelfHosted {
    if node.is_map() {
        if node.get("group").is_some() {
            return SelfHosted::Maybe;
        }
        return match node.get("labels") {
            Some(l) => classify(l, matrix, labels),
            None => SelfHosted::Maybe,
        };
    }
    if let Some(s) = node.as_str() {
        // RunsOn labels carry expressions (`runs-on=${{ github.run_id }}/…`) but are
        // self-managed whatever those resolve to.
        if classify_label(s) == SelfHosted::Yes {
            labels.push(s.to_string());
            return SelfHosted::Yes;
        }
        return match interpolate(s, matrix) {
            None => SelfHosted::Maybe,
            Some(vals) if vals.is_empty() => SelfHosted::Maybe,
            Some(vals) => vals
                .into_iter()
                .map(|v| match v {
                    Val::Str(l) => {
                        let c = classify_label(&l);
                        labels.push(l);
                        c
                    }
                    Val::List(set) => {
                        let c = classify_set(&set);
                        labels.extend(set);
                        c
                    }
                    Val::Node(n) => classify(n, None, labels),
                })
                .fold(SelfHosted::No, combine),
        };
    }
    // A list: all labels must match one runner.
    let items = node.items();
    if items.is_empty() {
        return SelfHosted::Maybe;
    }
    let mut any_self = false;
    let mut all_hosted = true;
    let mut unknown = false;
    for item in &items {
        let mut seen = Vec::new();
        match classify(*item, matrix, &mut seen) {
            SelfHosted::Yes => any_self = true,
            SelfHosted::No => {}
            SelfHosted::Maybe => {
                all_hosted = false;
                unknown |= seen.is_empty();
            }
        }
        labels.extend(seen);
    }
    if any_self {
        SelfHosted::Yes
    } else if all_hosted && !unknown {
        SelfHosted::No
    } else {
        SelfHosted::Maybe
    }
}

/// Record `self_hosted_jobs` and the per-job list.
pub fn analyse(wf: &Workflow<'_>, out: &mut Out) {
    let mut file = SelfHosted::No;
    for (index, job) in wf.jobs.iter().enumerate() {
        let Some(runs_on) = job.node.get("runs-on") else {
            continue;
        };
        let matrix = job.node.get("strategy").and_then(|s| s.get("matrix"));
        let mut labels = Vec::new();
        let class = classify(runs_on, matrix, &mut labels);
        labels.dedup();
        file = combine(file, class);
        if class != SelfHosted::No {
            let maybe = class == SelfHosted::Maybe;
            let egress_block = super::egress::job_blocks(wf, index);
            let detail = format!(
                "job {} runs on {} runner{}",
                job.id,
                if maybe {
                    "a possibly self-hosted"
                } else {
                    "a self-hosted"
                },
                if labels.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", labels.join(", "))
                }
            );
            out.find(FindingKind::SelfHostedJobs, runs_on.line(), detail);
            out.facts.self_hosted.push(SelfHostedJob {
                job: job.id.to_string(),
                labels,
                maybe,
                egress_block,
                line: runs_on.line(),
            });
        }
    }
    out.facts.self_hosted_jobs = Some(file);
}

#[cfg(test)]
mod tests;
