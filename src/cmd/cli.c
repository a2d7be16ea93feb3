/*
 * cli.c - option parsing from tables, usage text and error printing.
 */
#include "cmd/cli.h"

#include "core/alloc.h"
#include "core/crypto.h"
#include "integrity/evlog.h"
#include "integrity/image.h"
#include "core/json.h"
#include "model/load.h"
#include "model/resolve.h"
#include "model/catalogue.h"
#include "exposure/exposure.h"
#include "exposure/groups.h"
#include "core/parse.h"
#include "core/progress.h"
#include "plan/costs.h"
#include "screen/screen.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/*
 * --quiet, which every command takes, and the progress line it silences.
 * Both belong to the process, as standard error does: --quiet is set
 * while the command line is parsed, before any work or thread starts.
 */
static int quiet;
static struct nv_progress progress;

void nv_strlist_release(struct nv_strlist *l)
{
    nv_free(l->items);
    l->items = NULL;
    l->n = 0;
}

enum nv_rc nv_strlist_add(struct nv_strlist *l, const char *s)
{
    const char **items = nv_reallocarray(l->items, l->n + 1, sizeof *items);

    if (!items)
        return NV_ENOMEM;
    items[l->n++] = s;
    l->items = items;
    return NV_OK;
}

static const struct nv_opt *find_opt(const struct nv_cmd_spec *spec,
                                     const char *name, size_t len)
{
    for (size_t i = 0; i < spec->nopts; i++)
        if (strlen(spec->opts[i].name) == len &&
            memcmp(spec->opts[i].name, name, len) == 0)
            return &spec->opts[i];
    return NULL;
}

void nv_cli_usage(const struct nv_cmd_spec *spec, FILE *out)
{
    fprintf(out, "usage: netvet %s [OPTIONS] %s\n\n%s\n", spec->name,
            spec->synopsis, spec->about);
    if (spec->nopts)
        fputs("\noptions:\n", out);
    for (size_t i = 0; i < spec->nopts; i++) {
        const struct nv_opt *o = &spec->opts[i];
        char left[64];

        snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "",
                 o->arg ? o->arg : "");
        fprintf(out, "  %-24s %s\n", left, o->help);
    }
    if (!find_opt(spec, "quiet", 5))
        fprintf(out, "  %-24s %s\n", "--quiet",
                "draw no progress line on standard error");
    fprintf(out, "  %-24s %s\n", "--help", "show this help and exit");
    /* Unless the command has a paragraph of its own, the general rule. */
    if (!strstr(spec->about, "\nExit status:"))
        fputs("\nExit status: 0 done, nothing to report; 1 findings; 2 bad "
              "input\n(arguments, files, signatures); 3 out of memory or "
              "output that\ncannot be written.\n",
              out);
    if (spec->examples)
        fprintf(out, "\nexamples:\n%s", spec->examples);
}

int nv_cli_usage_error(const struct nv_cmd_spec *spec, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "netvet: %s: ", spec->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'netvet %s --help')\n", spec->name);
    return NV_EXIT_USAGE;
}

/* Store value (NULL for a flag) where o says. */
static int apply_opt(const struct nv_cmd_spec *spec, const struct nv_opt *o,
                     const char *value)
{
    switch (o->kind) {
    case NV_OPT_FLAG:
        if (value)
            return nv_cli_usage_error(spec, "--%s takes no value", o->name);
        *(int *)o->dest = 1;
        return NV_EXIT_OK;
    case NV_OPT_STRING:
        *(const char **)o->dest = value;
        return NV_EXIT_OK;
    case NV_OPT_LIST:
        if (nv_strlist_add(o->dest, value))
            return NV_EXIT_INTERNAL;
        return NV_EXIT_OK;
    }
    return NV_EXIT_INTERNAL;
}

/* Handle argv[*i], a "--name[=value]"; may consume argv[*i + 1]. */
static int parse_long(const struct nv_cmd_spec *spec, int argc, char **argv,
                      int *i)
{
    const char *name = argv[*i] + 2, *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const struct nv_opt *o = find_opt(spec, name, len);
    const char *value = eq ? eq + 1 : NULL;

    if (!o)
        return nv_cli_usage_error(spec, "unknown option '--%.*s'", (int)len,
                                  name);
    if (o->kind != NV_OPT_FLAG && !value) {
        if (*i + 1 >= argc)
            return nv_cli_usage_error(spec, "--%s needs %s", o->name,
                                      o->arg ? o->arg : "a value");
        value = argv[++*i];
    }
    return apply_opt(spec, o, value);
}

int nv_cli_parse(const struct nv_cmd_spec *spec, int argc, char **argv,
                 struct nv_strlist *args)
{
    int only_args = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int rc;

        if (only_args || a[0] != '-' || strcmp(a, "-") == 0) {
            rc = nv_strlist_add(args, a) ? NV_EXIT_INTERNAL : NV_EXIT_OK;
        } else if (strcmp(a, "--") == 0) {
            only_args = 1;
            continue;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            nv_cli_usage(spec, stdout);
            return -1;
        } else if (strcmp(a, "--quiet") == 0) {
            /* A command's own --quiet silences its summary too. */
            const struct nv_opt *own = find_opt(spec, "quiet", 5);
            quiet = 1;
            rc = own ? apply_opt(spec, own, NULL) : NV_EXIT_OK;
        } else if (a[1] == '-') {
            rc = parse_long(spec, argc, argv, &i);
        } else if (strcmp(a, "-o") == 0 && find_opt(spec, "output", 6)) {
            rc = i + 1 < argc
                     ? apply_opt(spec, find_opt(spec, "output", 6), argv[i + 1])
                     : nv_cli_usage_error(spec, "-o needs PATH");
            i++;
        } else {
            rc = nv_cli_usage_error(spec, "unknown option '%s'", a);
        }
        if (rc != NV_EXIT_OK)
            return rc;
    }
    return NV_EXIT_OK;
}

int nv_cli_fail(const struct nv_err *err)
{
    char line[NV_ERR_FILE_SIZE + NV_ERR_MSG_SIZE + 64];

    /* A write to standard output that failed is no bad input. */
    if (err->rc == NV_EIO && !err->file[0] && ferror(stdout)) {
        fprintf(stderr, "netvet: standard output: %s\n", err->msg);
        return NV_EXIT_INTERNAL;
    }
    nv_err_format(err, line, sizeof line);
    fprintf(stderr, "netvet: %s\n", line);
    return err->rc == NV_ENOMEM ? NV_EXIT_INTERNAL : NV_EXIT_USAGE;
}

int nv_cli_number(const struct nv_cmd_spec *spec, const char *name,
                  const char *text, int64_t max, uint32_t *out)
{
    int64_t v;

    if (!text)
        return NV_EXIT_OK;
    if (nv_parse_i64(text, strlen(text), 0, max, &v))
        return nv_cli_usage_error(spec, "--%s takes a number from 0 to %lld",
                                  name, (long long)max);
    *out = (uint32_t)v;
    return NV_EXIT_OK;
}

int nv_cli_date(const struct nv_cmd_spec *spec, const char *text, char *out,
                size_t size)
{
    time_t now = time(NULL);
    struct tm tm;

    if (!text) {
        gmtime_r(&now, &tm);
        strftime(out, size, "%Y-%m-%d", &tm);
        return NV_EXIT_OK;
    }
    if (strlen(text) != 10 || text[4] != '-' || text[7] != '-')
        return nv_cli_usage_error(spec, "--date is YYYY-MM-DD");
    snprintf(out, size, "%s", text);
    return NV_EXIT_OK;
}

static int screen_vendors(const struct nv_strlist *lists, int strict,
                          struct nv_model *m)
{
    struct nv_screen s;
    struct nv_err err = {0};
    uint32_t matched;
    enum nv_rc rc;

    nv_err_clear(&err);
    if (nv_screen_open(&s, lists->items, lists->n, &err))
        return nv_cli_fail(&err);
    s.strict = strict;
    s.progress = nv_cli_progress();
    rc = nv_screen_model(&s, m, &matched, &err);
    nv_screen_close(&s);
    return rc ? nv_cli_fail(&err) : NV_EXIT_OK;
}

int nv_cli_load_model(const struct nv_cmd_spec *spec,
                      const struct nv_strlist *args,
                      const struct nv_strlist *lists, struct nv_model **m)
{
    return nv_cli_load_model_strict(spec, args, lists, 0, m);
}

int nv_cli_load_model_strict(const struct nv_cmd_spec *spec,
                             const struct nv_strlist *args,
                             const struct nv_strlist *lists, int strict,
                             struct nv_model **m)
{
    struct nv_err err = {0};
    int rc;

    nv_err_clear(&err);
    if (args->n == 0)
        return nv_cli_usage_error(spec, "name at least one MODEL file");
    if (nv_load_model_progress(args->items, args->n, nv_cli_progress(), m,
                               &err))
        return nv_cli_fail(&err);
    rc = lists && lists->n ? screen_vendors(lists, strict, *m) : NV_EXIT_OK;
    if (rc) {
        nv_model_free(*m);
        *m = NULL;
    }
    return rc;
}

int nv_cli_group_id(const struct nv_cmd_spec *spec, const char *vendor,
                    const char *country, const char *designation, int required,
                    char *id, size_t size)
{
    int given = !!vendor + !!country + !!designation;

    id[0] = '\0';
    if (given > 1 || (required && !given))
        return nv_cli_usage_error(spec,
                                  "name %s group: --vendor ID, "
                                  "--country CC or --designation CLASS",
                                  given > 1 ? "only one" : "one");
    if (given)
        snprintf(id, size, "%s:%s",
                 vendor    ? "vendor"
                 : country ? "country"
                           : "designation",
                 vendor    ? vendor
                 : country ? country
                           : designation);
    return NV_EXIT_OK;
}

int nv_cli_out_open(struct nv_cli_out *o, const char *path)
{
    struct nv_err err = {0};

    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        return NV_EXIT_OK;
    }
    nv_err_clear(&err);
    if (nv_atomic_open(&o->file, path, 0666, &err)) {
        nv_cli_fail(&err);
        return NV_EXIT_INTERNAL;
    }
    o->f = nv_atomic_stream(&o->file);
    if (!o->f) {
        nv_atomic_abort(&o->file);
        fprintf(stderr, "netvet: %s: cannot create: %s\n", path,
                strerror(errno));
        return NV_EXIT_INTERNAL;
    }
    o->path = path;
    return NV_EXIT_OK;
}

int nv_cli_out_close(struct nv_cli_out *o, int ok)
{
    struct nv_err err = {0};

    if (!o->path) {
        if (fflush(stdout) == 0 || !ok)
            return NV_EXIT_OK;
        fprintf(stderr, "netvet: cannot write the output: %s\n",
                strerror(errno));
        return NV_EXIT_INTERNAL;
    }
    if (!ok) {
        nv_atomic_abort(&o->file);
        return NV_EXIT_OK;
    }
    nv_err_clear(&err);
    if (nv_atomic_commit(&o->file, &err) == NV_OK)
        return NV_EXIT_OK;
    nv_cli_fail(&err);
    return NV_EXIT_INTERNAL;
}

int nv_cli_out_fail(struct nv_cli_out *o, const struct nv_err *err)
{
    fprintf(stderr, "netvet: %s: %s\n", o->path ? o->path : "standard output",
            err->msg);
    if (o->path)
        nv_atomic_abort(&o->file);
    return NV_EXIT_INTERNAL;
}

/* Draw "netvet: what: 42%" over the previous line; erase it at the end.
 * The text is kept short so that it never wraps, which \r cannot undo. */
static void draw_progress(void *ctx, const char *what, uint64_t done,
                          uint64_t total)
{
    FILE *f = ctx;

    if (!what)
        fputs("\r\033[K", f);
    else if (total)
        fprintf(f, "\rnetvet: %.60s: %3u%%\033[K", what,
                (unsigned)((done < total ? done : total) * 100 / total));
    else
        fprintf(f, "\rnetvet: %.60s: %llu\033[K", what,
                (unsigned long long)done);
    fflush(f);
}

struct nv_progress *nv_cli_progress(void)
{
    const char *after = getenv("NETVET_PROGRESS_AFTER_MS");
    int64_t ms = 1000;

    if (quiet || !isatty(fileno(stderr)))
        return NULL;
    if (!progress.draw) {
        if (after && nv_parse_i64(after, strlen(after), 0, 86400000, &ms))
            ms = 1000;
        nv_progress_init(&progress, draw_progress, stderr, (uint64_t)ms, 100);
    }
    return &progress;
}

enum nv_rc nv_cli_exposure(const struct nv_model *m, int threads,
                           struct nv_exposure *x, struct nv_err *err)
{
    struct nv_exposure_opts o = {threads, NV_CLASS_UNCLASSIFIED,
                                 nv_cli_progress(), NULL};

    return nv_exposure_compute_opts(m, &o, x, err);
}

int nv_cli_load_costs(const char *path, const struct nv_model *m,
                      struct nv_costs **c)
{
    struct nv_file f;
    struct nv_err err = {0};
    enum nv_rc rc;

    *c = NULL;
    if (!path)
        return NV_EXIT_OK;
    nv_err_clear(&err);
    rc = nv_file_read(&f, path, (size_t)64 << 20, &err);
    if (!rc) {
        rc = nv_costs_load(m, path, f.data, f.len, c, &err);
        nv_file_release(&f);
    }
    return rc ? nv_cli_fail(&err) : NV_EXIT_OK;
}

double nv_cli_seconds(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* SIZE: digits with an optional binary suffix. */
static int parse_size(const char *text, uint64_t *out)
{
    static const char suffixes[] = "KMGT";
    size_t n = strspn(text, "0123456789");
    const char *unit = text[n] ? strchr(suffixes, text[n]) : NULL;
    int64_t v;
    if (n == 0 || (text[n] && (!unit || text[n + 1])) ||
        nv_parse_i64(text, n, 1, INT64_MAX >> 40, &v))
        return -1;
    *out = (uint64_t)v << (unit ? 10 * (unit - suffixes + 1) : 0);
    return 0;
}

int nv_cli_image_limits(const struct nv_cmd_spec *spec, const char *threads,
                        const char *max_bytes, struct nv_image_limits *l)
{
    nv_image_limits_default(l);
    l->progress = nv_cli_progress();
    if (max_bytes && parse_size(max_bytes, &l->max_bytes))
        return nv_cli_usage_error(spec,
                                  "--max-bytes takes a size such as "
                                  "512M or 20G, not '%s'",
                                  max_bytes);
    return nv_cli_number(spec, "threads", threads, 64, &l->threads);
}

int nv_cli_load_keys(const struct nv_strlist *paths, struct nv_key **keys,
                     size_t max, size_t *n)
{
    struct nv_err err = {0};

    nv_err_clear(&err);
    if (paths->n > max) {
        fprintf(stderr, "netvet: more than %zu keys\n", max);
        return NV_EXIT_USAGE;
    }
    for (*n = 0; *n < paths->n; ++*n)
        if (nv_key_load(paths->items[*n], &keys[*n], &err)) {
            while (*n)
                nv_key_free(keys[--*n]);
            return nv_cli_fail(&err);
        }
    return NV_EXIT_OK;
}

int nv_cli_evidence_check(const struct nv_cmd_spec *spec,
                          const struct nv_cli_evidence *e)
{
    if (!e->log != !e->key)
        return nv_cli_usage_error(spec, "--log DIR and --log-key KEY go "
                                        "together");
    return NV_EXIT_OK;
}

/* The entry as one line of JSON, in *text (freed with free()). */
static enum nv_rc evidence_entry(const char *kind, nv_cli_evidence_fn fn,
                                 const void *ctx, char **text, size_t *len,
                                 struct nv_err *err)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    FILE *f = open_memstream(text, len);
    struct nv_jsonw *w = f ? nv_jsonw_new(f, 0) : NULL;
    if (!w) {
        if (f)
            fclose(f);
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    nv_jsonw_obj(w);
    nv_jsonw_key(w, "kind");
    nv_jsonw_str(w, kind);
    nv_jsonw_version(w);
    nv_jsonw_key(w, "time");
    nv_jsonw_str(w, now);
    fn(w, ctx);
    nv_jsonw_obj_end(w);
    enum nv_rc rc = nv_jsonw_finish(w, err);
    nv_jsonw_free(w);
    if (fclose(f) != 0 && !rc)
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    while (!rc && *len && (*text)[*len - 1] == '\n')
        --*len;
    return rc;
}

int nv_cli_evidence_record(const struct nv_cli_evidence *e, const char *kind,
                           nv_cli_evidence_fn fn, const void *ctx)
{
    struct nv_key *key = NULL;
    struct nv_err err = {0};
    char *text = NULL;
    size_t len = 0;
    uint64_t index = 0;

    if (!e->log)
        return NV_EXIT_OK;
    nv_err_clear(&err);
    enum nv_rc rc = nv_key_load(e->key, &key, &err);
    if (!rc)
        rc = evidence_entry(kind, fn, ctx, &text, &len, &err);
    if (!rc)
        rc = nv_evlog_record(e->log, key, NULL, text, len, &index, &err);
    free(text); /* open_memstream's buffer comes from malloc */
    nv_key_free(key);
    if (rc)
        return nv_cli_fail(&err);
    fprintf(stderr, "netvet: recorded as entry %llu of the evidence log %s\n",
            (unsigned long long)index, e->log);
    return NV_EXIT_OK;
}

void nv_cli_print_resolutions(const struct nv_model *m)
{
    if (!m->nvres)
        return;
    printf("\nvendor strings not resolved exactly (string -> entity: method, "
           "score)\n");
    for (uint32_t i = 0; i < m->nvres; i++) {
        const struct nv_vendor_res *r = &m->vres[i];
        printf("  \"%s\" -> ", r->vendor);
        if (r->method == NV_RESOLVE_NONE)
            printf("unresolved (not trusted)\n");
        else if (r->method == NV_RESOLVE_REVIEW)
            printf("review: fuzzy %.2f to \"%s\", left unresolved\n", r->score,
                   r->matched ? r->matched : "");
        else
            printf("%s: %s %.2f%s%s%s\n", NV_ENTITIES(m)[r->entity].id,
                   nv_resolve_method_names[r->method], r->score,
                   r->matched ? " (\"" : "", r->matched ? r->matched : "",
                   r->matched ? "\")" : "");
    }
}

void nv_cli_json_resolutions(struct nv_jsonw *w, const struct nv_model *m)
{
    nv_jsonw_key(w, "resolutions");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < m->nvres; i++) {
        const struct nv_vendor_res *r = &m->vres[i];
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "vendor");
        nv_jsonw_str(w, r->vendor);
        nv_jsonw_key(w, "entity");
        nv_jsonw_str_or_null(
            w, r->entity == NV_NONE ? NULL : NV_ENTITIES(m)[r->entity].id);
        nv_jsonw_key(w, "method");
        nv_jsonw_str(w, nv_resolve_method_names[r->method]);
        nv_jsonw_key(w, "score");
        nv_jsonw_num(w, (double)(long long)(r->score * 1000 + 0.5) / 1000);
        nv_jsonw_key(w, "matched");
        nv_jsonw_str_or_null(w, r->matched);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
}

/* The canonical value of a group of kind k named v, into out; a usage
 * error with the closest names when v names nothing. */
static int group_value(const struct nv_cmd_spec *spec, const struct nv_model *m,
                       int k, const char *v, char *out, size_t size)
{
    char near[160], cc[3];
    uint32_t e;
    long row;
    size_t nrows;
    int d;

    if (k == NV_GROUP_COUNTRY) {
        if (!nv_resolve_country(v, cc))
            return nv_cli_usage_error(spec,
                                      "country '%s' is not an ISO 3166 "
                                      "code (CN, US, SE ...)",
                                      v);
        snprintf(out, size, "%s", cc);
        return NV_EXIT_OK;
    }
    if (k == NV_GROUP_DESIGNATION) {
        for (d = 0;
             d < NV_DESIG_COUNT && strcasecmp(v, nv_designation_names[d]); d++)
            ;
        if (d == NV_DESIG_COUNT)
            return nv_cli_usage_error(spec,
                                      "designation '%s' is not one of "
                                      "trusted, standard, high-risk, "
                                      "prohibited",
                                      v);
        snprintf(out, size, "%s", nv_designation_names[d]);
        return NV_EXIT_OK;
    }
    e = nv_resolve_find(m, v, NULL);
    row = e == NV_NONE ? nv_resolve_catalogue_row(v) : -1;
    if (e == NV_NONE && row < 0) {
        nv_resolve_suggest(m, v, near, sizeof near);
        return nv_cli_usage_error(spec, "vendor '%s' names no entity%s%s%s", v,
                                  near[0] ? "; did you mean vendor " : "", near,
                                  near[0] ? "?" : "");
    }
    snprintf(out, size, "%s",
             e != NV_NONE ? NV_ENTITIES(m)[e].id
                          : nv_catalogue(&nrows)[row].id);
    return NV_EXIT_OK;
}

/* The ids of gs closest to id, for a message. */
static void near_groups(const struct nv_groups *gs, const char *id,
                        size_t nvalue, char *out, size_t size)
{
    size_t limit = nvalue / 4 + 1, used = 0;

    out[0] = '\0';
    for (size_t d = 0; d <= limit; d++)
        for (uint32_t g = 0; g < gs->n && used + 1 < size; g++)
            if (nv_resolve_distance(id, gs->v[g].id) == d)
                used += (size_t)snprintf(out + used, size - used, "%s%s",
                                         used ? ", " : "", gs->v[g].id);
}

int nv_cli_find_group(const struct nv_cmd_spec *spec, const struct nv_model *m,
                      const struct nv_groups *gs, const char *name, uint32_t *g)
{
    static const char *const kinds[] = {"vendor", "country", "designation"};
    const char *colon = strchr(name, ':');
    char value[96], id[128], near[200];
    int k = -1, rc;

    for (int i = 0; colon && i < 3; i++)
        if ((size_t)(colon - name) == strlen(kinds[i]) &&
            strncasecmp(name, kinds[i], strlen(kinds[i])) == 0)
            k = i;
    if (k < 0)
        return nv_cli_usage_error(spec,
                                  "group '%s' is not vendor:NAME, "
                                  "country:CC or designation:CLASS",
                                  name);
    rc = group_value(spec, m, k, colon + 1, value, sizeof value);
    if (rc)
        return rc;
    snprintf(id, sizeof id, "%s:%s", kinds[k], value);
    *g = nv_groups_find(gs, id);
    if (*g != NV_NONE)
        return NV_EXIT_OK;
    near_groups(gs, id, strlen(value), near, sizeof near);
    return nv_cli_usage_error(spec,
                              "no group '%s': no asset of the model belongs "
                              "to it%s%s",
                              id, near[0] ? "; groups near it: " : "", near);
}
