/**
 * @file scenario.c
 * @brief Chooses and runs scenarios from the "run=" option.
 */
#include "spectrum/scenario.h"

#include "spectrum/console.h"
#include "spectrum/options.h"
#include "spectrum/string.h"

REGISTER_OPTION(run, "scenarios to run, comma-separated; run=list lists them");

static const struct scenario *find(const char *name, size_t len)
{
    TABLE_FOREACH(struct scenario, spectrum_scenario, s)
        if (strlen(s->name) == len && strncmp(s->name, name, len) == 0)
            return s;
    return 0;
}

static void list(void)
{
    kprintf("scenarios in this stage:\n");
    TABLE_FOREACH(struct scenario, spectrum_scenario, s)
        kprintf("  %-24s %s\n", s->name, s->help);
}

static bool run_one(const struct scenario *s, const struct cmdline *cl)
{
    kprintf("== scenario %s ==\n", s->name);
    bool ok = s->run(cl);
    kprintf("== scenario %s: %s ==\n", s->name, ok ? "PASS" : "FAIL");
    return ok;
}

bool scenario_run(const struct cmdline *cl)
{
    const char *run = cmdline_get(cl, "run");
    if (!run || !*run) {
        const struct scenario *best = 0;
        TABLE_FOREACH(struct scenario, spectrum_scenario, s)
            if (s->default_rank > 0 && (!best || s->default_rank > best->default_rank))
                best = s;
        if (!best) {
            kprintf("no run= given and this stage has no default scenario\n");
            list();
            return false;
        }
        return run_one(best, cl);
    }
    if (strcmp(run, "list") == 0) {
        list();
        options_list();
        return true;
    }
    bool all = true;
    while (*run) {
        const char *comma = strchr(run, ',');
        size_t len = comma ? (size_t)(comma - run) : strlen(run);
        const struct scenario *s = find(run, len);
        if (!s) {
            kprintf("unknown scenario '%.*s'\n", (int)len, run);
            list();
            return false;
        }
        all = run_one(s, cl) && all;
        run += len;
        if (*run == ',')
            run++;
    }
    return all;
}
