# json-flat.awk - read a JSON document without python or jq (POSIX awk;
# Debian's default mawk is enough).
#
#   awk -f json-flat.awk FILE
#       one line per scalar: PATH<TAB>VALUE, PATH made of object keys and
#       array indexes joined by '.' ("tests.3.verdict", "earned"); a string
#       VALUE is printed as it is written in the file, without its quotes
#       and with its escapes (\" \\ \uXXXX) left as they are, so it never
#       holds a tab or a newline.
#   awk -v raw=KEY -f json-flat.awk FILE
#       the text of the value of the top-level key KEY exactly as it is in
#       the file (an array or object keeps its brackets), or nothing.
#
# Used by grader/grade-class (results.json -> grades.csv/grades.json) and by
# grader/classroom/summary.sh (results.json -> a Markdown job summary).  It
# is a reader for well-formed files such as the grader's results.json, not
# a validator: on malformed input it prints what it could make sense of.

{ text = text $0 "\n" }

function here() {
    if (d == 0)
        return ""
    return path[d] "." (typ[d] == "{" ? key[d] : cnt[d])
}

# A value starts at text position @pos: remember it if it is the raw one.
function begin(p, pos) {
    if (raw != "" && !rs && p == "." raw) {
        rs = pos
        rdepth = d
    }
}

# A value ended at text position @pos, the depth back where it started.
function finish(pos) {
    if (rs && !re && d == rdepth)
        re = pos
}

function out(p, v) {
    if (raw == "")
        print substr(p, 2) "\t" v
}

END {
    n = length(text)
    d = 0
    i = 1
    while (i <= n) {
        c = substr(text, i, 1)
        if (c == " " || c == "\t" || c == "\n" || c == "\r" || c == ":") {
            i++
            continue
        }
        if (c == ",") {
            if (typ[d] == "{")
                expkey[d] = 1
            else
                cnt[d]++
            i++
            continue
        }
        if (c == "{" || c == "[") {
            p = here()
            begin(p, i)
            d++
            typ[d] = c
            path[d] = p
            cnt[d] = 0
            expkey[d] = (c == "{")
            i++
            continue
        }
        if (c == "}" || c == "]") {
            if (d > 0)
                d--
            finish(i)
            i++
            continue
        }
        if (c == "\"") {
            j = i + 1
            while (j <= n) {
                ch = substr(text, j, 1)
                if (ch == "\\")
                    j += 2
                else if (ch == "\"")
                    break
                else
                    j++
            }
            s = substr(text, i + 1, j - i - 1)
            if (d > 0 && typ[d] == "{" && expkey[d]) {
                key[d] = s
                expkey[d] = 0
            } else {
                p = here()
                begin(p, i)
                out(p, s)
                finish(j)
            }
            i = j + 1
            continue
        }
        # A number, true, false or null: up to the next delimiter.
        j = i
        while (j <= n) {
            ch = substr(text, j, 1)
            if (ch == "," || ch == "}" || ch == "]" || ch == " " || ch == "\t" || ch == "\n" || ch == "\r")
                break
            j++
        }
        p = here()
        begin(p, i)
        out(p, substr(text, i, j - i))
        finish(j - 1)
        i = j
    }
    if (raw != "" && rs && re)
        print substr(text, rs, re - rs + 1)
}
