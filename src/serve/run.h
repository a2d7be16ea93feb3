/*
 * run.h - running netvet itself as a child process, the way `netvet
 * serve` computes every analysis: the same code path and document as the
 * command line, with the child's crash, memory and time its own.
 */
#ifndef NV_SERVE_RUN_H
#define NV_SERVE_RUN_H

#include "core/err.h"

#include <stddef.h>

/* What a child is given. */
struct nv_run {
    const char *exe;         /* the program ("/proc/self/exe") */
    const char *const *argv; /* NULL-terminated; argv[0] is its name */
    const char *cwd;         /* NULL: ours */
    const char *input;       /* standard input (NULL: none) */
    size_t input_len;
    int seconds;       /* wall-clock and CPU limit */
    size_t max_output; /* the most stdout kept; more is an error */
};

/* What it did. */
struct nv_run_result {
    int status;       /* exit status; -1 killed (timeout or signal) */
    int timed_out;    /* it ran out of time */
    char *out, *errs; /* stdout and the end of stderr (nv_free both) */
    size_t out_len, errs_len;
};

/*
 * Run r and wait for it (at most r->seconds, then it is killed).
 * NV_EIO when it cannot be started, NV_ELIMIT when its output is
 * larger than max_output (it is killed).  res is filled otherwise.
 */
enum nv_rc nv_run(const struct nv_run *r, struct nv_run_result *res,
                  struct nv_err *err) NV_WUR;

void nv_run_result_release(struct nv_run_result *res);

#endif
