//! Realistically varied pipeline texts for synthetic orgs. Real orgs share some workflows
//! (templates, copies) but most repositories grow their own: extra jobs, matrices, service
//! containers, caches, conditions. `vary_pipelines` gives a chosen share of repositories
//! unique texts built from the template each repository already has plus jobs in the shapes
//! common in public workflows (checkout, language setup, cache, build/test, artifact upload,
//! matrix strategy, services, `if:` conditions, secret-bearing env), and gives every
//! repository at least two files. So re-analysis at org scale analyses thousands of distinct
//! texts of realistic size (1–8 KB), as after an analyser upgrade on a real snapshot.

use super::rng::SplitMix64;
use crate::model::{Fact, FileRef, Snapshot};
use crate::pipeline::FileKind;

const SETUPS: &[&str] = &[
    "      - uses: actions/setup-node@v4\n        with:\n          node-version: ${{ matrix.version }}\n          cache: npm\n      - run: npm ci\n",
    "      - uses: actions/setup-go@v5\n        with:\n          go-version: ${{ matrix.version }}\n      - run: go mod download\n",
    "      - uses: actions/setup-python@v5\n        with:\n          python-version: ${{ matrix.version }}\n      - run: pip install -r requirements-dev.txt\n",
    "      - uses: actions/setup-java@v4\n        with:\n          distribution: temurin\n          java-version: ${{ matrix.version }}\n      - run: ./gradlew dependencies\n",
];
const RUNS: &[&str] = &[
    "      - run: make lint\n",
    "      - name: Unit tests\n        run: make test TEST_FLAGS=\"-race -count=1\"\n",
    "      - name: Integration tests\n        run: ./scripts/integration.sh --shard ${{ strategy.job-index }}\n        env:\n          DATABASE_URL: postgres://postgres:postgres@localhost:5432/test\n",
    "      - uses: actions/cache@v4\n        with:\n          path: ~/.cache\n          key: ${{ runner.os }}-${{ hashFiles('**/lockfile') }}\n",
    "      - uses: actions/upload-artifact@v4\n        with:\n          name: report-${{ matrix.version }}\n          path: reports/\n",
    "      - if: github.event_name == 'push' && github.ref == 'refs/heads/main'\n        run: ./scripts/publish-coverage.sh\n        env:\n          COVERAGE_TOKEN: ${{ secrets.COVERAGE_TOKEN }}\n",
    "      - uses: docker/setup-buildx-action@v3\n      - run: docker build --pull -t local/app:${{ github.sha }} .\n",
];
const RUNNERS: &[&str] = &[
    "ubuntu-latest",
    "ubuntu-24.04",
    "macos-14",
    "windows-latest",
];

/// One extra job named after the repository and index, 400–1,500 bytes.
fn job(rng: &mut SplitMix64, repo: &str, index: usize) -> String {
    let short = repo.rsplit('/').next().unwrap_or(repo);
    let mut text = format!(
        "  {short}-check-{index}:\n    runs-on: {}\n    timeout-minutes: {}\n",
        rng.pick(RUNNERS).copied().unwrap_or("ubuntu-latest"),
        10 + rng.below(50)
    );
    if rng.percent(40) {
        text.push_str(&format!(
            "    strategy:\n      fail-fast: false\n      matrix:\n        version: [{}, {}]\n",
            18 + rng.below(4),
            20 + rng.below(4)
        ));
    }
    if rng.percent(20) {
        text.push_str("    services:\n      postgres:\n        image: postgres:16\n        env:\n          POSTGRES_PASSWORD: postgres\n        ports: [\"5432:5432\"]\n");
    }
    text.push_str(&format!(
        "    env:\n      SERVICE_NAME: {short}\n      BUILD_ID: {}-{index}\n    steps:\n      - uses: actions/checkout@v4\n",
        rng.next_u64() % 100_000
    ));
    text.push_str(rng.pick(SETUPS).copied().unwrap_or(SETUPS[0]));
    for _ in 0..1 + rng.below(4) {
        text.push_str(rng.pick(RUNS).copied().unwrap_or(RUNS[0]));
    }
    text
}

/// Give `percent` of the repositories unique pipeline texts (each of their workflows gets
/// 1–6 extra jobs) and every repository at least two workflow files.
pub fn vary_pipelines(snapshot: &mut Snapshot, seed: u64, percent: u64) {
    let mut rng = SplitMix64::new(seed ^ 0x005e_ed0f_7a41);
    let lint = snapshot.add_file(
        FileKind::GithubActions,
        "name: lint\non: [pull_request]\npermissions:\n  contents: read\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make lint\n".to_owned(),
    );
    let test = snapshot.add_file(
        FileKind::GithubActions,
        "name: test\non: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make test\n".to_owned(),
    );
    let fillers = [("lint.yml", lint), ("test.yml", test)];
    let mut repos = std::mem::take(&mut snapshot.repos);
    for repo in &mut repos {
        let Fact::Known(pipelines) = &mut repo.pipelines else {
            continue;
        };
        for (name, hash) in &fillers {
            let path = format!(".github/workflows/{name}");
            if pipelines.len() >= 2 {
                break;
            }
            if pipelines.iter().any(|p| p.path == path) {
                continue;
            }
            pipelines.push(FileRef {
                path,
                hash: hash.clone(),
            });
        }
        if !rng.percent(percent) {
            continue;
        }
        for (n, file) in pipelines.iter_mut().enumerate() {
            let Some(stored) = snapshot.files.get(&file.hash) else {
                continue;
            };
            let mut text = stored.text.clone();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            for j in 0..1 + rng.below(6) as usize {
                text.push_str(&job(&mut rng, &repo.name, n * 10 + j));
            }
            file.hash = snapshot.add_file(FileKind::GithubActions, text);
        }
    }
    snapshot.repos = repos;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_of_repositories_get_unique_valid_texts_and_everyone_two_files() {
        let mut snap = crate::demo::synthetic(1_000, 7);
        let before = snap.files.len();
        vary_pipelines(&mut snap, 7, 30);
        let unique = snap.files.len() - before;
        assert!(unique > 600, "{unique} new texts");
        for repo in &snap.repos {
            if let Fact::Known(p) = &repo.pipelines {
                assert!(p.len() >= 2, "{}", repo.name);
            }
        }
        let sizes: Vec<usize> = snap.files.values().map(|f| f.text.len()).collect();
        let mean = sizes.iter().sum::<usize>() / sizes.len();
        assert!((1_000..8_000).contains(&mean), "mean {mean} bytes");
        for file in snap.files.values().take(200) {
            let analysis = crate::pipeline::analyse("", &file.text, Some(file.kind));
            assert!(analysis.error.is_none(), "{:?}", analysis.error);
        }
    }
}
