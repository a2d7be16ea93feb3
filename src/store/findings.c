/*
 * findings.c - one version analysed, and the findings of two compared
 * (findings.h).
 *
 * Each comparison goes through the new version's records and looks the
 * old one's up by id in a hash map, so a diff costs about as much as
 * reading both results once.
 */
#include "store/findings.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/strmap.h"
#include "exposure/score.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* How many flows the score's change is explained by. */
#define TOP_SCORES 10

const char *const nv_margin_kind_names[NV_MARGIN_KINDS] = {"vendor", "country"};

/* The margins of f's flows (its exposure computed).  Too many groups to
 * try is no failure: the margins are then unknown (NULL), and said so
 * where they would be shown. */
static enum nv_rc margins(struct nv_findings *f, int threads,
                          struct nv_err *err)
{
    enum nv_rc rc = NV_OK;

    for (int k = 0; k < NV_MARGIN_KINDS && !rc; k++) {
        f->margin[k] = nv_calloc((size_t)f->x.nflows + 1, sizeof *f->margin[k]);
        rc = f->margin[k]
                 ? nv_margin_compute(f->m, &f->x, (enum nv_group_kind)k,
                                     threads, f->margin[k], err)
                 : nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    if (rc != NV_ELIMIT)
        return rc;
    for (int k = 0; k < NV_MARGIN_KINDS; k++) {
        nv_free(f->margin[k]);
        f->margin[k] = NULL;
    }
    nv_err_clear(err);
    return NV_OK;
}

enum nv_rc nv_findings_compute(const struct nv_model *m,
                               const struct nv_policy *p, const char *date,
                               int threads, struct nv_findings *f,
                               struct nv_err *err)
{
    struct nv_findings out;
    uint32_t nf = NV_COUNT(m, NV_T_FLOW), worst;
    enum nv_rc rc;

    memset(&out, 0, sizeof out);
    out.m = m;
    rc = nv_exposure_compute(m, threads, &out.x, err);
    if (!rc)
        rc = margins(&out, threads, err);
    if (!rc && p)
        rc = nv_policy_check(p, m, &out.x, date, &out.v, &out.nv, err);
    if (!rc && !(out.score = nv_calloc((size_t)nf + 1, sizeof *out.score)))
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    if (rc) {
        nv_findings_release(&out);
        return rc;
    }
    out.layers = nv_score_layers(m);
    out.network = out.layers;
    for (uint32_t i = 0; i < nf; i++) {
        out.score[i] = nv_score_flow(m, &out.x, i, NULL, &worst);
        out.network += out.score[i];
    }
    *f = out;
    return NV_OK;
}

void nv_findings_release(struct nv_findings *f)
{
    nv_exposure_release(&f->x);
    nv_free(f->v);
    nv_free(f->score);
    f->v = NULL;
    f->score = NULL;
    for (int k = 0; k < NV_MARGIN_KINDS; k++) {
        nv_free(f->margin[k]);
        f->margin[k] = NULL;
    }
}

/* Growable arrays of the diff: one capacity each. */
struct grow {
    size_t levels, violations, releases, scores, margins;
};

static enum nv_rc add_level(struct nv_fdiff *d, struct grow *g,
                            const struct nv_fdiff_level *l)
{
    if (nv_array_reserve(&d->levels, &g->levels, (size_t)d->nlevels + 1,
                         sizeof *d->levels))
        return NV_ENOMEM;
    d->levels[d->nlevels++] = *l;
    d->rose += l->hostile && l->to > l->from;
    return NV_OK;
}

/* The level of flow f (NV_NONE: absent) for the group called id in x. */
static enum nv_level level_of(const struct nv_exposure *x, uint32_t f,
                              const char *id)
{
    uint32_t g = f == NV_NONE ? NV_NONE : nv_groups_find(&x->groups, id);
    return g == NV_NONE ? NV_LEVEL_NONE : nv_exposure_level(x, f, g);
}

/* The level changes of flow fb of b (fa in a, or NV_NONE): first over
 * b's groups, then over a's groups that b no longer has. */
static enum nv_rc flow_levels(const struct nv_findings *a,
                              const struct nv_findings *b, uint32_t fa,
                              uint32_t fb, struct nv_fdiff *d, struct grow *g)
{
    const struct nv_groups *gb = &b->x.groups, *ga = &a->x.groups;
    enum nv_rc rc = NV_OK;

    for (uint32_t k = 0; k < gb->n && !rc; k++) {
        struct nv_fdiff_level l = {fa,
                                   fb,
                                   gb->v[k].id,
                                   level_of(&a->x, fa, gb->v[k].id),
                                   nv_exposure_level(&b->x, fb, k),
                                   nv_score_hostile(&b->x, k)};
        if (l.from != l.to)
            rc = add_level(d, g, &l);
    }
    for (uint32_t k = 0; k < ga->n && fa != NV_NONE && !rc; k++) {
        struct nv_fdiff_level l = {fa,
                                   fb,
                                   ga->v[k].id,
                                   nv_exposure_level(&a->x, fa, k),
                                   NV_LEVEL_NONE,
                                   nv_score_hostile(&a->x, k)};
        if (nv_groups_find(gb, ga->v[k].id) == NV_NONE && l.from != l.to)
            rc = add_level(d, g, &l);
    }
    return rc;
}

/* Whether fewer groups can cut the flow than before: "more than
 * NV_MARGIN_MAX" (where a new flow starts) is above every margin, and
 * ends not connected have no margin to compare. */
static int margin_fell(const struct nv_margin *from, const struct nv_margin *to)
{
    return from->k != 0 && to->k != 0 && to->k < from->k;
}

/* The margins of flow fb of b (fa in a, or NV_NONE) that changed. */
static enum nv_rc flow_margins(const struct nv_findings *a,
                               const struct nv_findings *b, uint32_t fa,
                               uint32_t fb, struct nv_fdiff *d, struct grow *g)
{
    for (int k = 0; k < NV_MARGIN_KINDS; k++) {
        struct nv_fdiff_margin c = {
            fa, fb, k, {NV_MARGIN_MAX + 1, {0}}, b->margin[k][fb], 0};
        if (fa != NV_NONE)
            c.from = a->margin[k][fa];
        if (c.from.k == c.to.k)
            continue;
        c.fell = margin_fell(&c.from, &c.to);
        if (nv_array_reserve(&d->margins, &g->margins, (size_t)d->nmargins + 1,
                             sizeof *d->margins))
            return NV_ENOMEM;
        d->margins[d->nmargins++] = c;
        d->fell += c.fell;
    }
    return NV_OK;
}

/* Levels and margins, flow by flow of b. */
static enum nv_rc diff_flows(const struct nv_findings *a,
                             const struct nv_findings *b, struct nv_fdiff *d,
                             struct grow *g)
{
    enum nv_rc rc = NV_OK;

    d->margins_known = a->margin[0] && b->margin[0];
    for (uint32_t fb = 0; fb < NV_COUNT(b->m, NV_T_FLOW) && !rc; fb++) {
        uint32_t fa = nv_model_find(a->m, NV_T_FLOW, NV_FLOWS(b->m)[fb].id);
        rc = flow_levels(a, b, fa, fb, d, g);
        if (!rc && d->margins_known)
            rc = flow_margins(a, b, fa, fb, d, g);
    }
    return rc;
}

/* Violations are matched by "RULE\x1fITEM" keys: a share that grew but
 * still breaks its rule is the same violation. */
static enum nv_rc violation_key(const struct nv_policy *p,
                                const struct nv_model *m,
                                const struct nv_violation *v, struct nv_buf *b)
{
    struct nv_rule_info r;

    nv_policy_rule(p, v->rule, &r);
    nv_buf_reset(b);
    return nv_buf_addf(b, "%s\x1f%s", r.id, nv_violation_item(m, v));
}

/* The violations of `from` whose keys the map of `other` lacks. */
static enum nv_rc only_in(const struct nv_policy *p,
                          const struct nv_findings *from,
                          const struct nv_strmap *other, int added,
                          struct nv_fdiff *d, struct grow *g)
{
    struct nv_buf b;
    enum nv_rc rc = NV_OK;

    nv_buf_init(&b, (size_t)1 << 16);
    for (uint32_t i = 0; i < from->nv && !rc; i++) {
        struct nv_rule_info r;
        rc = violation_key(p, from->m, &from->v[i], &b);
        if (rc || nv_strmap_get(other, b.data, b.len) >= 0)
            continue;
        rc =
            nv_array_reserve(&d->violations, &g->violations,
                             (size_t)d->nviolations + 1, sizeof *d->violations);
        if (rc)
            break;
        nv_policy_rule(p, from->v[i].rule, &r);
        d->violations[d->nviolations++] = (struct nv_fdiff_violation){
            &from->v[i], from->m, added, r.severity == NV_SEV_ERROR};
        d->new_errors += added && r.severity == NV_SEV_ERROR;
    }
    nv_buf_release(&b);
    return rc;
}

/* The keys of f's violations, in arena a, into map. */
static enum nv_rc violation_map(const struct nv_policy *p,
                                const struct nv_findings *f, struct nv_arena *a,
                                struct nv_strmap *map)
{
    struct nv_buf b;
    enum nv_rc rc = NV_OK;
    uint32_t v;
    int found;

    nv_buf_init(&b, (size_t)1 << 16);
    for (uint32_t i = 0; i < f->nv && !rc; i++) {
        char *key;
        rc = violation_key(p, f->m, &f->v[i], &b);
        key = rc ? NULL : nv_arena_strndup(a, b.data, b.len);
        if (!rc && !key)
            rc = NV_ENOMEM;
        if (!rc)
            rc = nv_strmap_put(map, key, b.len, i, &v, &found);
    }
    nv_buf_release(&b);
    return rc;
}

static enum nv_rc diff_violations(const struct nv_policy *p,
                                  const struct nv_findings *a,
                                  const struct nv_findings *b,
                                  struct nv_fdiff *d, struct grow *g)
{
    struct nv_arena arena;
    struct nv_strmap ka, kb;
    enum nv_rc rc;

    nv_arena_init(&arena);
    nv_strmap_init(&ka);
    nv_strmap_init(&kb);
    rc = violation_map(p, a, &arena, &ka);
    if (!rc)
        rc = violation_map(p, b, &arena, &kb);
    if (!rc)
        rc = only_in(p, b, &ka, 1, d, g);
    if (!rc)
        rc = only_in(p, a, &kb, 0, d, g);
    nv_strmap_release(&ka);
    nv_strmap_release(&kb);
    nv_arena_release(&arena);
    return rc;
}

/* The release cells of channel fb of partner pb that changed from the
 * same channel (fa) in a. */
static enum nv_rc channel_cells(const struct nv_policy *p,
                                const struct nv_findings *a,
                                const struct nv_findings *b, uint32_t pb,
                                uint32_t fa, uint32_t fb, struct nv_fdiff *d,
                                struct grow *g)
{
    for (int c = 0; c < NV_CLASS_COUNT; c++) {
        struct nv_release_cell ca, cb;
        nv_release_decide(a->m, &a->x, p, fa, (enum nv_class)c, &ca);
        nv_release_decide(b->m, &b->x, p, fb, (enum nv_class)c, &cb);
        if (ca.d == cb.d)
            continue;
        if (nv_array_reserve(&d->releases, &g->releases,
                             (size_t)d->nreleases + 1, sizeof *d->releases))
            return NV_ENOMEM;
        struct nv_fdiff_release *r = &d->releases[d->nreleases++];
        *r =
            (struct nv_fdiff_release){pb, fb, (enum nv_class)c, ca.d, cb.d, ""};
        snprintf(r->why, sizeof r->why, "%s", cb.why);
    }
    return NV_OK;
}

static enum nv_rc diff_releases(const struct nv_policy *p,
                                const struct nv_findings *a,
                                const struct nv_findings *b, struct nv_fdiff *d,
                                struct grow *g)
{
    enum nv_rc rc = NV_OK;

    for (uint32_t pb = 0; pb < NV_COUNT(b->m, NV_T_PARTNER) && !rc; pb++) {
        const struct nv_partner *pa = &NV_PARTNERS(b->m)[pb];
        if (nv_model_find(a->m, NV_T_PARTNER, pa->id) == NV_NONE)
            continue;
        for (uint32_t k = 0; k < pa->channels.n && !rc; k++) {
            uint32_t fb = pa->channels.v[k].idx;
            uint32_t fa = nv_model_find(a->m, NV_T_FLOW, NV_FLOWS(b->m)[fb].id);
            if (fa != NV_NONE)
                rc = channel_cells(p, a, b, pb, fa, fb, d, g);
        }
    }
    return rc;
}

static int by_change(const void *x, const void *y)
{
    const struct nv_fdiff_score *a = x, *b = y;
    double da = fabs(a->to - a->from), db = fabs(b->to - b->from);

    if (da != db)
        return da < db ? 1 : -1;
    return strcmp(a->flow, b->flow);
}

static enum nv_rc push_score(struct nv_fdiff *d, struct grow *g,
                             const char *flow, double from, double to)
{
    if (from == to)
        return NV_OK;
    if (nv_array_reserve(&d->scores, &g->scores, (size_t)d->nscores + 1,
                         sizeof *d->scores))
        return NV_ENOMEM;
    d->scores[d->nscores++] = (struct nv_fdiff_score){flow, from, to};
    return NV_OK;
}

/* Every flow whose score changed (gone flows go to 0), largest change
 * first, cut to the top few. */
static enum nv_rc diff_scores(const struct nv_findings *a,
                              const struct nv_findings *b, struct nv_fdiff *d,
                              struct grow *g)
{
    enum nv_rc rc = NV_OK;

    for (uint32_t fb = 0; fb < NV_COUNT(b->m, NV_T_FLOW) && !rc; fb++) {
        const char *id = NV_FLOWS(b->m)[fb].id;
        uint32_t fa = nv_model_find(a->m, NV_T_FLOW, id);
        rc = push_score(d, g, id, fa == NV_NONE ? 0 : a->score[fa],
                        b->score[fb]);
    }
    for (uint32_t fa = 0; fa < NV_COUNT(a->m, NV_T_FLOW) && !rc; fa++) {
        const char *id = NV_FLOWS(a->m)[fa].id;
        if (nv_model_find(b->m, NV_T_FLOW, id) == NV_NONE)
            rc = push_score(d, g, id, a->score[fa], 0);
    }
    if (d->nscores)
        qsort(d->scores, d->nscores, sizeof *d->scores, by_change);
    if (d->nscores > TOP_SCORES)
        d->nscores = TOP_SCORES;
    return rc;
}

enum nv_rc nv_fdiff_compute(const struct nv_findings *a,
                            const struct nv_findings *b,
                            const struct nv_policy *p, struct nv_fdiff *d,
                            struct nv_err *err)
{
    struct nv_fdiff out;
    struct grow g = {0, 0, 0, 0, 0};
    enum nv_rc rc;

    memset(&out, 0, sizeof out);
    out.network[0] = a->network;
    out.network[1] = b->network;
    out.layers[0] = a->layers;
    out.layers[1] = b->layers;
    rc = diff_flows(a, b, &out, &g);
    if (!rc && p)
        rc = diff_violations(p, a, b, &out, &g);
    if (!rc && p)
        rc = diff_releases(p, a, b, &out, &g);
    if (!rc)
        rc = diff_scores(a, b, &out, &g);
    if (rc) {
        nv_fdiff_release(&out);
        return nv_err_set(err, rc, "out of memory");
    }
    *d = out;
    return NV_OK;
}

void nv_fdiff_release(struct nv_fdiff *d)
{
    nv_free(d->levels);
    nv_free(d->violations);
    nv_free(d->releases);
    nv_free(d->scores);
    nv_free(d->margins);
    memset(d, 0, sizeof *d);
}

int nv_fdiff_worse(const struct nv_fdiff *d)
{
    return d->rose > 0 || d->new_errors > 0;
}
