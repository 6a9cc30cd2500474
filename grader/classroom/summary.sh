#!/usr/bin/env bash
# summary.sh - the autograder's results.json as Markdown: the score, each
# lesson, each exercise (when the grader reports them), the tests that did
# not earn their points and why, then every test.  The hosted workflow
# (grade.yml) appends it to the job summary; it reads well in a terminal too.
#
# usage: grader/classroom/summary.sh [--fail-if-missing] [RESULTS]
#   RESULTS            default build/grade/results.json
#   --fail-if-missing  exit 1 when points are missing (the job fails)
#
# Exit status: 0, or 1 with --fail-if-missing and points missing, or 1 when
# there is no readable RESULTS (the build or the grader failed before
# writing it: a Markdown line says so).  Needs bash and awk only.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fail_if_missing=0 results=build/grade/results.json
while [ $# -gt 0 ]; do
    case "$1" in
    --fail-if-missing) fail_if_missing=1; shift ;;
    -h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    *) results=$1; shift ;;
    esac
done

if [ ! -s "$results" ] || [ "$(awk -f "$here/json-flat.awk" "$results" | grep -c '^possible	')" -eq 0 ]; then
    echo "## Spectrum autograder: no score"
    echo
    echo "There is no readable \`$results\`: the build or the grader stopped before writing it."
    echo "The log of the grading step says why (a compile error, a missing image, a grader usage error)."
    exit 1
fi

awk -f "$here/json-flat.awk" "$results" | awk -F'\t' -v src="$results" '
# A JSON string as written in the file -> text for a Markdown table cell.
function cell(s) {
    gsub(/\\"/, "\"", s)
    gsub(/\\\\/, "\\", s)
    gsub(/\|/, "\\|", s)
    gsub(/</, "\\&lt;", s)
    return s
}
$1 == "earned" { E = $2 }
$1 == "possible" { P = $2 }
{ n = split($1, k, ".") }
n == 3 && k[1] == "lessons" { L[k[2], k[3]] = $2; if (k[2] + 1 > nl) nl = k[2] + 1 }
n == 3 && k[1] == "exercises" { X[k[2], k[3]] = $2; if (k[2] + 1 > nx) nx = k[2] + 1 }
n == 3 && k[1] == "tests" { T[k[2], k[3]] = $2; if (k[2] + 1 > nt) nt = k[2] + 1 }
n == 4 && k[1] == "tests" && k[3] == "missing_exercises" { M[k[2]] = M[k[2]] (M[k[2]] ? ", " : "") $2 }
END {
    printf "## Spectrum autograder: %d / %d points\n\n", E, P
    if (E + 0 == P + 0)
        print "Every test earned its points."
    else
        printf "%d points missing: the tests below say why; the serial logs are in the job'"'"'s artifact (or `build/grade/`).\n", P - E
    print ""
    print "| lesson | points | tests earned | failed | not run |"
    print "|---|---:|---:|---:|---:|"
    for (i = 0; i < nl; i++)
        printf "| %s | %d / %d | %d of %d | %d | %d |\n", cell(L[i, "lesson"]), L[i, "earned"], L[i, "possible"],
            L[i, "tests_earned"], L[i, "tests"], L[i, "tests_failed"], L[i, "tests_skipped"]
    if (nx > 0) {
        print ""
        print "| exercise | points | verdict |"
        print "|---|---:|---|"
        for (i = 0; i < nx; i++) {
            id = X[i, "id"]; if (id == "") id = X[i, "exercise"]
            printf "| %s | %d / %d | %s |\n", cell(id), X[i, "earned"], X[i, "points"], cell(X[i, "verdict"])
        }
    }
    bad = 0
    for (i = 0; i < nt; i++) bad += (T[i, "verdict"] != "earned")
    if (bad) {
        print ""
        print "### Tests that did not earn their points"
        print ""
        print "| test | points | verdict | why |"
        print "|---|---:|---|---|"
        for (i = 0; i < nt; i++)
            if (T[i, "verdict"] != "earned") {
                why = cell(T[i, "reason"])
                if ((i in M) && why !~ /exercise/) why = why (why ? " " : "") "(missing exercises: " cell(M[i]) ")"
                printf "| %s/%s | %d / %d | %s | %s |\n", cell(T[i, "lesson"]), cell(T[i, "test"]), T[i, "earned"],
                    T[i, "possible"], cell(T[i, "verdict"]), why
            }
    }
    print ""
    print "<details><summary>Every test</summary>"
    print ""
    print "| test | part | points | verdict | runs passed / failed / skipped |"
    print "|---|---|---:|---|---|"
    for (i = 0; i < nt; i++)
        printf "| %s/%s | %s | %d / %d | %s | %d / %d / %d |\n", cell(T[i, "lesson"]), cell(T[i, "test"]), cell(T[i, "part"]),
            T[i, "earned"], T[i, "possible"], cell(T[i, "verdict"]), T[i, "runs_passed"], T[i, "runs_failed"], T[i, "runs_skipped"]
    print ""
    print "</details>"
    print ""
    printf "From `%s`. Reproduce with `make grade` (one test: `make grade TEST=name`).\n", src
    exit (E + 0 < P + 0) ? 1 : 0
}'
missing=$?
[ $fail_if_missing -eq 1 ] && [ $missing -ne 0 ] && exit 1
exit 0
