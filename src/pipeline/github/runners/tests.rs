//! Unit tests of `runners.rs`.
use super::super::test_util::gh;
use crate::pipeline::facts::SelfHosted;

fn sh(runs_on: &str, strategy: &str) -> Option<SelfHosted> {
    let y = format!("on: push\njobs:\n  a:\n{strategy}    runs-on: {runs_on}\n    steps: []\n");
    gh(&y).facts.self_hosted_jobs
}

#[test]
fn literal_labels() {
    assert_eq!(sh("ubuntu-latest", ""), Some(SelfHosted::No));
    assert_eq!(sh("self-hosted", ""), Some(SelfHosted::Yes));
    assert_eq!(sh("[self-hosted, linux]", ""), Some(SelfHosted::Yes));
    assert_eq!(
        sh("runs-on=${{ github.run_id }}/runner=2cpu", ""),
        Some(SelfHosted::Yes)
    );
    assert_eq!(sh("depot-ubuntu-22.04", ""), Some(SelfHosted::Maybe));
    assert_eq!(sh("{ group: big }", ""), Some(SelfHosted::Maybe));
    assert_eq!(sh("${{ inputs.runner }}", ""), Some(SelfHosted::Maybe));
}

#[test]
fn expressions_and_matrices() {
    let m = "    strategy:\n      matrix:\n        os: [ubuntu-latest, macos-14]\n";
    assert_eq!(sh("${{ matrix.os }}", m), Some(SelfHosted::No));
    let py = "    strategy:\n      matrix:\n        py: ['3.8']\n";
    assert_eq!(
        sh("${{ matrix.os || 'ubuntu-latest' }}", py),
        Some(SelfHosted::No)
    );
    assert_eq!(sh("${{ matrix.os }}", py), Some(SelfHosted::Maybe));
    let m2 = "    strategy:\n      matrix:\n        include:\n          - r: {tags: [self-hosted, arm64]}\n          - r: {tags: ubuntu-latest}\n";
    assert_eq!(sh("${{ matrix.r.tags }}", m2), Some(SelfHosted::Yes));
    assert_eq!(
        sh(
            "${{ (matrix.l == 'swift' && 'macos-latest') || 'ubuntu-latest' }}",
            ""
        ),
        Some(SelfHosted::No)
    );
    assert_eq!(
        sh(
            "${{ github.event_name == 'pull_request' && 'namespace-profile-x' || 'ubuntu-24.04' }}",
            ""
        ),
        Some(SelfHosted::Maybe)
    );
    assert_eq!(
        sh("${{ fromJSON('[\"self-hosted\", \"gpu\"]') }}", ""),
        Some(SelfHosted::Yes)
    );
    let m4 = "    strategy:\n      matrix:\n        os: ${{ fromJSON('[\"ubuntu-latest\", \"windows-2022\"]') }}\n";
    assert_eq!(sh("${{ matrix.os }}", m4), Some(SelfHosted::No));
    let m3 = "    strategy:\n      matrix: ${{ fromJson(needs.plan.outputs.m) }}\n";
    assert_eq!(sh("${{ matrix.runner }}", m3), Some(SelfHosted::Maybe));
}

#[test]
fn reusable_call_contributes_nothing_and_job_is_listed() {
    let a = gh(
        "on: push\njobs:\n  a:\n    uses: ./.github/workflows/x.yml\n  b:\n    runs-on: [self-hosted, ec2]\n    steps: []\n",
    );
    assert_eq!(a.facts.self_hosted_jobs, Some(SelfHosted::Yes));
    assert_eq!(a.facts.self_hosted.len(), 1);
    assert_eq!(a.facts.self_hosted[0].line, 6);
    assert!(!a.facts.self_hosted[0].maybe);
}

#[test]
fn non_ascii_expressions_do_not_panic() {
    // Regression (issue 11, defect 2): the splitter sliced at a byte index inside `é`.
    assert_eq!(sh("${{ matrix.é }}", ""), Some(SelfHosted::Maybe));
    let m = "    strategy:\n      matrix:\n        é: [ubuntu-latest]\n";
    assert_eq!(sh("${{ matrix.é }}", m), Some(SelfHosted::No));
    assert_eq!(
        sh("${{ matrix.ü && 'self-hosted' || 'ubuntu-latest' }}", ""),
        Some(SelfHosted::Yes)
    );
    assert_eq!(
        sh("${{ 'ž' || ('ø' && 'é') }}", ""),
        Some(SelfHosted::Maybe)
    );
}

#[test]
fn overlong_expressions_are_not_evaluated() {
    // Regression (issue 11, defect 4): 20k `||` alternatives took 20 s. Past the length cap
    // the runner cannot be classified from the file.
    let long = vec!["'ubuntu-latest'"; 400].join(" || ");
    assert!(long.len() > 4096);
    assert_eq!(
        sh(&format!("${{{{ {long} }}}}"), ""),
        Some(SelfHosted::Maybe)
    );
    let short = vec!["'ubuntu-latest'"; 20].join(" || ");
    assert_eq!(sh(&format!("${{{{ {short} }}}}"), ""), Some(SelfHosted::No));
}

#[test]
fn deeply_nested_expressions_are_not_evaluated() {
    // Regression (issue 11, defect 4): 100k nested parentheses took 9.5 s. Past the nesting
    // cap the runner cannot be classified from the file.
    let nest = |n: usize| {
        format!(
            "${{{{ 'ubuntu-latest' || {}'ubuntu-22.04' || 'ubuntu-24.04'{} }}}}",
            "(".repeat(n),
            ")".repeat(n)
        )
    };
    assert_eq!(sh(&nest(4), ""), Some(SelfHosted::No));
    assert_eq!(sh(&nest(40), ""), Some(SelfHosted::Maybe));
    assert_eq!(sh(&nest(100_000), ""), Some(SelfHosted::Maybe));
}

#[test]
fn merge_bombs_make_the_file_unknown_not_slow() {
    // Regression (issue 11, defect 3): past the merge work budget the file is not analysed;
    // its analysis carries the reason (and the controls report `unknown`).
    let mut y = String::from("x0: &x0 {}\n");
    for i in 1..=200 {
        let keys: Vec<String> = (0..100).map(|k| format!("k{i}_{k}: 1")).collect();
        y.push_str(&format!(
            "x{i}: &x{i} {{<<: *x{}, {}}}\n",
            i - 1,
            keys.join(", ")
        ));
    }
    y.push_str("on: push\njobs:\n  a:\n    runs-on: self-hosted\n    steps: []\n");
    let a = gh(&y);
    let error = a.error.as_deref().expect("not analysed");
    assert!(error.contains("merge keys"), "{error}");
    assert_eq!(a.facts.self_hosted_jobs, None);
}
