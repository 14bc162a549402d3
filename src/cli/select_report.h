/* select_report.h — law lists on the command line, and the selection's
 * table and JSON (select, fit --law auto). */
#ifndef MIXSCOPE_CLI_SELECT_REPORT_H
#define MIXSCOPE_CLI_SELECT_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "cli/fitopts.h"
#include "mixscope/select.h"

#define SELECT_MAX_LAWS 16
typedef struct {
    const ms_law_def *defs[SELECT_MAX_LAWS];
    size_t n;
} select_laws;

/* Every registered law. */
void select_laws_all(select_laws *l);
/* "capnoise,separable": CLI_OK, or a usage error printed for `cmd`. */
int select_laws_parse(select_laws *l, const char *cmd, const char *arg);

/* What compare and select both take: the fit options, --laws and --json.
 * laws_option handles them for the command named in `cmd`. */
enum { LAWS_OPT_LAWS = CLI_OPT_FIRST_FREE, LAWS_OPT_JSON };
typedef struct {
    const char *cmd;
    fitopts fo;
    select_laws laws;
    int json;
} laws_args;
void laws_args_init(laws_args *a, const char *cmd);
int laws_option(void *ctx, int opt, const char *arg);
#define LAWS_LONGOPTS                                                       \
    {"laws", required_argument, 0, LAWS_OPT_LAWS},                          \
    {"json", no_argument, 0, LAWS_OPT_JSON}

void select_print(FILE *f, const ms_sweep *s, const ms_selection *sel, const fitopts *fo);
json_t *select_json(const ms_selection *sel);

#endif
