#!/bin/sh
# Run posture's fuzz targets one after another, niced, with per-input time and memory bounds.
#
#   fuzz/run.sh [MINUTES] [TARGET...]      (default: 10 minutes, every target)
#
# Seeds are copied into fuzz/corpus/<target>/ at run time (never committed): the pipeline
# corpus in ../shared/corpus/pipelines, the YAML/TOML/JSON fixtures of tests/ and themes/.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); works on a stable toolchain through
# RUSTC_BOOTSTRAP=1 with `--sanitizer none` (no ASan; panics, timeouts and OOMs are caught).
set -eu
cd "$(dirname "$0")"
minutes=${1:-10}
[ $# -gt 0 ] && shift
targets=${*:-"github_workflow gitlab_ci snapshot precommit rego_input config_toml tui_config http_answers"}
shared=../../shared
export RUSTC_BOOTSTRAP=1

seed() { # seed TARGET FILE...
    mkdir -p "corpus/$1"
    t=$1
    shift
    for f in "$@"; do
        [ -f "$f" ] && cp "$f" "corpus/$t/seed-$(basename "$f")" || true
    done
}

for t in $targets; do
    case $t in
        github_workflow) seed "$t" "$shared"/corpus/pipelines/*.y*ml ;;
        gitlab_ci) seed "$t" "$shared"/corpus/pipelines/*gitlab* "$shared"/corpus/pipelines/*r2devops* ;;
        precommit) seed "$t" $(grep -l "repos:" "$shared"/corpus/pipelines/* ../tests/*.rs 2>/dev/null | head -20) ;;
        snapshot | rego_input)
            mkdir -p "corpus/$t"
            # Snapshots written by posture itself (`posture demo`), when a build is at hand.
            bin=../target/debug/posture
            if [ -x "$bin" ]; then
                "$bin" demo --export github > "corpus/$t/seed-demo-github.json" || true
                "$bin" demo --export gitlab > "corpus/$t/seed-demo-gitlab.json" || true
                for n in 1 2 3 5; do "$bin" demo --repos $n --seed $n > "corpus/$t/seed-synthetic-$n.json" || true; done
            fi ;;
        config_toml | tui_config) seed "$t" ../themes/*.toml $(find ../tests "$shared" -name '*.toml' 2>/dev/null | head -20) ;;
        http_answers) seed "$t" $(find ../tests/support "$shared"/github -name '*.json' -size -1M 2>/dev/null | head -40) ;;
    esac
    mkdir -p "artifacts/$t"
    echo "== $t: $minutes min, $(ls "corpus/$t" | wc -l) inputs in corpus/$t"
    nice -n 19 cargo fuzz run --sanitizer none "$t" "corpus/$t" -- \
        -max_total_time=$((minutes * 60)) -timeout=10 -rss_limit_mb=2048 -max_len=1048576 \
        -artifact_prefix="artifacts/$t/" -print_final_stats=1 || echo "== $t: stopped with a finding (see artifacts/$t/)"
done
