/*
 * costs.c - the replacement costs file: a CSV header naming the columns
 * (cost, and any of asset, kind, layer), then one row per selector.
 *
 * Rows are checked as they are read: a known kind and layer, an asset of
 * the model, a row naming an asset and nothing else, a cost that is a
 * number of 0 or more, no two rows for the same selector.  Costs live in
 * one table per kind and layer (with "any" for an empty cell) and one
 * entry per asset; NAN marks what no row gives.
 */
#include "plan/costs.h"

#include "core/alloc.h"
#include "core/csv.h"
#include "core/parse.h"
#include "plan/plan.h"

#include <math.h>
#include <string.h>

#define ANY_KIND NV_KIND_COUNT
#define ANY_LAYER NV_LAYER_COUNT
#define MAX_COST 1e15 /* beyond any budget: a typo */

enum column { COL_ASSET, COL_KIND, COL_LAYER, COL_COST, NCOLS };

static const char *const column_names[NCOLS] = {"asset", "kind", "layer",
                                                "cost"};

struct nv_costs {
    double cls[NV_KIND_COUNT + 1][NV_LAYER_COUNT + 1];
    double *asset; /* per asset of the model */
};

struct reader {
    const struct nv_model *m;
    struct nv_csv csv;
    int at[NCOLS]; /* field of each column in a record, or -1 */
    size_t nheader;
    struct nv_costs *c;
};

void nv_costs_free(struct nv_costs *c)
{
    if (!c)
        return;
    nv_free(c->asset);
    nv_free(c);
}

static struct nv_costs *costs_new(uint32_t nassets)
{
    struct nv_costs *c = nv_calloc(1, sizeof *c);

    if (c && !(c->asset = nv_calloc((size_t)nassets + 1, sizeof *c->asset))) {
        nv_free(c);
        return NULL;
    }
    for (uint32_t a = 0; c && a < nassets; a++)
        c->asset[a] = NAN;
    for (int k = 0; c && k <= ANY_KIND; k++)
        for (int l = 0; l <= ANY_LAYER; l++)
            c->cls[k][l] = NAN;
    return c;
}

/* The columns of the header record. */
static enum nv_rc header(struct reader *r, struct nv_err *err)
{
    const struct nv_csv *v = &r->csv;

    for (int k = 0; k < NCOLS; k++)
        r->at[k] = -1;
    for (size_t i = 0; i < v->nfields; i++) {
        const struct nv_csv_field *f = &v->fields[i];
        int k = nv_name_index(column_names, NCOLS, f->s, f->len);
        if (k < 0)
            return nv_csv_error_at(v, err, NV_EPARSE, f->off,
                                   "unknown column \"%.*s\" (asset, kind, "
                                   "layer, cost)",
                                   (int)(f->len > 40 ? 40 : f->len), f->s);
        if (r->at[k] >= 0)
            return nv_csv_error_at(v, err, NV_EPARSE, f->off,
                                   "column \"%s\" twice", column_names[k]);
        r->at[k] = (int)i;
    }
    r->nheader = v->nfields;
    if (r->at[COL_COST] < 0)
        return nv_csv_error_at(v, err, NV_EPARSE, v->record_off,
                               "no \"cost\" column");
    return NV_OK;
}

/* The field of column k in the current record (empty when the file has
 * no such column). */
static struct nv_csv_field field(const struct reader *r, enum column k)
{
    struct nv_csv_field none = {"", 0, r->csv.record_off};

    return r->at[k] < 0 ? none : r->csv.fields[r->at[k]];
}

/* The index of a kind or layer named by f (any when empty), or -1. */
static int class_of(const struct nv_csv_field *f, const char *const *names,
                    int n)
{
    return f->len ? nv_name_index(names, n, f->s, f->len) : n;
}

static enum nv_rc parse_cost(const struct reader *r, double *cost,
                             struct nv_err *err)
{
    struct nv_csv_field f = field(r, COL_COST);

    if (nv_parse_double(f.s, f.len, cost) || !isfinite(*cost) || *cost < 0 ||
        *cost > MAX_COST)
        return nv_csv_error_at(&r->csv, err, NV_EPARSE, f.off,
                               "cost \"%.*s\" is not a number from 0 to %g",
                               (int)(f.len > 40 ? 40 : f.len), f.s, MAX_COST);
    return NV_OK;
}

/* Where the row's cost goes: the asset's entry or its class's cell. */
static enum nv_rc target(const struct reader *r, double **slot,
                         struct nv_err *err)
{
    struct nv_csv_field as = field(r, COL_ASSET), kd = field(r, COL_KIND),
                        ly = field(r, COL_LAYER);
    int k = class_of(&kd, nv_asset_kind_names, NV_KIND_COUNT);
    int l = class_of(&ly, nv_layer_names, NV_LAYER_COUNT);
    char id[256];
    uint32_t a;

    if (k < 0)
        return nv_csv_error_at(&r->csv, err, NV_EPARSE, kd.off,
                               "unknown kind \"%.*s\"",
                               (int)(kd.len > 40 ? 40 : kd.len), kd.s);
    if (l < 0)
        return nv_csv_error_at(&r->csv, err, NV_EPARSE, ly.off,
                               "unknown layer \"%.*s\"",
                               (int)(ly.len > 40 ? 40 : ly.len), ly.s);
    if (!as.len) {
        *slot = &r->c->cls[k][l];
        return NV_OK;
    }
    if (kd.len || ly.len)
        return nv_csv_error_at(&r->csv, err, NV_EPARSE, as.off,
                               "a row for one asset has no kind or layer");
    a = NV_NONE;
    if (as.len < sizeof id) {
        memcpy(id, as.s, as.len);
        id[as.len] = '\0';
        a = nv_model_find(r->m, NV_T_ASSET, id);
    }
    if (a == NV_NONE)
        return nv_csv_error_at(&r->csv, err, NV_EPARSE, as.off,
                               "no asset \"%.*s\" in the model",
                               (int)(as.len > 40 ? 40 : as.len), as.s);
    *slot = &r->c->asset[a];
    return NV_OK;
}

static enum nv_rc row(struct reader *r, struct nv_err *err)
{
    double cost, *slot = NULL;
    enum nv_rc rc = NV_OK;

    if (r->csv.nfields != r->nheader)
        return nv_csv_error_at(&r->csv, err, NV_EPARSE, r->csv.record_off,
                               "%zu field%s where the header has %zu",
                               r->csv.nfields, r->csv.nfields == 1 ? "" : "s",
                               r->nheader);
    rc = parse_cost(r, &cost, err);
    rc = rc ? rc : target(r, &slot, err);
    if (!rc && !isnan(*slot))
        return nv_csv_error_at(&r->csv, err, NV_EPARSE, r->csv.record_off,
                               "a second row for the same asset, kind and "
                               "layer");
    if (!rc)
        *slot = cost;
    return rc;
}

enum nv_rc nv_costs_load(const struct nv_model *m, const char *name,
                         const char *text, size_t len, struct nv_costs **out,
                         struct nv_err *err)
{
    struct reader r;
    int got = 0, first = 1;
    enum nv_rc rc = NV_OK;

    memset(&r, 0, sizeof r);
    r.m = m;
    r.c = costs_new(NV_COUNT(m, NV_T_ASSET));
    nv_csv_init(&r.csv, text, len, name);
    r.csv.sep = nv_csv_sniff(text, len);
    if (!r.c)
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    while (!rc && !(rc = nv_csv_next(&r.csv, &got, err)) && got) {
        rc = first ? header(&r, err) : row(&r, err);
        first = 0;
    }
    if (!rc && first)
        rc = nv_err_at(err, NV_EPARSE, name, 1, 1,
                       "no header (asset, kind, layer, cost)");
    nv_csv_release(&r.csv);
    if (rc) {
        nv_costs_free(r.c);
        return rc;
    }
    *out = r.c;
    return NV_OK;
}

double nv_costs_of(const struct nv_costs *c, const struct nv_model *m,
                   uint32_t a)
{
    const struct nv_asset *as = &NV_ASSETS(m)[a];
    const double *pick[] = {
        c ? &c->asset[a] : NULL,
        &as->replacement_cost,
        c ? &c->cls[as->kind][as->layer] : NULL,
        c ? &c->cls[ANY_KIND][as->layer] : NULL,
        c ? &c->cls[as->kind][ANY_LAYER] : NULL,
        c ? &c->cls[ANY_KIND][ANY_LAYER] : NULL,
    };

    for (size_t i = 0; i < sizeof pick / sizeof pick[0]; i++)
        if (pick[i] && isfinite(*pick[i]))
            return *pick[i];
    return nv_plan_default_cost(as->layer);
}
