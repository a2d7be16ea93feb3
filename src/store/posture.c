/*
 * posture.c - the posture of one snapshot, and its JSON form
 * (posture.h).  Levels and layers are written by name, so a row read
 * back fits the enums whatever their order; one computed by another
 * netvet version is never read (the store keys rows by version).
 */
#include "store/posture.h"

#include "core/alloc.h"
#include "core/parse.h"
#include "exposure/score.h"

#include <string.h>

enum nv_rc nv_posture_compute(const struct nv_findings *f,
                              const struct nv_policy *p, struct nv_posture *out,
                              struct nv_err *err)
{
    struct nv_posture ps;
    uint32_t g;

    memset(&ps, 0, sizeof ps);
    for (uint32_t i = 0; i < NV_COUNT(f->m, NV_T_FLOW); i++)
        ps.flows[nv_score_hostile_level(&f->x, i, &g)]++;
    ps.margins_known = f->margin[0] != NULL;
    for (int k = 0; k < NV_MARGIN_KINDS && ps.margins_known; k++)
        for (uint32_t i = 0; i < f->x.nflows; i++)
            ps.margins[k][f->margin[k][i].k]++;
    ps.score = f->network;
    ps.layers = f->layers;
    nv_score_layer_shares(f->m, ps.share);
    ps.nrules = p ? nv_policy_rules(p) : 0;
    ps.rules = nv_calloc((size_t)ps.nrules + 1, sizeof *ps.rules);
    if (!ps.rules)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    for (uint32_t r = 0; r < ps.nrules; r++) {
        struct nv_rule_info ri;
        nv_policy_rule(p, r, &ri);
        snprintf(ps.rules[r].id, sizeof ps.rules[r].id, "%s", ri.id);
        ps.rules[r].error = ri.severity == NV_SEV_ERROR;
    }
    for (uint32_t i = 0; i < f->nv; i++) {
        struct nv_posture_rule *r = &ps.rules[f->v[i].rule];
        r->n++;
        ps.violations++;
        ps.errors += r->error;
    }
    *out = ps;
    return NV_OK;
}

void nv_posture_release(struct nv_posture *ps)
{
    nv_free(ps->rules);
    ps->rules = NULL;
    ps->nrules = 0;
}

/* Keys of a margin count: "unconnected", "1" .. "3", "more". */
static const char *const margin_keys[NV_MARGIN_MAX + 2] = {"unconnected", "1",
                                                           "2", "3", "more"};

/* {"vendor": {KEY: flows, ...}, "country": {...}}, or null. */
static void write_margins(const struct nv_posture *ps, struct nv_jsonw *w)
{
    if (!ps->margins_known) {
        nv_jsonw_null(w);
        return;
    }
    nv_jsonw_obj(w);
    for (int k = 0; k < NV_MARGIN_KINDS; k++) {
        nv_jsonw_key(w, nv_margin_kind_names[k]);
        nv_jsonw_obj(w);
        for (int i = 0; i < NV_MARGIN_MAX + 2; i++) {
            nv_jsonw_key(w, margin_keys[i]);
            nv_jsonw_int(w, ps->margins[k][i]);
        }
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_obj_end(w);
}

void nv_posture_write(const struct nv_posture *ps, struct nv_jsonw *w)
{
    nv_jsonw_obj(w);
    nv_jsonw_key(w, "flows");
    nv_jsonw_obj(w);
    for (int l = 0; l < NV_LEVEL_COUNT; l++) {
        nv_jsonw_key(w, nv_level_names[l]);
        nv_jsonw_int(w, ps->flows[l]);
    }
    nv_jsonw_obj_end(w);
    nv_jsonw_key(w, "margins");
    write_margins(ps, w);
    nv_jsonw_key(w, "score");
    nv_jsonw_num(w, ps->score);
    nv_jsonw_key(w, "layers");
    nv_jsonw_num(w, ps->layers);
    nv_jsonw_key(w, "share");
    nv_jsonw_obj(w);
    for (int l = 0; l < NV_LAYER_COUNT; l++) {
        nv_jsonw_key(w, nv_layer_names[l]);
        nv_jsonw_num(w, ps->share[l]);
    }
    nv_jsonw_obj_end(w);
    nv_jsonw_key(w, "violations");
    nv_jsonw_int(w, ps->violations);
    nv_jsonw_key(w, "errors");
    nv_jsonw_int(w, ps->errors);
    nv_jsonw_key(w, "rules");
    nv_jsonw_arr(w);
    for (uint32_t r = 0; r < ps->nrules; r++) {
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "id");
        nv_jsonw_str(w, ps->rules[r].id);
        nv_jsonw_key(w, "n");
        nv_jsonw_int(w, ps->rules[r].n);
        nv_jsonw_key(w, "error");
        nv_jsonw_bool(w, ps->rules[r].error);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
    nv_jsonw_obj_end(w);
}

/* Reading: every member is required; numbers must be numbers. */
static enum nv_rc num(const struct nv_json_doc *d, const struct nv_json *o,
                      const char *key, double *out, struct nv_err *err)
{
    const struct nv_json *v;
    enum nv_rc rc = nv_json_member(d, o, key, NV_JSON_NUMBER, 1, &v, err);

    if (!rc && nv_parse_double(v->u.str, v->len, out))
        rc = nv_json_error_at(err, NV_EPARSE, d->text, d->len, d->name, v->off,
                              "\"%s\" is not a number", key);
    return rc;
}

static enum nv_rc count(const struct nv_json_doc *d, const struct nv_json *o,
                        const char *key, uint32_t *out, struct nv_err *err)
{
    double v = 0;
    enum nv_rc rc = num(d, o, key, &v, err);

    if (!rc && !(v >= 0 && v <= UINT32_MAX && v == (double)(uint32_t)v))
        rc = nv_json_error_at(err, NV_EPARSE, d->text, d->len, d->name, o->off,
                              "\"%s\" is not a count", key);
    *out = rc ? 0 : (uint32_t)v;
    return rc;
}

static enum nv_rc read_named(const struct nv_json_doc *d,
                             const struct nv_json *o, const char *key,
                             const char *const *names, int n, double *out_d,
                             uint32_t *out_u, struct nv_err *err)
{
    const struct nv_json *v;
    enum nv_rc rc = nv_json_member(d, o, key, NV_JSON_OBJECT, 1, &v, err);

    for (int i = 0; i < n && !rc; i++)
        rc = out_d ? num(d, v, names[i], &out_d[i], err)
                   : count(d, v, names[i], &out_u[i], err);
    return rc;
}

/* "margins": null, or the counts write_margins wrote. */
static enum nv_rc read_margins(const struct nv_json_doc *d,
                               const struct nv_json *o, struct nv_posture *ps,
                               struct nv_err *err)
{
    const struct nv_json *v = nv_json_get(o, "margins");
    enum nv_rc rc = NV_OK;

    if (v && v->type == NV_JSON_NULL)
        return NV_OK;
    rc = nv_json_member(d, o, "margins", NV_JSON_OBJECT, 1, &v, err);
    for (int k = 0; k < NV_MARGIN_KINDS && !rc; k++)
        rc = read_named(d, v, nv_margin_kind_names[k], margin_keys,
                        NV_MARGIN_MAX + 2, NULL, ps->margins[k], err);
    ps->margins_known = !rc;
    return rc;
}

static enum nv_rc read_rule(const struct nv_json_doc *d,
                            const struct nv_json *o, struct nv_posture_rule *r,
                            struct nv_err *err)
{
    const struct nv_json *id, *error = nv_json_get(o, "error");
    enum nv_rc rc = nv_json_member(d, o, "id", NV_JSON_STRING, 1, &id, err);

    if (!rc)
        rc = count(d, o, "n", &r->n, err);
    if (!rc && (!error ||
                (error->type != NV_JSON_TRUE && error->type != NV_JSON_FALSE)))
        rc = nv_json_error_at(err, NV_EPARSE, d->text, d->len, d->name, o->off,
                              "\"error\" must be true or false");
    if (!rc && id->len >= sizeof r->id)
        rc = nv_json_error_at(err, NV_EPARSE, d->text, d->len, d->name, id->off,
                              "rule id too long");
    if (!rc) {
        memcpy(r->id, id->u.str, id->len + 1);
        r->error = error->type == NV_JSON_TRUE;
    }
    return rc;
}

static enum nv_rc read_rules(const struct nv_json_doc *d,
                             const struct nv_json *o, struct nv_posture *ps,
                             struct nv_err *err)
{
    const struct nv_json *v;
    enum nv_rc rc = nv_json_member(d, o, "rules", NV_JSON_ARRAY, 1, &v, err);

    if (rc)
        return rc;
    ps->rules = nv_calloc(v->len + 1, sizeof *ps->rules);
    if (!ps->rules)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    for (size_t i = 0; i < v->len && !rc; i++) {
        if (v->u.items[i].type != NV_JSON_OBJECT)
            return nv_json_error_at(err, NV_EPARSE, d->text, d->len, d->name,
                                    v->u.items[i].off, "a rule is an object");
        rc = read_rule(d, &v->u.items[i], &ps->rules[i], err);
        ps->nrules += !rc;
    }
    return rc;
}

static enum nv_rc read_root(const struct nv_json_doc *d,
                            const struct nv_json *o, struct nv_posture *ps,
                            struct nv_err *err)
{
    enum nv_rc rc =
        o->type == NV_JSON_OBJECT
            ? NV_OK
            : nv_json_error_at(err, NV_EPARSE, d->text, d->len, d->name, o->off,
                               "a posture is an object");

    if (!rc)
        rc = read_named(d, o, "flows", nv_level_names, NV_LEVEL_COUNT, NULL,
                        ps->flows, err);
    if (!rc)
        rc = read_margins(d, o, ps, err);
    if (!rc)
        rc = num(d, o, "score", &ps->score, err);
    if (!rc)
        rc = num(d, o, "layers", &ps->layers, err);
    if (!rc)
        rc = read_named(d, o, "share", nv_layer_names, NV_LAYER_COUNT,
                        ps->share, NULL, err);
    if (!rc)
        rc = count(d, o, "violations", &ps->violations, err);
    if (!rc)
        rc = count(d, o, "errors", &ps->errors, err);
    return rc ? rc : read_rules(d, o, ps, err);
}

enum nv_rc nv_posture_read(const char *text, size_t len, const char *name,
                           struct nv_posture *out, struct nv_err *err)
{
    struct nv_json_doc d = {text, name, len};
    struct nv_posture ps;
    struct nv_arena a;
    struct nv_json *root;
    enum nv_rc rc;

    memset(&ps, 0, sizeof ps);
    nv_arena_init(&a);
    rc = nv_json_parse(text, len, name, &a, &root, err);
    if (!rc)
        rc = read_root(&d, root, &ps, err);
    nv_arena_release(&a);
    if (rc) {
        nv_posture_release(&ps);
        return rc;
    }
    *out = ps;
    return NV_OK;
}
