/*
 * cli.h - what every subcommand shares: options declared as data, usage
 * text, exit codes, and the one way errors reach the user.
 *
 * Only src/cmd/ and src/main.c print; the library hands errors back.
 */
#ifndef NV_CLI_H
#define NV_CLI_H

#include "core/atomic.h"
#include "core/err.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes of every subcommand, so pipelines can gate on them. */
enum nv_exit {
    NV_EXIT_OK = 0,       /* done; nothing to report */
    NV_EXIT_FINDINGS = 1, /* done; findings (matches, exposure, diffs) */
    NV_EXIT_USAGE = 2,    /* bad input: arguments, files, signatures */
    NV_EXIT_INTERNAL = 3  /* out of memory or an I/O failure on output */
};

enum nv_opt_kind {
    NV_OPT_FLAG,   /* int *: set to 1 */
    NV_OPT_STRING, /* const char **: last one wins */
    NV_OPT_LIST    /* struct nv_strlist *: each use appends */
};

/* Borrowed strings (from argv); the array itself is owned. */
struct nv_strlist {
    const char **items;
    size_t n;
};

struct nv_opt {
    const char *name; /* long name without "--" */
    enum nv_opt_kind kind;
    void *dest;
    const char *arg; /* the argument's name in the usage, e.g. "FILE" */
    const char *help;
};

struct nv_cmd_spec {
    const char *name;     /* "inspect" */
    const char *synopsis; /* "MODEL..." */
    const char *about;    /* a paragraph: what it does and prints */
    const char *examples; /* lines of example commands with comments */
    const struct nv_opt *opts;
    size_t nopts;
};

/*
 * Parse argv[1..argc) against spec: options go to their destinations, the
 * rest (and everything after "--") to args.  Returns NV_EXIT_OK to go on,
 * -1 after printing --help (the command should exit 0), or NV_EXIT_USAGE
 * after printing what was wrong.
 */
int nv_cli_parse(const struct nv_cmd_spec *spec, int argc, char **argv,
                 struct nv_strlist *args);

/* Print the usage of spec to out. */
void nv_cli_usage(const struct nv_cmd_spec *spec, FILE *out);

/* Free the array of l (not the strings, which are borrowed). */
void nv_strlist_release(struct nv_strlist *l);

/* Append s to l; NV_ENOMEM leaves l unchanged. */
enum nv_rc nv_strlist_add(struct nv_strlist *l, const char *s) NV_WUR;

/* Parse the value of option --name (text, NULL if not given) as a whole
 * number in [0, max] into *out; a usage error otherwise. */
int nv_cli_number(const struct nv_cmd_spec *spec, const char *name,
                  const char *text, int64_t max, uint32_t *out);

/*
 * The group id ("vendor:huawei", "country:CN", "designation:high-risk")
 * named by whichever of the --vendor, --country and --designation values
 * is given (NULL when absent).  More than one is a usage error; none is
 * one too when required, else *id is "".
 */
int nv_cli_group_id(const struct nv_cmd_spec *spec, const char *vendor,
                    const char *country, const char *designation, int required,
                    char *id, size_t size);

/*
 * The group that name ("vendor:Huawei", "country:cn",
 * "designation:High-Risk") designates among gs, the groups of m: its
 * value resolved as policies resolve theirs (vendors by id, name or
 * alias in any case, then the catalogue; ISO country codes in any case;
 * designations in any case).  A usage error that suggests the closest
 * names when it designates nothing.
 */
struct nv_groups;
struct nv_model;
int nv_cli_find_group(const struct nv_cmd_spec *spec, const struct nv_model *m,
                      const struct nv_groups *gs, const char *name,
                      uint32_t *g);

/* The day text names ("YYYY-MM-DD"; today in UTC when text is NULL)
 * into out, which has room for size (at least 11) bytes; a usage error
 * when text is not such a date. */
int nv_cli_date(const struct nv_cmd_spec *spec, const char *text, char *out,
                size_t size);

/* Load and finish the model made of the files in args (at least one),
 * then screen the vendor strings exact resolution left unresolved against
 * the restricted-party lists named in lists (none: no screening); print
 * the error and return its exit code if that fails. */
struct nv_model;
int nv_cli_load_model(const struct nv_cmd_spec *spec,
                      const struct nv_strlist *args,
                      const struct nv_strlist *lists, struct nv_model **m);

/* The same, and with strict set, fuzzy list matches are not taken but
 * noted as review items (--strict-vendors). */
int nv_cli_load_model_strict(const struct nv_cmd_spec *spec,
                             const struct nv_strlist *args,
                             const struct nv_strlist *lists, int strict,
                             struct nv_model **m);

/* Print, and write as the JSON member "resolutions", every vendor string
 * of m that was not resolved exactly: the entity, the method, the score
 * and the name it matched (resolve.h). */
void nv_cli_print_resolutions(const struct nv_model *m);
struct nv_jsonw;
void nv_cli_json_resolutions(struct nv_jsonw *w, const struct nv_model *m);

/*
 * Print "netvet: FILE:LINE:COL: message" to stderr and return the exit
 * code that fits the error (NV_EXIT_INTERNAL for ENOMEM, else USAGE).
 */
int nv_cli_fail(const struct nv_err *err);

/*
 * An output file that appears whole or not at all: written to a temporary
 * file beside path and renamed over it when done.  path NULL or "-" is
 * standard output.
 */
struct nv_cli_out {
    FILE *f;
    const char *path; /* NULL for standard output */
    struct nv_atomic file;
};

/* Open o for path; an exit code after printing why it cannot be. */
int nv_cli_out_open(struct nv_cli_out *o, const char *path);

/* When ok, flush, sync and rename into place; else remove what was
 * written.  Returns NV_EXIT_OK, or NV_EXIT_INTERNAL after printing why
 * the output could not be written. */
int nv_cli_out_close(struct nv_cli_out *o, int ok);

/* Writing to o failed with err: remove what was written, print
 * "netvet: PATH: why" (PATH "standard output" for stdout) and return
 * NV_EXIT_INTERNAL. */
int nv_cli_out_fail(struct nv_cli_out *o, const struct nv_err *err);

/* The limits for reading an image: --threads N and --max-bytes SIZE
 * (a number of bytes, or with K, M, G or T for powers of 1024), each NULL
 * when not given. */
struct nv_image_limits;
int nv_cli_image_limits(const struct nv_cmd_spec *spec, const char *threads,
                        const char *max_bytes, struct nv_image_limits *l);

/* Load the key files of paths into keys[0..n) (at most max); an exit
 * code after printing why one cannot be loaded, the others freed. */
struct nv_key;
int nv_cli_load_keys(const struct nv_strlist *paths, struct nv_key **keys,
                     size_t max, size_t *n);

/*
 * The evidence log: commands that decide something (manifest, verify,
 * update, release) take --log DIR and --log-key KEY and append what they
 * decided as one JSON object {"kind", "time", ...} to the log in DIR
 * (evlog.h), whose checkpoint KEY signs.
 */
struct nv_cli_evidence {
    const char *log, *key;
};

struct nv_jsonw;
typedef void (*nv_cli_evidence_fn)(struct nv_jsonw *w, const void *ctx);

/* A usage error unless --log and --log-key are both given or neither. */
int nv_cli_evidence_check(const struct nv_cmd_spec *spec,
                          const struct nv_cli_evidence *e);

/* When --log is given, append {"kind": kind, "time": now, members written
 * by fn(w, ctx)} and say so on standard error; an exit code. */
int nv_cli_evidence_record(const struct nv_cli_evidence *e, const char *kind,
                           nv_cli_evidence_fn fn, const void *ctx);

/*
 * The progress line of this process on standard error (progress.h), or
 * NULL when none is to be drawn: --quiet was given, or standard error is
 * not a terminal.  A job shows it once it has run for a second; the
 * environment variable NETVET_PROGRESS_AFTER_MS, meant for tests,
 * changes that delay.
 */
struct nv_progress;
struct nv_progress *nv_cli_progress(void);

/* nv_exposure_compute with the progress line. */
struct nv_exposure;
enum nv_rc nv_cli_exposure(const struct nv_model *m, int threads,
                           struct nv_exposure *x, struct nv_err *err) NV_WUR;

/* A monotonic clock in seconds, for --timing. */
/* The costs file of --costs (plan/costs.h), read for m; *c is NULL
 * without one.  Free it with nv_costs_free. */
struct nv_costs;
int nv_cli_load_costs(const char *path, const struct nv_model *m,
                      struct nv_costs **c);

double nv_cli_seconds(void);

/* Print "netvet: <cmd>: message" to stderr and return NV_EXIT_USAGE. */
int nv_cli_usage_error(const struct nv_cmd_spec *spec, const char *fmt, ...)
    NV_PRINTF(2, 3);

#endif
