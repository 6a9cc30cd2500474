/**
 * @file scenario.h
 * @brief Scenarios: named things a stage can run, chosen by "run=" on the
 *        kernel command line.  The grader's tests select them the same way.
 *
 * "run=a,b" runs a then b (both must pass); "run=list" lists them.  With no
 * "run=", the scenario with the highest @c default_rank runs: each lesson
 * registers its demo with its own number, so a stage's default is its
 * newest lesson's demo.
 */
#ifndef SPECTRUM_SCENARIO_H
#define SPECTRUM_SCENARIO_H

#include <stdbool.h>

#include "spectrum/cmdline.h"
#include "spectrum/registry.h"

/** @brief One scenario. */
struct scenario {
    const char *name;               /**< what "run=" names */
    const char *help;               /**< one line for "run=list" */
    bool (*run)(const struct cmdline *cl); /**< returns true on pass */
    long default_rank;              /**< 0 = never the default */
};

TABLE_DECLARE(struct scenario, spectrum_scenario);

/** Register scenario @p id named @p name. */
#define REGISTER_SCENARIO(id, name, help, fn, rank)                           \
    static const struct scenario scenario_##id TABLE_ENTRY(spectrum_scenario) = { name, help, fn, rank }

/** @brief Run what @p cl asks for; true when every scenario passed. */
bool scenario_run(const struct cmdline *cl);

#endif
