/*
 * policy_eval.c - checking a model against a policy's rules.
 *
 * Conditions are evaluated per asset, flow or group by walking the
 * syntax tree; near() is worked out once per node by a breadth-first
 * search from every asset where its condition holds, and kept.
 */
#include "policy/policy_int.h"

#include "core/alloc.h"
#include "core/strmap.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_NEAR 16
#define EARTH_KM 6371.0088 /* mean radius (IUGG) */

/* The sites where a within() node's condition holds: those with
 * coordinates, and whether some have none. */
/* A located site where within()'s condition holds, kept in order of
 * latitude so that a search can stop at the first too far north or
 * south to be nearer. */
struct within_site {
    double lat;
    uint32_t site;
};

struct within_set {
    const struct node *node;
    struct within_site *sites;
    uint32_t n;
    int missing;
};

struct eval {
    const struct nv_policy *p;
    const struct nv_model *m;
    const struct nv_exposure *x;
    const struct node *near_node[MAX_NEAR];
    unsigned char *near_set[MAX_NEAR];
    int nnear;
    struct nv_margin *margin[2]; /* vendor, country: worked out when a
                                    rule first asks */
    struct within_set within[MAX_NEAR];
    int nwithin;
    int unknown_as; /* what within() is when a distance is unknown */
    struct nv_violation *v;
    uint32_t nv;
    size_t cap;
    enum nv_rc rc;
};

static int asset_holds(struct eval *e, const struct node *n, uint32_t a);

/* Does the value s (or enum index i) satisfy the test's values? */
static int in_values(const struct node *n, const char *s, int i)
{
    for (uint32_t k = 0; k < n->nvalues; k++)
        if (s ? strcasecmp(s, n->values[k]) == 0 : i == n->ivalues[k])
            return 1;
    return 0;
}

/* i op w, for one value w. */
static int ordered(enum op op, int i, int w)
{
    switch (op) {
    case OP_GE:
        return i >= w;
    case OP_LE:
        return i <= w;
    case OP_GT:
        return i > w;
    case OP_LT:
        return i < w;
    case OP_NE:
        return i != w;
    default:
        return i == w;
    }
}

/* A comparison of enum value i with the test's values. */
static int compare(const struct node *n, int i)
{
    if (n->op == OP_IN || n->op == OP_EQ)
        return in_values(n, NULL, i);
    if (n->op == OP_NE)
        return !in_values(n, NULL, i);
    return ordered(n->op, i, n->ivalues[0]);
}

/* A test of a field with several values (vendor chain, countries, tags):
 * = and in hold if any value is listed; != if none is. */
static int any_listed(const struct node *n, const char *const *v, uint32_t k)
{
    int hit = 0;

    for (uint32_t i = 0; i < k && !hit; i++)
        hit = v[i] && in_values(n, v[i], 0);
    return n->op == OP_NE ? !hit : hit;
}

/* The names up an asset's ownership chain (ids or countries). */
static uint32_t chain(const struct nv_model *m, uint32_t a, int countries,
                      const char **out, uint32_t room)
{
    const struct nv_entity *e = NV_ENTITIES(m);
    uint32_t n = 0;

    for (uint32_t x = NV_ASSETS(m)[a].entity; x != NV_NONE && n < room;
         x = e[x].parent.idx)
        out[n++] = countries ? e[x].country : e[x].id;
    return n;
}

static const struct nv_site *site_of(const struct nv_model *m, uint32_t a)
{
    uint32_t s = NV_ASSETS(m)[a].site.idx;
    return s == NV_NONE ? NULL : &NV_SITES(m)[s];
}

/* A test of a field of site s (NULL: the asset has no site). */
static int site_field(const struct node *n, const struct nv_site *s)
{
    const char *v;

    switch (n->field) {
    case F_REGION:
        v = s ? s->region : NULL;
        return any_listed(n, &v, 1);
    case F_SITE:
        v = s ? s->id : NULL;
        return any_listed(n, &v, 1);
    case F_TAG:
        return s ? any_listed(n, s->tags.v, s->tags.n) : n->op == OP_NE;
    default:
        return 0;
    }
}

static int asset_field(struct eval *e, const struct node *n, uint32_t a)
{
    const struct nv_asset *as = &NV_ASSETS(e->m)[a];
    const struct nv_site *s = site_of(e->m, a);
    const char *v[64];
    uint32_t k;

    switch (n->field) {
    case F_LAYER:
        return compare(n, (int)as->layer);
    case F_KIND:
        return compare(n, (int)as->kind);
    case F_DESIGNATION: /* unresolved vendors count as standard */
        return compare(n, as->entity == NV_NONE
                              ? NV_DESIG_STANDARD
                              : (int)nv_model_designation(e->m, as->entity));
    case F_VENDOR:
    case F_COUNTRY:
        k = chain(e->m, a, n->field == F_COUNTRY, v, 64);
        return any_listed(n, v, k);
    default:
        return site_field(n, s);
    }
}

/* A condition on a site alone (for sites no asset stands at): tests of
 * anything but the site are false. */
static int site_holds(const struct node *n, const struct nv_site *s)
{
    switch (n->kind) {
    case N_AND:
        return site_holds(n->a, s) && site_holds(n->b, s);
    case N_OR:
        return site_holds(n->a, s) || site_holds(n->b, s);
    case N_NOT:
        return !site_holds(n->a, s);
    case N_TEST:
        return site_field(n, s);
    default:
        return 0;
    }
}

static int located(const struct nv_site *s)
{
    return s && !isnan(s->lat) && !isnan(s->lon);
}

/* The great-circle distance between two sites, in metres (haversine). */
static double metres_between(const struct nv_site *a, const struct nv_site *b)
{
    const double rad = 3.14159265358979323846 / 180;
    double dlat = (b->lat - a->lat) * rad, dlon = (b->lon - a->lon) * rad;
    double h =
        sin(dlat / 2) * sin(dlat / 2) +
        cos(a->lat * rad) * cos(b->lat * rad) * sin(dlon / 2) * sin(dlon / 2);

    return 2 * EARTH_KM * 1000 * asin(sqrt(h < 1 ? h : 1));
}

static int by_latitude(const void *a, const void *b)
{
    const struct within_site *x = a, *y = b;

    return (x->lat > y->lat) - (x->lat < y->lat);
}

/* The sites where n->a holds: by an asset there, or by the site. */
static struct within_set *within_set(struct eval *e, const struct node *n)
{
    uint32_t ns = NV_COUNT(e->m, NV_T_SITE);
    struct within_set *w;
    unsigned char *hit;

    for (int i = 0; i < e->nwithin; i++)
        if (e->within[i].node == n)
            return &e->within[i];
    hit = nv_calloc((size_t)ns + 1, 1);
    w = e->nwithin < MAX_NEAR ? &e->within[e->nwithin] : NULL;
    if (!hit || !w ||
        !(w->sites = nv_calloc((size_t)ns + 1, sizeof *w->sites))) {
        nv_free(hit);
        e->rc = NV_ENOMEM;
        return NULL;
    }
    for (uint32_t a = 0; a < NV_COUNT(e->m, NV_T_ASSET); a++)
        if (NV_ASSETS(e->m)[a].site.idx != NV_NONE && asset_holds(e, n->a, a))
            hit[NV_ASSETS(e->m)[a].site.idx] = 1;
    for (uint32_t s = 0; s < ns; s++) {
        if (!hit[s] && !site_holds(n->a, &NV_SITES(e->m)[s]))
            continue;
        if (located(&NV_SITES(e->m)[s]))
            w->sites[w->n++] = (struct within_site){NV_SITES(e->m)[s].lat, s};
        else
            w->missing = 1;
    }
    qsort(w->sites, w->n, sizeof *w->sites, by_latitude);
    nv_free(hit);
    w->node = n;
    e->nwithin++;
    return w;
}

/* No two places at these latitudes are nearer than this: the distance
 * along a meridian (a little less, for rounding). */
static double meridian_metres(double lat1, double lat2)
{
    const double rad = 3.14159265358979323846 / 180;

    return fabs(lat1 - lat2) * rad * EARTH_KM * 1000 * (1 - 1e-9);
}

/* Whether site k of w is the nearest to s so far (*best, *metres): the
 * nearer, or as near with a lower index, as a plain scan would find. */
static void consider(const struct eval *e, const struct within_set *w,
                     uint32_t k, const struct nv_site *s, uint32_t *best,
                     double *metres)
{
    uint32_t site = w->sites[k].site;
    double d = metres_between(s, &NV_SITES(e->m)[site]);

    if (*best == NV_NONE || d < *metres || (d == *metres && site < *best)) {
        *best = site;
        *metres = d;
    }
}

/* The site of w nearest asset a's (located) site, and how far: from
 * s's latitude outwards, north and south, until the next site is
 * further along the meridian alone than the nearest found. */
static uint32_t nearest(const struct eval *e, const struct within_set *w,
                        const struct nv_site *s, double *metres)
{
    uint32_t best = NV_NONE, lo = 0, hi = w->n;

    while (lo < hi) { /* the first site at s's latitude or north of it */
        uint32_t mid = lo + (hi - lo) / 2;
        if (w->sites[mid].lat < s->lat)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (uint32_t k = lo; k < w->n; k++) {
        if (best != NV_NONE &&
            meridian_metres(s->lat, w->sites[k].lat) > *metres)
            break;
        consider(e, w, k, s, &best, metres);
    }
    for (uint32_t k = lo; k-- > 0;) {
        if (best != NV_NONE &&
            meridian_metres(s->lat, w->sites[k].lat) > *metres)
            break;
        consider(e, w, k, s, &best, metres);
    }
    return best;
}

/* within(): true, false, or, when a distance that would decide it is
 * unknown, e->unknown_as. */
static int within_holds(struct eval *e, const struct node *n, uint32_t a)
{
    const struct nv_site *s = site_of(e->m, a);
    struct within_set *w = within_set(e, n);
    double d = 0;

    if (!w || (w->n == 0 && !w->missing))
        return 0;
    if (!located(s))
        return e->unknown_as;
    if (nearest(e, w, s, &d) != NV_NONE && d <= n->metres)
        return 1;
    return w->missing ? e->unknown_as : 0;
}

/* The assets within n->number links of an asset where n->a holds. */
static unsigned char *near_set(struct eval *e, const struct node *n)
{
    const struct nv_graph *g = &e->m->graph;
    unsigned char *dist, *in;
    uint32_t *queue, head = 0, tail = 0;

    for (int i = 0; i < e->nnear; i++)
        if (e->near_node[i] == n)
            return e->near_set[i];
    in = nv_calloc((size_t)g->n + 1, 1);
    dist = nv_calloc((size_t)g->n + 1, 1);
    queue = nv_calloc((size_t)g->n + 1, sizeof *queue);
    if (!in || !dist || !queue || e->nnear == MAX_NEAR) {
        nv_free(in);
        nv_free(dist);
        nv_free(queue);
        e->rc = NV_ENOMEM;
        return NULL;
    }
    for (uint32_t a = 0; a < g->n; a++)
        if (asset_holds(e, n->a, a)) {
            in[a] = 1;
            queue[tail++] = a;
        }
    while (head < tail) {
        uint32_t v = queue[head++];
        for (uint32_t k = g->off[v]; dist[v] < n->number && k < g->off[v + 1];
             k++)
            if (!in[g->adj[k]]) {
                in[g->adj[k]] = 1;
                dist[g->adj[k]] = (unsigned char)(dist[v] + 1);
                queue[tail++] = g->adj[k];
            }
    }
    nv_free(dist);
    nv_free(queue);
    e->near_node[e->nnear] = n;
    e->near_set[e->nnear++] = in;
    return in;
}

static int asset_holds(struct eval *e, const struct node *n, uint32_t a)
{
    const unsigned char *near;

    switch (n->kind) {
    case N_AND:
        return asset_holds(e, n->a, a) && asset_holds(e, n->b, a);
    case N_OR:
        return asset_holds(e, n->a, a) || asset_holds(e, n->b, a);
    case N_NOT:
        return !asset_holds(e, n->a, a);
    case N_FLAG: /* unresolved */
        return NV_ASSETS(e->m)[a].entity == NV_NONE;
    case N_NEAR:
        near = near_set(e, n);
        return near && near[a];
    case N_WITHIN:
        return within_holds(e, n, a);
    default:
        return asset_field(e, n, a);
    }
}

static int group_holds(struct eval *e, const struct node *n, uint32_t g)
{
    static const size_t prefix[] = {7, 8, 12}; /* "vendor:" "country:" ... */
    const struct nv_group *gr = &e->x->groups.v[g];
    const char *key = gr->id + prefix[gr->kind];

    switch (n->kind) {
    case N_AND:
        return group_holds(e, n->a, g) && group_holds(e, n->b, g);
    case N_OR:
        return group_holds(e, n->a, g) || group_holds(e, n->b, g);
    case N_NOT:
        return !group_holds(e, n->a, g);
    default:
        break;
    }
    if (n->field == F_DESIGNATION)
        return compare(n, (int)gr->designation);
    if (n->field == F_GROUP)
        return compare(n, (int)gr->kind);
    if ((n->field == F_VENDOR && gr->kind != NV_GROUP_VENDOR) ||
        (n->field == F_COUNTRY && gr->kind != NV_GROUP_COUNTRY))
        return n->op == OP_NE;
    return any_listed(n, &key, 1);
}

/* The flow's highest level over the groups where n->a holds. */
static int exposure_of(struct eval *e, const struct node *n, uint32_t f)
{
    int worst = NV_LEVEL_NONE;

    for (uint32_t g = 0; e->x && g < e->x->groups.n; g++) {
        int lv = (int)nv_exposure_level(e->x, f, g);
        if (lv > worst && group_holds(e, n->a, g))
            worst = lv;
    }
    return worst;
}

/* The flow's margin for the node's kind of groups (more than 3 when
 * there is no exposure to work it out from). */
static int margin_of(struct eval *e, const struct node *n, uint32_t f)
{
    int k = n->field == F_COUNTRY;
    struct nv_err err = {0};

    if (!e->x)
        return NV_MARGIN_MAX + 1;
    if (!e->margin[k] && !e->rc) {
        e->margin[k] = nv_calloc((size_t)e->x->nflows + 1, sizeof **e->margin);
        if (!e->margin[k])
            e->rc = NV_ENOMEM;
        else if ((e->rc = nv_margin_compute(
                      e->m, e->x, k ? NV_GROUP_COUNTRY : NV_GROUP_VENDOR, 0,
                      e->margin[k], &err)) != NV_OK) {
            nv_free(e->margin[k]);
            e->margin[k] = NULL;
        }
    }
    return e->margin[k] ? e->margin[k][f].k : NV_MARGIN_MAX + 1;
}

static int on_partner(const struct nv_model *m, const struct node *n,
                      uint32_t f)
{
    for (uint32_t p = 0; p < NV_COUNT(m, NV_T_PARTNER); p++) {
        const struct nv_partner *pa = &NV_PARTNERS(m)[p];
        for (uint32_t c = 0; c < pa->channels.n; c++)
            if (pa->channels.v[c].idx == f && in_values(n, pa->id, 0))
                return n->op != OP_NE;
    }
    return n->op == OP_NE;
}

static int flow_holds(struct eval *e, const struct node *n, uint32_t f)
{
    const struct nv_flow *fl = &NV_FLOWS(e->m)[f];

    switch (n->kind) {
    case N_AND:
        return flow_holds(e, n->a, f) && flow_holds(e, n->b, f);
    case N_OR:
        return flow_holds(e, n->a, f) || flow_holds(e, n->b, f);
    case N_NOT:
        return !flow_holds(e, n->a, f);
    case N_FLAG: /* encrypted */
        return fl->encrypted;
    case N_EXPOSURE:
        return ordered(n->op, exposure_of(e, n, f), (int)n->number);
    case N_MARGIN:
        return ordered(n->op, margin_of(e, n, f), (int)n->number);
    default:
        break;
    }
    if (n->field == F_CLASSIFICATION)
        return compare(n, (int)fl->classification);
    if (n->field == F_PARTNER)
        return on_partner(e->m, n, f);
    return any_listed(n, &fl->sector, 1);
}

static void violation(struct eval *e, uint32_t rule, int kind, uint32_t item,
                      const char *area, const char *fmt, ...) NV_PRINTF(6, 7);

static void violation(struct eval *e, uint32_t rule, int kind, uint32_t item,
                      const char *area, const char *fmt, ...)
{
    struct nv_violation *v;
    va_list ap;

    if (nv_array_reserve(&e->v, &e->cap, (size_t)e->nv + 1, sizeof *e->v)) {
        e->rc = NV_ENOMEM;
        return;
    }
    v = &e->v[e->nv++];
    v->rule = rule;
    v->kind = kind;
    v->item = item;
    v->area = area;
    va_start(ap, fmt);
    vsnprintf(v->why, sizeof v->why, fmt, ap);
    va_end(ap);
}

static const char *vendor_of(const struct nv_model *m, uint32_t a)
{
    const struct nv_asset *as = &NV_ASSETS(m)[a];

    if (as->entity != NV_NONE)
        return NV_ENTITIES(m)[as->entity].id;
    return as->vendor ? as->vendor : "no vendor";
}

static void evidence_area(struct nv_rule_result *out, const char *fmt, ...)
    NV_PRINTF(2, 3);

/* A deny rule's result: how many of the checked items break it. */
static void deny_result(struct nv_rule_result *out, uint32_t checked,
                        uint32_t broken, const char *items)
{
    out->checked = checked;
    out->violations = broken;
    out->measured = broken;
    out->threshold = 0;
    out->unit = items;
    out->status = checked == 0 ? NV_RULE_NOT_APPLICABLE
                  : broken     ? NV_RULE_FAIL
                               : NV_RULE_PASS;
    if (checked == 0)
        snprintf(out->evidence, sizeof out->evidence, "the model has no %s",
                 items);
    else
        snprintf(out->evidence, sizeof out->evidence, "%u of %u %s break it",
                 broken, checked, items);
}

/* The first within() of a condition, whose distance messages give. */
static const struct node *first_within(const struct node *n)
{
    const struct node *w;

    if (!n || n->kind == N_WITHIN)
        return n;
    w = first_within(n->a);
    return w ? w : first_within(n->b);
}

/* How far asset a is from the nearest site where within() wn's
 * condition holds ("; 0.30 km from base"), or why that is unknown. */
static void distance_note(struct eval *e, const struct node *wn, uint32_t a,
                          int unknown, char *out, size_t size)
{
    const struct nv_site *s = site_of(e->m, a);
    struct within_set *w = wn ? within_set(e, wn) : NULL;
    uint32_t t = NV_NONE;
    double d = 0;

    out[0] = '\0';
    if (!unknown && w && located(s))
        t = nearest(e, w, s, &d);
    if (unknown)
        snprintf(out, size, "; distance unknown: %s has no coordinates",
                 located(s) ? "a site it is measured from"
                 : s        ? s->id
                            : "it has no site and");
    else if (t != NV_NONE && d <= wn->metres)
        snprintf(out, size, "; %.2f km from %s", d / 1000,
                 NV_SITES(e->m)[t].id);
}

/* Whether rule condition c holds for asset a; *unknown when it holds
 * only if a distance nobody can measure is short enough. */
static int deny_holds(struct eval *e, const struct node *c,
                      const struct node *wn, uint32_t a, int *unknown)
{
    *unknown = 0;
    if (asset_holds(e, c, a))
        return 1;
    if (!wn)
        return 0;
    e->unknown_as = 1;
    *unknown = asset_holds(e, c, a);
    e->unknown_as = 0;
    return *unknown;
}

static void deny_assets(struct eval *e, uint32_t r, const struct rule *ru,
                        struct nv_rule_result *out)
{
    const struct node *wn = first_within(ru->cond);
    uint32_t before = e->nv, unknowns = 0;
    char note[96];

    for (uint32_t a = 0; a < NV_COUNT(e->m, NV_T_ASSET); a++) {
        const struct nv_asset *as = &NV_ASSETS(e->m)[a];
        const struct nv_site *s = site_of(e->m, a);
        int unknown;
        if (!deny_holds(e, ru->cond, wn, a, &unknown))
            continue;
        unknowns += unknown;
        distance_note(e, wn, a, unknown, note, sizeof note);
        violation(
            e, r, NV_V_ASSET, a, NULL, "%s by %s (%s) in %s at %s%s", as->id,
            vendor_of(e->m, a),
            as->entity == NV_NONE
                ? "unresolved"
                : nv_designation_names[nv_model_designation(e->m, as->entity)],
            nv_layer_names[as->layer], s ? s->id : "no site", note);
    }
    deny_result(out, NV_COUNT(e->m, NV_T_ASSET), e->nv - before, "assets");
    if (unknowns)
        evidence_area(out, "%u of them at a distance nobody can measure",
                      unknowns);
}

/* The worst group reaching flow f, for the message. */
static void worst_group(const struct eval *e, uint32_t f, char *out,
                        size_t size)
{
    int best = 0;

    snprintf(out, size, "no group");
    for (uint32_t g = 0; e->x && g < e->x->groups.n; g++) {
        int lv = (int)nv_exposure_level(e->x, f, g);
        int rank = lv * 8 + (int)e->x->groups.v[g].designation;
        if (lv > NV_LEVEL_NONE && rank > best) {
            best = rank;
            snprintf(out, size, "%s at %s", e->x->groups.v[g].id,
                     nv_level_names[lv]);
        }
    }
}

/* The kinds of margin (bit 0 vendor, bit 1 country) condition n uses. */
static unsigned margins_used(const struct node *n)
{
    if (!n)
        return 0;
    if (n->kind == N_MARGIN)
        return n->field == F_COUNTRY ? 2u : 1u;
    return margins_used(n->a) | margins_used(n->b);
}

/* "; vendor margin 1 (vendor:huawei)" for each kind of margin used. */
static void margin_why(const struct eval *e, unsigned used, uint32_t f,
                       char *out, size_t size)
{
    static const char *const kinds[] = {"vendor", "country"};
    size_t n = strlen(out);

    for (int k = 0; k < 2; k++) {
        const struct nv_margin *mg = e->margin[k] ? &e->margin[k][f] : NULL;
        if (!(used >> k & 1) || !mg || n >= size)
            continue;
        n += (size_t)snprintf(out + n, size - n, "; %s margin %s%d", kinds[k],
                              mg->k > NV_MARGIN_MAX ? "more than " : "",
                              mg->k > NV_MARGIN_MAX ? NV_MARGIN_MAX : mg->k);
        for (int i = 0; i < mg->k && mg->k <= NV_MARGIN_MAX && n < size; i++)
            n += (size_t)snprintf(out + n, size - n, "%s%s", i ? ", " : " (",
                                  e->x->groups.v[mg->witness[i]].id);
        if (mg->k >= 1 && mg->k <= NV_MARGIN_MAX && n < size)
            n += (size_t)snprintf(out + n, size - n, ")");
    }
}

static void deny_flows(struct eval *e, uint32_t r, const struct rule *ru,
                       struct nv_rule_result *out)
{
    unsigned used = margins_used(ru->cond);
    uint32_t before = e->nv;

    for (uint32_t f = 0; f < NV_COUNT(e->m, NV_T_FLOW); f++) {
        const struct nv_flow *fl = &NV_FLOWS(e->m)[f];
        char worst[160];
        if (!flow_holds(e, ru->cond, f))
            continue;
        worst_group(e, f, worst, sizeof worst);
        margin_why(e, used, f, worst, sizeof worst);
        violation(e, r, NV_V_FLOW, f, NULL, "%s (%s, %s, %s): %s", fl->id,
                  fl->sector ? fl->sector : "no sector",
                  nv_class_names[fl->classification],
                  fl->encrypted ? "encrypted" : "not encrypted", worst);
    }
    deny_result(out, NV_COUNT(e->m, NV_T_FLOW), e->nv - before, "flows");
}

/* The areas of an area rule: the whole network, or each region. */
struct areas {
    struct nv_strmap index; /* name -> area */
    const char **name;
    uint32_t *total, *hit, *vendors, n;
    const char **first_vendor;
    size_t cap[5];
};

static const char *area_of(const struct eval *e, const struct rule *ru,
                           uint32_t a)
{
    const struct nv_site *s = site_of(e->m, a);

    if (ru->scope == S_NETWORK)
        return "network";
    return s && s->region ? s->region : "(no region)";
}

static int64_t area_index(struct areas *ar, const char *name)
{
    uint32_t i;
    int found;

    if (nv_strmap_put(&ar->index, name, strlen(name), ar->n, &i, &found))
        return -1;
    if (found)
        return i;
    if (nv_array_reserve(&ar->name, &ar->cap[0], ar->n + 1, sizeof *ar->name) ||
        nv_array_reserve(&ar->total, &ar->cap[1], ar->n + 1,
                         sizeof *ar->total) ||
        nv_array_reserve(&ar->hit, &ar->cap[2], ar->n + 1, sizeof *ar->hit) ||
        nv_array_reserve(&ar->vendors, &ar->cap[3], ar->n + 1,
                         sizeof *ar->vendors) ||
        nv_array_reserve(&ar->first_vendor, &ar->cap[4], ar->n + 1,
                         sizeof *ar->first_vendor))
        return -1;
    ar->name[ar->n] = name;
    ar->total[ar->n] = ar->hit[ar->n] = ar->vendors[ar->n] = 0;
    ar->first_vendor[ar->n] = NULL;
    return ar->n++;
}

static void areas_release(struct areas *ar)
{
    nv_strmap_release(&ar->index);
    nv_free(ar->name);
    nv_free(ar->total);
    nv_free(ar->hit);
    nv_free(ar->vendors);
    nv_free(ar->first_vendor);
}

/* Append an area's figures to the evidence, while room lasts. */
static void evidence_area(struct nv_rule_result *out, const char *fmt, ...)
    NV_PRINTF(2, 3);

static void evidence_area(struct nv_rule_result *out, const char *fmt, ...)
{
    size_t used = strlen(out->evidence);
    va_list ap;

    if (used + 8 >= sizeof out->evidence)
        return;
    if (used) {
        memcpy(out->evidence + used, "; ", 3);
        used += 2;
    }
    va_start(ap, fmt);
    vsnprintf(out->evidence + used, sizeof out->evidence - used, fmt, ap);
    va_end(ap);
}

/* An area rule's result once its areas are measured. */
static void area_result(struct nv_rule_result *out, const struct areas *ar,
                        uint32_t broken, const char *unit, double bound)
{
    out->checked = ar->n;
    out->violations = broken;
    out->threshold = bound;
    out->unit = unit;
    out->status = ar->n == 0 ? NV_RULE_NOT_APPLICABLE
                  : broken   ? NV_RULE_FAIL
                             : NV_RULE_PASS;
    if (ar->n == 0)
        snprintf(out->evidence, sizeof out->evidence,
                 "no asset of the model meets the rule's condition");
}

static void limit_share(struct eval *e, uint32_t r, const struct rule *ru,
                        struct nv_rule_result *out)
{
    uint32_t before = e->nv;

    struct areas ar = {0};

    nv_strmap_init(&ar.index);
    for (uint32_t a = 0; a < NV_COUNT(e->m, NV_T_ASSET) && !e->rc; a++) {
        int64_t i;
        if (!asset_holds(e, ru->within, a))
            continue;
        i = area_index(&ar, area_of(e, ru, a));
        if (i < 0) {
            e->rc = NV_ENOMEM;
            break;
        }
        ar.total[i]++;
        ar.hit[i] += asset_holds(e, ru->cond, a);
    }
    for (uint32_t i = 0; i < ar.n && !e->rc; i++) {
        double share = 100.0 * ar.hit[i] / ar.total[i];
        if (share > ru->bound)
            violation(e, r, NV_V_AREA, 0, ar.name[i],
                      "%s: %.1f%% (%u of %u assets) is over %g%%", ar.name[i],
                      share, ar.hit[i], ar.total[i], ru->bound);
        if (i == 0 || share > out->measured)
            out->measured = share;
        evidence_area(out, "%s %.1f%% (%u of %u assets)", ar.name[i], share,
                      ar.hit[i], ar.total[i]);
    }
    area_result(out, &ar, e->nv - before, "%", ru->bound);
    areas_release(&ar);
}

/* The vendor an asset counts for: its ultimate parent, or its string. */
static const char *vendor_key(const struct nv_model *m, uint32_t a)
{
    const struct nv_asset *as = &NV_ASSETS(m)[a];

    if (as->entity != NV_NONE)
        return NV_ENTITIES(m)[NV_ENTITIES(m)[as->entity].root].id;
    return as->vendor ? as->vendor : "(no vendor)";
}

/* Count a vendor once per area, keyed "area\x1fvendor" in seen. */
static int count_vendor(struct areas *ar, struct nv_strmap *seen,
                        struct nv_arena *keys, int64_t i, const char *v)
{
    size_t na = strlen(ar->name[i]), nvd = strlen(v);
    char *key = nv_arena_alloc(keys, na + nvd + 2);
    uint32_t x;
    int found;

    if (!key)
        return -1;
    memcpy(key, ar->name[i], na);
    key[na] = '\x1f';
    memcpy(key + na + 1, v, nvd + 1);
    if (nv_strmap_put(seen, key, na + nvd + 1, 0, &x, &found))
        return -1;
    if (!found && !ar->vendors[i]++)
        ar->first_vendor[i] = v;
    return 0;
}

static void require_vendors(struct eval *e, uint32_t r, const struct rule *ru,
                            struct nv_rule_result *out)
{
    uint32_t before = e->nv;

    struct areas ar = {0};
    struct nv_strmap seen;
    struct nv_arena keys;

    nv_strmap_init(&ar.index);
    nv_strmap_init(&seen);
    nv_arena_init(&keys);
    for (uint32_t a = 0; a < NV_COUNT(e->m, NV_T_ASSET) && !e->rc; a++) {
        int64_t i;
        if (!asset_holds(e, ru->cond, a))
            continue;
        i = area_index(&ar, area_of(e, ru, a));
        if (i < 0 || count_vendor(&ar, &seen, &keys, i, vendor_key(e->m, a)))
            e->rc = NV_ENOMEM;
    }
    for (uint32_t i = 0; i < ar.n && !e->rc; i++) {
        if (ar.vendors[i] < ru->bound)
            violation(e, r, NV_V_AREA, 0, ar.name[i],
                      "%s: %u vendor%s (%s%s), fewer than %g", ar.name[i],
                      ar.vendors[i], ar.vendors[i] == 1 ? "" : "s",
                      ar.first_vendor[i], ar.vendors[i] > 1 ? ", ..." : "",
                      ru->bound);
        if (i == 0 || ar.vendors[i] < out->measured)
            out->measured = ar.vendors[i];
        evidence_area(out, "%s %u vendor%s", ar.name[i], ar.vendors[i],
                      ar.vendors[i] == 1 ? "" : "s");
    }
    area_result(out, &ar, e->nv - before, "vendors", ru->bound);
    nv_strmap_release(&seen);
    nv_arena_release(&keys);
    areas_release(&ar);
}

int nv_policy_needs_exposure(const struct nv_policy *p)
{
    for (uint32_t r = 0; r < p->nrules; r++)
        if (p->rules[r].body == B_DENY_FLOWS)
            return 1;
    return 0;
}

const char *const nv_rule_status_names[NV_RULE_STATUS_COUNT] = {
    "pass", "fail", "not-applicable"};

static void check_rule(struct eval *e, uint32_t r, const char *date,
                       struct nv_rule_result *out)
{
    const struct rule *ru = &e->p->rules[r];

    memset(out, 0, sizeof *out);
    if (ru->info.from && strcmp(date, ru->info.from) < 0) {
        out->status = NV_RULE_NOT_APPLICABLE;
        out->unit = "";
        snprintf(out->evidence, sizeof out->evidence, "in force from %s",
                 ru->info.from);
    } else if (ru->body == B_DENY_ASSETS) {
        deny_assets(e, r, ru, out);
    } else if (ru->body == B_DENY_FLOWS) {
        deny_flows(e, r, ru, out);
    } else if (ru->body == B_LIMIT_SHARE) {
        limit_share(e, r, ru, out);
    } else {
        require_vendors(e, r, ru, out);
    }
}

enum nv_rc nv_policy_evaluate(const struct nv_policy *p,
                              const struct nv_model *m,
                              const struct nv_exposure *x, const char *date,
                              struct nv_violation **v, uint32_t *n,
                              struct nv_rule_result **res, struct nv_err *err)
{
    struct eval e = {.p = p, .m = m, .x = x};
    struct nv_rule_result one, *all = NULL;

    if (res && !(all = nv_calloc((size_t)p->nrules + 1, sizeof *all)))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    for (uint32_t r = 0; r < p->nrules && !e.rc; r++)
        check_rule(&e, r, date, all ? &all[r] : &one);
    for (int i = 0; i < e.nnear; i++)
        nv_free(e.near_set[i]);
    for (int i = 0; i < e.nwithin; i++)
        nv_free(e.within[i].sites);
    nv_free(e.margin[0]);
    nv_free(e.margin[1]);
    if (e.rc) {
        nv_free(e.v);
        nv_free(all);
        return nv_err_set(err, e.rc, "%s",
                          e.rc == NV_ELIMIT
                              ? "margin: too many groups reach the flows"
                              : "out of memory");
    }
    *v = e.v;
    *n = e.nv;
    if (res)
        *res = all;
    return NV_OK;
}

enum nv_rc nv_policy_check(const struct nv_policy *p, const struct nv_model *m,
                           const struct nv_exposure *x, const char *date,
                           struct nv_violation **v, uint32_t *n,
                           struct nv_err *err)
{
    return nv_policy_evaluate(p, m, x, date, v, n, NULL, err);
}

enum nv_rc nv_policy_rule_assets(const struct nv_policy *p, uint32_t i,
                                 const struct nv_model *m, int within,
                                 unsigned char *out, struct nv_err *err)
{
    struct eval e = {.p = p, .m = m};
    const struct rule *ru = &p->rules[i];
    const struct node *n = within && ru->within ? ru->within : ru->cond;

    for (uint32_t a = 0; a < NV_COUNT(m, NV_T_ASSET); a++)
        out[a] = (unsigned char)asset_holds(&e, n, a);
    for (int k = 0; k < e.nnear; k++)
        nv_free(e.near_set[k]);
    for (int k = 0; k < e.nwithin; k++)
        nv_free(e.within[k].sites);
    return e.rc ? nv_err_set(err, e.rc, "out of memory") : NV_OK;
}

const char *nv_violation_item(const struct nv_model *m,
                              const struct nv_violation *v)
{
    if (v->kind == NV_V_ASSET)
        return NV_ASSETS(m)[v->item].id;
    if (v->kind == NV_V_FLOW)
        return NV_FLOWS(m)[v->item].id;
    return v->area;
}
