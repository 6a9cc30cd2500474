/**
 * @file handout.c
 * @brief handout: turn the reference into the student tree of one lesson.
 *
 *   handout --lesson NN --out DIR [--root DIR] [--force] [--manifest FILE] [--exercise ID,ID]
 *   handout --lesson NN --out DIR [--root DIR] --check-only
 *
 * The files are those git tracks in the reference (so no build output can
 * end up in a handout), minus the folders of later lessons, the
 * reference's CI (.ci/, which runs the reference's test suite) and
 * shared/.  Sources and make fragments go through exercise_transform()
 * (lesson NN's regions become stubs), Markdown through markdown_transform()
 * (text about later lessons goes), everything else is copied byte for
 * byte with its executable bit.  Then the leak check: no distinctive line
 * of a lesson-NN solution may occur anywhere in the tree written.  Last,
 * the tree becomes a git repository with one commit.  It carries the
 * hosted-grading files in .github/ (class_files(), docs/teaching.md).
 *
 * --check-only runs the leak check alone on a tree already in DIR (a
 * handout edited since, or one from an older reference).
 *
 * --exercise ID,ID stubs only those exercises of lesson NN: a handout of a
 * few exercises (the rest keep their solutions), and what
 * grader/handout-check uses to try each stub on its own.
 *
 * --manifest writes, for grader/handout-check, one line per file that had
 * lesson-NN regions ("stubbed<TAB>PATH") and one per region
 * ("exercise<TAB>ID<TAB>POINTS<TAB>PATH:LINE").
 *
 * Exit status: 0 done, 1 failed (the message says why), 2 usage.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exercise.h"

/* No source file is this big; a bigger one is refused, not read. */
#define FILE_MAX (64L << 20)
/* In OUT/.git: this folder is a handout, which --force may empty. */
#define HANDOUT_MARK "spectrum-handout"

/* --exercise: NULL, or the only exercises (comma-separated ids) to stub. */
static const char *only;
/* Leaks reported before the rest are only counted. */
#define LEAKS_SHOWN 20

/** One file of the reference that goes into the handout. */
struct file {
    char *path;     /* relative to the root, as git lists it */
    char *text;     /* contents (a symbolic link: its target) */
    size_t len;
    bool exec;      /* any executable bit set in the reference */
    bool link;      /* a symbolic link */
    bool changed;   /* the handout's text differs from the reference's */
    int regions;    /* regions of the handout's lesson in it */
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("handout: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL)
        die("out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

/* "a" + "/" + "b", malloc'd. */
static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + 1 + strlen(b) + 1;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/%s", a, b);
    return p;
}

/* ------------------------------------------------------------------------ */
/* Running git                                                              */
/* ------------------------------------------------------------------------ */

/*
 * Run argv (no shell, so no quoting of paths); with out != NULL, collect
 * its standard output.  Returns its exit status, or -1 if it did not run.
 * GIT_DIR and friends are cleared so that git works on the folder named
 * by -C even when we are run from inside a git hook.
 */
static int run(char *const argv[], char **out, size_t *outlen)
{
    int fd[2];
    if (out && pipe(fd) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (out) {
            dup2(fd[1], 1);
            close(fd[0]);
            close(fd[1]);
        }
        unsetenv("GIT_DIR");
        unsetenv("GIT_WORK_TREE");
        unsetenv("GIT_INDEX_FILE");
        unsetenv("GIT_OBJECT_DIRECTORY");
        unsetenv("GIT_PREFIX");
        execvp(argv[0], argv);
        fprintf(stderr, "handout: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    if (out) {
        close(fd[1]);
        size_t cap = 65536, len = 0;
        char *buf = xmalloc(cap);
        ssize_t n;
        while ((n = read(fd[0], buf + len, cap - len - 1)) > 0 || (n < 0 && errno == EINTR)) {
            if (n < 0)
                continue;
            len += (size_t)n;
            if (cap - len - 1 == 0) {
                cap *= 2;
                char *p = realloc(buf, cap);
                if (p == NULL)
                    die("out of memory");
                buf = p;
            }
        }
        close(fd[0]);
        buf[len] = '\0';
        *out = buf;
        *outlen = len;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ------------------------------------------------------------------------ */
/* Files                                                                    */
/* ------------------------------------------------------------------------ */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        die("%s: cannot open: %s%s", path, strerror(errno),
            errno == ENOENT ? " (git tracks it: restore it or git rm it)" : "");
    size_t cap = 65536, n = 0, got;
    char *buf = xmalloc(cap);
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n > (size_t)FILE_MAX)
            die("%s: bigger than %ld MiB", path, FILE_MAX >> 20);
        if (cap - n - 1 == 0) {
            cap *= 2;
            char *p = realloc(buf, cap);
            if (p == NULL)
                die("out of memory");
            buf = p;
        }
    }
    if (ferror(f))
        die("%s: read error", path);
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* mkdir -p of the folder that will hold path. */
static void make_parents(const char *path)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) < 0 && errno != EEXIST)
            die("%s: cannot create folder: %s", p, strerror(errno));
        *s = '/';
    }
    free(p);
}

static void write_all(const char *path, const char *text, size_t len, bool exec)
{
    make_parents(path);
    mode_t mode = exec ? 0755 : 0644;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0)
        die("%s: cannot create: %s", path, strerror(errno));
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            die("%s: write error: %s", path, strerror(errno));
        done += (size_t)n;
    }
    /* the umask must not take the executable bit of a script away */
    if (fchmod(fd, mode) < 0 || close(fd) < 0)
        die("%s: %s", path, strerror(errno));
}

/* Whether a folder is missing or has nothing in it. */
static bool dir_empty(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL) {
        if (errno == ENOENT)
            return true;
        die("%s: cannot open: %s", path, strerror(errno));
    }
    struct dirent *e;
    bool empty = true;
    while (empty && (e = readdir(d)) != NULL)
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    return empty;
}

/* rm -rf of what is inside path (not path itself); links are not followed. */
static void empty_dir(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL)
        die("%s: cannot open: %s", path, strerror(errno));
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p = join(path, e->d_name);
        struct stat st;
        if (lstat(p, &st) < 0)
            die("%s: %s", p, strerror(errno));
        if (S_ISDIR(st.st_mode)) {
            empty_dir(p);
            if (rmdir(p) < 0)
                die("%s: cannot remove: %s", p, strerror(errno));
        } else if (unlink(p) < 0) {
            die("%s: cannot remove: %s", p, strerror(errno));
        }
        free(p);
    }
    closedir(d);
}

/* Whether folder a is b or contains it (both existing, compared resolved). */
static bool contains(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];
    if (realpath(a, ra) == NULL || realpath(b, rb) == NULL)
        return false;
    size_t n = strlen(ra);
    if (strcmp(ra, "/") == 0)
        return true;
    return strncmp(ra, rb, n) == 0 && (rb[n] == '\0' || rb[n] == '/');
}

/* ------------------------------------------------------------------------ */
/* What goes into the handout                                               */
/* ------------------------------------------------------------------------ */

/* lessons/MM-name/... with MM after the handout's lesson: not handed out. */
static bool later_lesson(const char *path, int lesson)
{
    if (strncmp(path, "lessons/", 8) != 0)
        return false;
    const char *p = path + 8;
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' || p[2] != '-')
        return false;
    return (p[0] - '0') * 10 + (p[1] - '0') > lesson;
}

static bool handed_out(const char *path, int lesson)
{
    if (strncmp(path, ".ci/", 4) == 0 || strncmp(path, "shared/", 7) == 0 || strcmp(path, "shared") == 0)
        return false;
    return !later_lesson(path, lesson);
}

static bool is_markdown(const char *path)
{
    size_t n = strlen(path);
    return n >= 3 && strcmp(path + n - 3, ".md") == 0;
}

/* ------------------------------------------------------------------------ */
/* The leak check                                                           */
/* ------------------------------------------------------------------------ */

struct leaks {
    const struct exercise_line *lines;
    int n;
    int found;
};

static void leak_file(struct leaks *lk, const char *path, const char *shown)
{
    size_t len;
    char *text = read_all(path, &len);
    int at, i = 0;
    while ((i = exercise_find_leak(lk->lines, lk->n, i, text, len, &at)) >= 0) {
        if (lk->found++ < LEAKS_SHOWN)
            fprintf(stderr, "handout: LEAK: %s:%d (exercise %s) is in the handout at %s:%d:\n    %s\n",
                    lk->lines[i].file, lk->lines[i].line, lk->lines[i].id, shown, at, lk->lines[i].text);
        i++;
    }
    free(text);
}

/* Every regular file under dir, whatever wrote it. */
static void leak_walk(struct leaks *lk, const char *dir, const char *shown)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        die("%s: cannot open: %s", dir, strerror(errno));
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (shown[0] == '\0' && strcmp(e->d_name, ".git") == 0)
            continue; /* the repository being made, not the tree */
        char *p = join(dir, e->d_name);
        char *s = shown[0] ? join(shown, e->d_name) : xstrdup(e->d_name);
        struct stat st;
        if (lstat(p, &st) < 0)
            die("%s: %s", p, strerror(errno));
        if (S_ISDIR(st.st_mode))
            leak_walk(lk, p, s);
        else if (S_ISREG(st.st_mode))
            leak_file(lk, p, s);
        free(p);
        free(s);
    }
    closedir(d);
}

/* ------------------------------------------------------------------------ */

/* ------------------------------------------------------------------------ */
/* The steps                                                                */
/* ------------------------------------------------------------------------ */

/** The reference's files that go into the handout. */
struct reference {
    struct file *files;
    int n;
    int dropped; /* tracked, but not handed out */
};

/* Read every file git tracks in root that lesson's handout gets. */
static void load_reference(const char *root, int lesson, const char *nn, struct reference *ref)
{
    char *list;
    size_t listlen;
    char *ls[] = {"git", "-C", (char *)root, "ls-files", "-z", NULL};
    if (run(ls, &list, &listlen) != 0)
        die("git ls-files failed in %s: the reference must be a git checkout", root);

    int cap = 0;
    bool have_lesson = false;
    char prefix[16];
    snprintf(prefix, sizeof prefix, "lessons/%s-", nn);
    memset(ref, 0, sizeof *ref);
    for (size_t pos = 0; pos < listlen; pos += strlen(list + pos) + 1) {
        const char *path = list + pos;
        if (strncmp(path, prefix, strlen(prefix)) == 0)
            have_lesson = true;
        if (!handed_out(path, lesson)) {
            ref->dropped++;
            continue;
        }
        char *full = join(root, path);
        struct stat st;
        if (lstat(full, &st) < 0)
            die("%s: %s (git tracks it: restore it or git rm it)", full, strerror(errno));
        if (S_ISDIR(st.st_mode)) {
            /* a submodule: its files are not the reference's */
            fprintf(stderr, "handout: %s is a submodule: not handed out\n", path);
            free(full);
            ref->dropped++;
            continue;
        }
        if (ref->n == cap) {
            cap = cap ? cap * 2 : 256;
            ref->files = realloc(ref->files, (size_t)cap * sizeof *ref->files);
            if (ref->files == NULL)
                die("out of memory");
        }
        struct file *f = &ref->files[ref->n++];
        memset(f, 0, sizeof *f);
        f->path = xstrdup(path);
        f->exec = (st.st_mode & 0111) != 0;
        if (S_ISLNK(st.st_mode)) {
            f->link = true;
            f->text = xmalloc(PATH_MAX);
            ssize_t n = readlink(full, f->text, PATH_MAX - 1);
            if (n < 0)
                die("%s: %s", full, strerror(errno));
            f->text[n] = '\0';
            f->len = (size_t)n;
        } else {
            f->text = read_all(full, &f->len);
        }
        free(full);
    }
    free(list);
    if (!have_lesson)
        die("lesson %s: no folder lessons/%s-* among the files git tracks in %s", nn, nn, root);
}

/* Every region well formed and regions of one id agreeing; count each
 * file's regions of the lesson.  Returns the markers (malloc'd). */
static struct exercise_marker *scan_regions(struct reference *ref, int lesson, int *nmarks)
{
    struct exercise_marker *marks = NULL;
    int total = 0;
    char err[1024];
    for (int i = 0; i < ref->n; i++) {
        struct file *f = &ref->files[i];
        if (f->link)
            continue;
        int n = exercise_scan_text(f->text, f->len, f->path, NULL, 0, err, sizeof err);
        if (n < 0)
            die("%s", err);
        if (n == 0)
            continue;
        marks = realloc(marks, (size_t)(total + n) * sizeof *marks);
        if (marks == NULL)
            die("out of memory");
        exercise_scan_text(f->text, f->len, f->path, marks + total, n, err, sizeof err);
        for (int k = 0; k < n; k++)
            if (exercise_picked(&marks[total + k], lesson, only))
                f->regions++;
        total += n;
    }
    if (exercise_check_agree(marks, total, err, sizeof err) < 0)
        die("%s", err);
    *nmarks = total;
    return marks;
}

/* Every id of --exercise is an exercise of the lesson. */
static void check_only_ids(const struct exercise_marker *marks, int nmarks, int lesson, const char *nn)
{
    for (const char *p = only; *p;) {
        size_t k = strcspn(p, ",");
        bool found = false;
        for (int i = 0; i < nmarks && !found; i++)
            found = marks[i].lesson == lesson && strlen(marks[i].id) == k && memcmp(marks[i].id, p, k) == 0;
        if (!found) {
            fprintf(stderr, "handout: --exercise %.*s: not an exercise of lesson %s; its exercises are:\n", (int)k, p,
                    nn);
            for (int i = 0; i < nmarks; i++)
                if (marks[i].lesson == lesson)
                    fprintf(stderr, "  %s (%s:%d)\n", marks[i].id, marks[i].file, marks[i].line);
            exit(1);
        }
        p += k + (p[k] == ',');
    }
}

/* Make outdir an empty git repository marked as a handout.  --force
 * empties only a folder this tool made (its .git holds HANDOUT_MARK), so a
 * mistyped --out cannot wipe a home folder or a checkout. */
static void prepare_out(const char *outdir, const char *root, bool force)
{
    char *mark = join(outdir, ".git/" HANDOUT_MARK);
    if (!dir_empty(outdir)) {
        if (!force)
            die("%s is not empty: pick an empty folder, or --force to replace an earlier handout there", outdir);
        if (contains(outdir, root))
            die("%s holds the reference %s: refusing to empty it", outdir, root);
        if (access(mark, F_OK) != 0)
            die("%s is not empty and no handout was made there (no .git/%s): refusing to empty it", outdir,
                HANDOUT_MARK);
        empty_dir(outdir);
    }
    char *inside = join(outdir, "x");
    make_parents(inside); /* mkdir -p outdir */
    free(inside);
    char *init[] = {"git", "-c", "init.defaultBranch=main", "-C", (char *)outdir, "init", "-q", NULL};
    if (run(init, NULL, NULL) != 0)
        die("git init failed in %s", outdir);
    static const char note[] = "made by grader/handout.c: handout --force may empty this folder\n";
    write_all(mark, note, sizeof note - 1, false);
    free(mark);
}

/* Write the handout's version of every file; count copied and transformed. */
static void write_tree(struct reference *ref, const char *outdir, int lesson, int *copied, int *transformed)
{
    char err[1024];
    *copied = *transformed = 0;
    for (int i = 0; i < ref->n; i++) {
        struct file *f = &ref->files[i];
        char *dest = join(outdir, f->path);
        if (f->link) {
            make_parents(dest);
            if (symlink(f->text, dest) < 0)
                die("%s: cannot create link: %s", dest, strerror(errno));
            (*copied)++;
            free(dest);
            continue;
        }
        char *text = NULL;
        size_t len = 0;
        int rc = 0;
        enum exercise_syntax syn = exercise_syntax_of(f->path);
        if (syn != EXERCISE_SYNTAX_NONE)
            rc = exercise_transform(f->text, f->len, f->path, syn, lesson, only, &text, &len, err, sizeof err);
        else if (is_markdown(f->path))
            rc = markdown_transform(f->text, f->len, f->path, lesson, &text, &len, err, sizeof err);
        if (rc < 0)
            die("%s", err);
        if (text) {
            f->changed = len != f->len || memcmp(text, f->text, len) != 0;
            write_all(dest, text, len, f->exec);
            free(text);
        } else {
            write_all(dest, f->text, f->len, f->exec);
        }
        if (f->changed)
            (*transformed)++;
        else
            (*copied)++;
        free(dest);
    }
}

/* The reference's file @p path, or NULL. */
static const struct file *find_file(const struct reference *ref, const char *path)
{
    for (int i = 0; i < ref->n; i++)
        if (strcmp(ref->files[i].path, path) == 0)
            return &ref->files[i];
    return NULL;
}

/*
 * The hosted-grading files (docs/teaching.md): GitHub runs workflows from
 * .github/workflows/ and Classroom's autograder reads
 * .github/classroom/autograding.json, made here from the handout's own
 * grade.spec files so it lists exactly this lesson's tests.  A reference
 * without grader/classroom/ (an older one) gets none.  Returns how many
 * files were added.
 */
static int class_files(const struct reference *ref, const char *outdir, const char *nn)
{
    static const char *const workflows[][2] = {
        { "grader/classroom/grade.yml", ".github/workflows/grade.yml" },
        { "grader/classroom/classroom.yml", ".github/workflows/classroom.yml" },
    };
    int added = 0;
    for (size_t i = 0; i < sizeof workflows / sizeof *workflows; i++) {
        const struct file *f = find_file(ref, workflows[i][0]);
        if (f == NULL || f->link)
            continue;
        char *dest = join(outdir, workflows[i][1]);
        write_all(dest, f->text, f->len, false);
        free(dest);
        added++;
    }
    const struct file *gen = find_file(ref, "grader/classroom/gen-autograding");
    if (gen == NULL)
        return added;
    char *script = join(outdir, "grader/classroom/gen-autograding");
    char stage[3];
    snprintf(stage, sizeof stage, "%s", nn);
    char *argv[] = { "bash", script, "--stage", stage, "--root", (char *)outdir, NULL };
    char *json = NULL;
    size_t len = 0;
    int rc = run(argv, &json, &len);
    if (rc != 0 || len == 0)
        die("grader/classroom/gen-autograding --stage %s --root %s failed (exit %d): the handout has no "
            "autograding.json", nn, outdir, rc);
    char *dest = join(outdir, ".github/classroom/autograding.json");
    write_all(dest, json, len, false);
    free(dest);
    free(json);
    free(script);
    return added + 1;
}

/* The leak check: no distinctive solution line of the lesson anywhere in
 * outdir (its .git aside).  Returns how many distinctive lines there are;
 * dies naming each leak. */
static int leak_check(const struct reference *ref, int lesson, const char *nn, const char *outdir)
{
    char err[1024];
    struct exercise_source *src = xmalloc((size_t)ref->n * sizeof *src);
    int nsrc = 0;
    for (int i = 0; i < ref->n; i++)
        if (!ref->files[i].link)
            src[nsrc++] = (struct exercise_source){ref->files[i].path, ref->files[i].text, ref->files[i].len};
    struct exercise_line *lines;
    int nlines;
    if (exercise_distinctive_lines(src, nsrc, lesson, only, &lines, &nlines, err, sizeof err) < 0)
        die("%s", err);
    free(src);
    struct leaks lk = {lines, nlines, 0};
    leak_walk(&lk, outdir, "");
    exercise_lines_free(lines, nlines);
    if (lk.found) {
        if (lk.found > LEAKS_SHOWN)
            fprintf(stderr, "handout: ... and %d more\n", lk.found - LEAKS_SHOWN);
        die("the solution of lesson %s leaked into %s (%d places): it is NOT a handout; fix the regions "
            "(or the stubs) and run again",
            nn, outdir, lk.found);
    }
    return nlines;
}

/* One commit, with an identity of its own: the machine may have none. */
static void commit(const char *outdir, const char *nn, char *msg, size_t msgcap)
{
    snprintf(msg, msgcap, "Spectrum lesson %s handout%s%s%s", nn, only ? " (exercises " : "", only ? only : "",
             only ? ")" : "");
    char *add[] = {"git", "-C", (char *)outdir, "add", "-A", "-f", ".", NULL};
    char *ci[] = {"git", "-C", (char *)outdir, "-c", "user.name=Spectrum handout",
                  "-c", "user.email=handout@spectrum.invalid", "-c", "commit.gpgsign=false",
                  "commit", "-q", "--no-verify", "-m", msg, NULL};
    if (run(add, NULL, NULL) != 0 || run(ci, NULL, NULL) != 0)
        die("git could not commit the handout in %s", outdir);
}

static int cmp_marker(const void *a, const void *b)
{
    const struct exercise_marker *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c == 0)
        c = strcmp(x->file, y->file);
    return c ? c : x->line - y->line;
}

/* The summary, and the manifest for grader/handout-check. */
static void report(const struct reference *ref, struct exercise_marker *marks, int nmarks, int lesson,
                   const char *nn, const char *manifest)
{
    qsort(marks, (size_t)nmarks, sizeof *marks, cmp_marker);
    int nex = 0, points = 0;
    for (int i = 0; i < nmarks; i++)
        if (exercise_picked(&marks[i], lesson, only) && (i == 0 || strcmp(marks[i].id, marks[i - 1].id) != 0))
            nex++, points += marks[i].points;
    for (int i = 0; i < ref->n; i++)
        if (ref->files[i].changed)
            printf("  transformed: %s%s\n", ref->files[i].path, ref->files[i].regions ? " (exercise stubs)" : "");
    if (nex == 0)
        printf("exercises stubbed: none (lesson %s has no exercise regions: the handout is the reference)\n", nn);
    else
        printf("exercises stubbed: %d, %d points:\n", nex, points);
    for (int i = 0; i < nmarks; i++)
        if (exercise_picked(&marks[i], lesson, only))
            printf("  %-32s %4d points  %s:%d\n", marks[i].id, marks[i].points, marks[i].file, marks[i].line);
    if (manifest == NULL)
        return;
    FILE *m = fopen(manifest, "w");
    if (m == NULL)
        die("%s: %s", manifest, strerror(errno));
    for (int i = 0; i < ref->n; i++)
        if (ref->files[i].regions)
            fprintf(m, "stubbed\t%s\n", ref->files[i].path);
    for (int i = 0; i < nmarks; i++)
        if (exercise_picked(&marks[i], lesson, only))
            fprintf(m, "exercise\t%s\t%d\t%s:%d\n", marks[i].id, marks[i].points, marks[i].file, marks[i].line);
    if (fclose(m) != 0)
        die("%s: write error", manifest);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: handout --lesson NN --out DIR [--root DIR] [--force] [--manifest FILE] [--exercise ID,ID]\n"
            "       handout --lesson NN --out DIR [--root DIR] --check-only\n"
            "  writes the student tree of lesson NN of the reference in --root (default .) into DIR,\n"
            "  which must be empty, or an earlier handout with --force (its contents are replaced);\n"
            "  --check-only writes nothing and runs the leak check on the tree already in DIR;\n"
            "  --exercise stubs only these exercises of lesson NN (the others keep their solutions)\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *root = ".", *outdir = NULL, *manifest = NULL;
    int lesson = -1;
    bool force = false, check_only = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--force") == 0) {
            force = true;
        } else if (strcmp(argv[i], "--check-only") == 0) {
            check_only = true;
        } else if (i + 1 < argc && strcmp(argv[i], "--lesson") == 0) {
            const char *s = argv[++i];
            char *end;
            long v = strtol(s, &end, 10);
            if (*s < '0' || *s > '9' || *end || strlen(s) > 2 || v < 1)
                die("--lesson %s: want a lesson number, 01 to 99", s);
            lesson = (int)v;
        } else if (i + 1 < argc && strcmp(argv[i], "--out") == 0) {
            outdir = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--root") == 0) {
            root = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--manifest") == 0) {
            manifest = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--exercise") == 0) {
            only = argv[++i];
        } else {
            usage();
        }
    }
    if (lesson < 0 || outdir == NULL || outdir[0] == '\0' || (check_only && (force || manifest)))
        usage();
    char nn[3];
    snprintf(nn, sizeof nn, "%02d", lesson);

    struct reference ref;
    load_reference(root, lesson, nn, &ref);
    int nmarks;
    struct exercise_marker *marks = scan_regions(&ref, lesson, &nmarks);
    if (only)
        check_only_ids(marks, nmarks, lesson, nn);

    if (check_only) {
        if (dir_empty(outdir))
            die("%s: nothing there to check", outdir);
        int nlines = leak_check(&ref, lesson, nn, outdir);
        printf("leak check: %d distinctive solution lines of lesson %s, none in %s\n", nlines, nn, outdir);
    } else {
        prepare_out(outdir, root, force);
        int copied, transformed;
        write_tree(&ref, outdir, lesson, &copied, &transformed);
        int nclass = class_files(&ref, outdir, nn);
        int nlines = leak_check(&ref, lesson, nn, outdir);
        char msg[256];
        commit(outdir, nn, msg, sizeof msg);
        printf("handout %s: %d files in %s: %d copied as they are, %d transformed; %d not handed out "
               "(later lessons, .ci/, shared/)\n",
               nn, ref.n, outdir, copied, transformed, ref.dropped);
        if (nclass)
            printf("hosted grading: %d files in %s/.github (workflows, classroom/autograding.json)\n", nclass,
                   outdir);
        report(&ref, marks, nmarks, lesson, nn, manifest);
        printf("leak check: %d distinctive solution lines, none in the handout\n", nlines);
        printf("committed in %s: \"%s\"\n", outdir, msg);
    }

    free(marks);
    for (int i = 0; i < ref.n; i++) {
        free(ref.files[i].path);
        free(ref.files[i].text);
    }
    free(ref.files);
    return 0;
}
