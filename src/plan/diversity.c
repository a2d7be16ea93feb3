/*
 * diversity.c - `require vendors` rules in a plan.
 *
 * A replacement gives an asset a trusted vendor, so it raises its area's
 * number of vendors by one when that vendor is new to the area and the
 * replaced asset's own vendor keeps another asset there.  An untrusted
 * vendor with k assets in an area can thus give up to k - 1 of them for
 * new vendors (all k: it is gone, and one of the k only makes up for
 * it).  So an area short of need vendors asks, by the rule's year, that
 * need of its untrusted assets be replaced, one asset of each untrusted
 * vendor kept out of the count -- the dearest that nothing else needs by
 * then: a share in the programme's terms.  It cannot be met when the
 * untrusted vendors have fewer than need assets beyond one each, or
 * fewer than need trusted vendors are not yet in the area.
 *
 * Once the plan is chosen, each replacement in an area of a `require
 * vendors` rule (of errors first, then warnings) that is short of its
 * bound gets a trusted vendor the area does not have yet, so that a plan
 * never takes an area under its bound where other trusted vendors would
 * do.  The population of each rule is taken from the model as it is.
 */
#include "plan/plan_int.h"

#include "core/alloc.h"
#include "core/strmap.h"

#include <stdlib.h>
#include <string.h>

/* Per asset, its vendor as `require vendors` counts them: the ultimate
 * parent, else the vendor string as found.  Ids: entities' roots, then
 * ne + the first asset with that string, then ne + na for no vendor. */
struct vendors {
    uint32_t *vid, n;
    uint32_t *count; /* n: scratch, zero between uses */
    uint32_t *trust; /* trusted roots that can replace, most assets first */
    uint32_t ntrust;
};

static void vendors_release(struct vendors *v)
{
    nv_free(v->vid);
    nv_free(v->count);
    nv_free(v->trust);
    memset(v, 0, sizeof *v);
}

static enum nv_rc vendor_ids(const struct plan_ctx *c, struct vendors *v)
{
    uint32_t ne = NV_COUNT(c->m, NV_T_ENTITY), first;
    struct nv_strmap names;
    enum nv_rc rc = NV_OK;
    int found;

    nv_strmap_init(&names);
    v->n = ne + c->na + 1;
    v->vid = nv_calloc((size_t)c->na + 1, sizeof *v->vid);
    v->count = nv_calloc(v->n, sizeof *v->count);
    if (!v->vid || !v->count)
        rc = NV_ENOMEM;
    for (uint32_t a = 0; !rc && a < c->na; a++) {
        const struct nv_asset *as = &NV_ASSETS(c->m)[a];
        if (as->entity != NV_NONE)
            v->vid[a] = NV_ENTITIES(c->m)[as->entity].root;
        else if (!as->vendor)
            v->vid[a] = ne + c->na;
        else if (!(rc = nv_strmap_put(&names, as->vendor, strlen(as->vendor), a,
                                      &first, &found)))
            v->vid[a] = ne + first;
    }
    nv_strmap_release(&names);
    return rc;
}

struct ranked {
    uint32_t n, e;
};

static int by_assets(const void *pa, const void *pb)
{
    const struct ranked *a = pa, *b = pb;

    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    return a->e < b->e ? -1 : a->e > b->e;
}

/* The trusted roots that can replace, those with most assets first. */
static enum nv_rc trusted_roots(const struct plan_ctx *c, struct vendors *v)
{
    uint32_t ne = NV_COUNT(c->m, NV_T_ENTITY);
    struct ranked *r = nv_calloc((size_t)ne + 1, sizeof *r);

    v->trust = nv_calloc((size_t)ne + 1, sizeof *v->trust);
    if (!r || !v->trust) {
        nv_free(r);
        return NV_ENOMEM;
    }
    for (uint32_t a = 0; a < c->na; a++)
        if (v->vid[a] < ne)
            v->count[v->vid[a]]++;
    for (uint32_t e = 0; e < ne; e++)
        if (NV_ENTITIES(c->m)[e].root == e && nv_plan_trusted(c, e))
            r[v->ntrust++] = (struct ranked){v->count[e], e};
    memset(v->count, 0, v->n * sizeof *v->count);
    qsort(r, v->ntrust, sizeof *r, by_assets);
    for (uint32_t i = 0; i < v->ntrust; i++)
        v->trust[i] = r[i].e;
    nv_free(r);
    return NV_OK;
}

static enum nv_rc vendors_init(const struct plan_ctx *c, struct vendors *v)
{
    memset(v, 0, sizeof *v);
    if (vendor_ids(c, v) || trusted_roots(c, v)) {
        vendors_release(v);
        return NV_ENOMEM;
    }
    return NV_OK;
}

/* Mark in in[] the assets of rule r's population in area (every area
 * when area is NULL). */
static enum nv_rc population(const struct plan_ctx *c, uint32_t r,
                             const char *area, unsigned char *in,
                             struct nv_err *err)
{
    struct nv_rule_info ri;
    enum nv_rc rc = nv_policy_rule_assets(c->p, r, c->m, 0, in, err);

    nv_policy_rule(c->p, r, &ri);
    for (uint32_t a = 0; !rc && area && a < c->na; a++)
        if (in[a] && strcmp(nv_plan_area(c->m, a, ri.per_region), area) != 0)
            in[a] = 0;
    return rc;
}

/* The number of vendors a rule asks for. */
static uint32_t wanted(const struct plan_ctx *c, uint32_t r)
{
    struct nv_rule_info ri;

    nv_policy_rule(c->p, r, &ri);
    return ri.bound > 0 ? (uint32_t)(ri.bound + 1 - 1e-9) : 0;
}

/* Per vendor of the area: its assets counted, whether one is trusted
 * (safe), and the one untrusted asset kept out of the share: the
 * dearest that nothing needs by year. */
static uint32_t tally(const struct plan_ctx *c, struct vendors *v,
                      const unsigned char *in, int year, unsigned char *safe,
                      uint32_t *keep)
{
    uint32_t distinct = 0;

    for (uint32_t a = 0; a < c->na; a++) {
        uint32_t id = v->vid[a], k = keep[id];
        if (!in[a])
            continue;
        distinct += !v->count[id]++;
        safe[id] |= (unsigned char)!c->hostile[a];
        if (c->hostile[a] &&
            (k == NV_NONE || (c->by[a] > year) > (c->by[k] > year) ||
             ((c->by[a] > year) == (c->by[k] > year) &&
              c->cost[a] > c->cost[k])))
            keep[id] = a;
    }
    return distinct;
}

/* The untrusted assets of the area whose replacement adds a vendor,
 * appended to c->dec. */
static enum nv_rc gather(struct plan_ctx *c, const struct vendors *v,
                         const unsigned char *in, const unsigned char *safe,
                         const uint32_t *keep)
{
    for (uint32_t a = 0; a < c->na; a++) {
        uint32_t id = v->vid[a];
        if (!in[a] || !c->hostile[a] || (!safe[id] && keep[id] == a))
            continue;
        if (nv_array_reserve(&c->dec, &c->capdec, (size_t)c->ndec + 1,
                             sizeof *c->dec))
            return NV_ENOMEM;
        c->dec[c->ndec++] = a;
    }
    return NV_OK;
}

static enum nv_rc add_share(struct plan_ctx *c, uint32_t r, const char *area,
                            struct share sh, uint32_t have, uint32_t avail)
{
    char why[160];

    if (sh.need > sh.n || sh.need > avail) {
        snprintf(why, sizeof why,
                 "%s: %u vendor%s; replacing can add at most %u", area, have,
                 have == 1 ? "" : "s", sh.n < avail ? sh.n : avail);
        nv_plan_unmeetable(c, r, why);
        return NV_OK;
    }
    if (nv_array_reserve(&c->shares, &c->capshares, (size_t)c->nshares + 1,
                         sizeof *c->shares))
        return NV_ENOMEM;
    c->shares[c->nshares++] = sh;
    return NV_OK;
}

enum nv_rc nv_plan_vendor_needs(struct plan_ctx *c, uint32_t rule,
                                const char *area, int year, struct nv_err *err)
{
    struct vendors v = {0};
    unsigned char *in = nv_calloc((size_t)c->na + 1, 1), *safe = NULL;
    uint32_t *keep = NULL, have = 0, avail = 0, first = c->ndec;
    enum nv_rc rc = in && !vendors_init(c, &v) ? NV_OK : NV_ENOMEM;

    if (!rc) {
        safe = nv_calloc(v.n, 1);
        keep = nv_calloc(v.n, sizeof *keep);
        rc = safe && keep ? NV_OK : NV_ENOMEM;
    }
    for (uint32_t i = 0; !rc && i < v.n; i++)
        keep[i] = NV_NONE;
    rc = rc ? rc : population(c, rule, area, in, err);
    if (!rc)
        have = tally(c, &v, in, year, safe, keep);
    for (uint32_t i = 0; !rc && i < v.ntrust; i++)
        avail += !v.count[v.trust[i]];
    if (!rc && have < wanted(c, rule))
        rc = gather(c, &v, in, safe, keep);
    if (!rc && have < wanted(c, rule))
        rc = add_share(c, rule, area,
                       (struct share){year, wanted(c, rule) - have, first,
                                      c->ndec - first},
                       have, avail);
    vendors_release(&v);
    nv_free(in);
    nv_free(safe);
    nv_free(keep);
    return rc == NV_ENOMEM ? nv_err_set(err, rc, "out of memory") : rc;
}

/* What diversify works with: per asset, its step in the plan (or
 * NV_NONE) and whether its vendor was chosen for an area already. */
struct pass {
    struct vendors v;
    uint32_t *step;
    unsigned char *pinned, *in;
    uint32_t *order; /* the population, area by area */
};

/* The vendor asset a has after the plan. */
static uint32_t after(const struct plan_ctx *c, const struct pass *w,
                      uint32_t a)
{
    uint32_t s = w->step[a];

    return s == NV_NONE ? w->v.vid[a]
                        : NV_ENTITIES(c->m)[c->out->step[s].vendor].root;
}

/* One area (assets list[0..n)) of a rule asking for want vendors: while
 * short, a replacement whose vendor another asset of the area shares
 * takes a trusted vendor the area lacks. */
static void diversify_area(struct plan_ctx *c, struct pass *w,
                           const uint32_t *list, uint32_t n, uint32_t want)
{
    uint32_t have = 0, t = 0;

    for (uint32_t i = 0; i < n; i++)
        have += !w->v.count[after(c, w, list[i])]++;
    for (uint32_t i = 0; i < n && have < want; i++) {
        uint32_t a = list[i], old = after(c, w, a);
        if (w->step[a] == NV_NONE || w->pinned[a] || w->v.count[old] < 2)
            continue;
        while (t < w->v.ntrust && w->v.count[w->v.trust[t]])
            t++;
        if (t == w->v.ntrust)
            break;
        c->out->step[w->step[a]].vendor = w->v.trust[t];
        w->v.count[old]--;
        w->v.count[w->v.trust[t]]++;
        w->pinned[a] = 1;
        have++;
    }
    for (uint32_t i = 0; i < n; i++)
        w->v.count[after(c, w, list[i])] = 0;
}

/* Rule r's population (w->in) area by area into w->order: area i is
 * order[off[i] .. off[i + 1]) of the n areas; NULL when out of memory. */
static uint32_t *by_area(const struct plan_ctx *c, struct pass *w, uint32_t r,
                         uint32_t *n)
{
    struct nv_rule_info ri;
    struct nv_strmap areas;
    uint32_t *area = nv_calloc((size_t)c->na + 1, sizeof *area), id = 0;
    uint32_t *off = nv_calloc((size_t)c->na + 2, sizeof *off);
    int found, ok = area && off;

    nv_policy_rule(c->p, r, &ri);
    nv_strmap_init(&areas);
    for (uint32_t a = 0; ok && a < c->na; a++) {
        const char *name = nv_plan_area(c->m, a, ri.per_region);
        ok = !w->in[a] || !nv_strmap_put(&areas, name, strlen(name),
                                         (uint32_t)areas.count, &id, &found);
        area[a] = w->in[a] ? id : NV_NONE;
        if (ok && w->in[a])
            off[id + 1]++;
    }
    *n = (uint32_t)areas.count;
    for (uint32_t i = 0; ok && i < *n; i++)
        off[i + 1] += off[i];
    for (uint32_t a = 0; ok && a < c->na; a++)
        if (area[a] != NV_NONE)
            w->order[off[area[a]]++] = a;
    for (uint32_t i = *n; ok && i > 0; i--)
        off[i] = off[i - 1];
    nv_strmap_release(&areas);
    nv_free(area);
    if (!ok) {
        nv_free(off);
        return NULL;
    }
    off[0] = 0;
    return off;
}

static enum nv_rc diversify_rule(struct plan_ctx *c, struct pass *w, uint32_t r,
                                 struct nv_err *err)
{
    uint32_t *off, n;
    enum nv_rc rc = population(c, r, NULL, w->in, err);

    if (rc)
        return rc;
    if (!(off = by_area(c, w, r, &n)))
        return NV_ENOMEM;
    for (uint32_t i = 0; i < n; i++)
        diversify_area(c, w, &w->order[off[i]], off[i + 1] - off[i],
                       wanted(c, r));
    nv_free(off);
    return NV_OK;
}

enum nv_rc nv_plan_diversify(struct plan_ctx *c, struct nv_err *err)
{
    struct pass w = {{0}, NULL, NULL, NULL, NULL};
    size_t n = (size_t)c->na + 1;
    enum nv_rc rc = vendors_init(c, &w.v);

    w.step = nv_calloc(n, sizeof *w.step);
    w.pinned = nv_calloc(n, 1);
    w.in = nv_calloc(n, 1);
    w.order = nv_calloc(n, sizeof *w.order);
    if (!w.step || !w.pinned || !w.in || !w.order)
        rc = NV_ENOMEM;
    for (uint32_t a = 0; !rc && a < c->na; a++)
        w.step[a] = NV_NONE;
    for (uint32_t i = 0; !rc && i < c->out->nstep; i++)
        w.step[c->out->step[i].asset] = i;
    /* errors first: their areas get the trusted vendors they lack */
    for (int sev = NV_SEV_ERROR; !rc && sev >= NV_SEV_WARNING; sev--)
        for (uint32_t r = 0; !rc && r < nv_policy_rules(c->p); r++) {
            struct nv_rule_info ri;
            nv_policy_rule(c->p, r, &ri);
            if (ri.body == NV_RULE_REQUIRE_VENDORS && (int)ri.severity == sev)
                rc = diversify_rule(c, &w, r, err);
        }
    vendors_release(&w.v);
    nv_free(w.step);
    nv_free(w.pinned);
    nv_free(w.in);
    nv_free(w.order);
    return rc == NV_ENOMEM ? nv_err_set(err, rc, "out of memory") : rc;
}
