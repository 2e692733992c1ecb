#!/usr/bin/env bash
# Reproduce issue 11's CLI-visible defects against one posture binary, to compare a build from
# before the hardening (e.g. 0e89008) with a current one:
#
#   scripts/repro-hardening.sh path/to/posture
#
# Prints one line per defect: exit code, wall time and what was seen. Needs python3 and bc.
# Writes only to a temporary directory. Not part of .ci/run (the old build can take 30 s a case).
set -u
bin=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export POSTURE_CONFIG_DIR="$work/config" POSTURE_CACHE_DIR="$work/cache"
cd "$work" || exit 2

# Inputs.
printf 'on: push\njobs:\n  build:\n    runs-on: ${{ matrix.\xc3\xa9 }}\n    steps:\n      - run: echo hi\n' > d2.yml
python3 - <<'PY'
lines = ["x0: &a0 {k: v}"]
for lvl in range(1, 9):
    merges = ", ".join(["*a%d" % (lvl - 1)] * 10)
    lines.append("x%d: &a%d\n  <<: [%s]\n  k%d: v" % (lvl, lvl, merges, lvl))
lines.append("on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    <<: *a8\n    steps:\n      - run: echo")
open("d3.yml", "w").write("\n".join(lines) + "\n")
PY
"$bin" demo --export github > demo.json
python3 -c "
import json; d = json.load(open('demo.json'))
d['repos'][0]['name'] = 'acme/[click](javascript:alert(1))\u200bx'
json.dump(d, open('d11.json', 'w'))"
mkdir -p policy
printf 'package slow\n\ndeny contains "never" if {\n  some i in numbers.range(1, 100000)\n  some j in numbers.range(1, 100000)\n  i + j < 0\n}\n' > policy/slow.rego

run() { # run CMD...: exit code and wall time of CMD (30 s at most)
    local start end
    start=$(date +%s.%N)
    timeout 30 "$@" > out.txt 2> err.txt
    local rc=$?
    end=$(date +%s.%N)
    printf 'rc=%s %.1fs' "$rc" "$(echo "$end - $start" | bc)"
}

echo -n "2  runs-on: \${{ matrix.é }}:            "; run "$bin" pipeline d2.yml; echo
echo -n "3  YAML merge bomb (10 x 8 levels):    "; run "$bin" pipeline d3.yml; echo
echo -n "14 --url with a credential:            "; run "$bin" sync gitlab --group acme --url "https://oauth2:glpat-SECRETSECRET@127.0.0.1:1"
grep -q "glpat-SECRETSECRET" out.txt err.txt && echo "  credential ECHOED" || echo "  credential not shown"
echo -n "11 Markdown link in a repo name:       "; run "$bin" report --snapshot d11.json --format markdown
grep -qP '(?<!\\)\[click(?<!\\)\]\(javascript:' out.txt && echo "  live link" || echo "  escaped"
echo -n "11 zero-width character in a name:     "; grep -q $'\u200b' out.txt && echo "present" || echo "stripped"
echo -n "13 Rego numbers.range x numbers.range: "; run "$bin" report --snapshot d11.json --format json --policy policy
python3 -c "
import json; d = json.load(open('out.txt'))
print('  policy/slow:', [(c['status'], c['evidence']) for c in d['repos'][1]['controls'] if c['id'] == 'policy/slow'])" 2>/dev/null || echo "  no report"
