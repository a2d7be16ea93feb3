/*
 * margin.c - vendor margin by component passes over unions of groups.
 *
 * Level by level (sizes 0, 1, 2, 3), every set of that many candidate
 * groups that some still-open flow can touch in full is tried once: its
 * groups' transit assets, and every non-transit asset, are taken out of
 * the graph, connected components are labelled, and each open flow
 * touching the whole set is tested.  A flow's ends are never taken out:
 * an end inside the removed set still reaches the components of its
 * open neighbours.  A flow gets the first set of the level, in
 * lexicographic order, that cuts it; sets are taken by threads from a
 * shared counter and each flow keeps the smallest index, so the witness
 * does not depend on the threads' timing.  A set no open flow touches in
 * full cannot be a smallest cut of it: a smaller one would have cut
 * already.
 */
#include "exposure/margin.h"

#include "core/alloc.h"
#include "core/threads.h"
#include "model/graph.h"

#include <stdatomic.h>
#include <string.h>

/* Sets of three are listed in full: no more than this many. */
#define MAX_SETS ((size_t)1 << 24)

struct ctx {
    const struct nv_model *m;
    const struct nv_exposure *x;
    struct nv_margin *out;
    uint32_t *cand, ncand;           /* candidate groups */
    uint32_t words;                  /* words of a bitset over flows */
    uint64_t *touch;                 /* per candidate: the flows it reaches */
    uint64_t *open;                  /* flows whose margin is still unknown */
    unsigned char *base;             /* non-transit assets: always out */
    uint32_t (*sets)[NV_MARGIN_MAX]; /* candidate positions */
    size_t nsets, capsets;
    uint32_t size;     /* of the sets of this level */
    atomic_uint *best; /* per flow: the first set that cuts it */
    atomic_uint next;
    atomic_int failed;
};

struct scratch {
    unsigned char *removed;
    uint32_t *comp, *stack, *mark, stamp;
};

/* Do s and t stay apart in the graph without the removed assets, ends
 * kept? */
static int is_cut(const struct nv_graph *g, struct scratch *w, uint32_t s,
                  uint32_t t)
{
    if (!w->removed[s] && !w->removed[t])
        return w->comp[s] != w->comp[t];
    w->stamp++;
    if (!w->removed[s])
        w->mark[w->comp[s]] = w->stamp;
    for (uint32_t k = g->off[s]; w->removed[s] && k < g->off[s + 1]; k++) {
        uint32_t u = g->adj[k];
        if (u == t)
            return 0;
        if (!w->removed[u])
            w->mark[w->comp[u]] = w->stamp;
    }
    if (!w->removed[t])
        return w->mark[w->comp[t]] != w->stamp;
    for (uint32_t k = g->off[t]; k < g->off[t + 1]; k++) {
        uint32_t u = g->adj[k];
        if (u == s || (!w->removed[u] && w->mark[w->comp[u]] == w->stamp))
            return 0;
    }
    return 1;
}

/* Take the transit assets of set i's groups out (val 1) or put them
 * back as they were (val 0). */
static void take_out(struct ctx *c, struct scratch *w, size_t i, int val)
{
    const struct nv_groups *gs = &c->x->groups;

    for (uint32_t j = 0; j < c->size; j++) {
        uint32_t g = c->cand[c->sets[i][j]];
        for (uint32_t k = gs->aoff[g]; k < gs->aoff[g + 1]; k++) {
            uint32_t a = gs->asset[k];
            w->removed[a] = val ? (unsigned char)1 : c->base[a];
        }
    }
}

/* Keep the smaller of best[f] and i. */
static void offer(atomic_uint *best, uint32_t i)
{
    unsigned cur = atomic_load(best);

    while (i < cur && !atomic_compare_exchange_weak(best, &cur, i))
        ;
}

/* One pass: set i out, then every open flow that touches all of it. */
static void try_set(struct ctx *c, struct scratch *w, uint32_t i)
{
    const struct nv_graph *g = &c->m->graph;
    const struct nv_flow *f = NV_FLOWS(c->m);

    take_out(c, w, i, 1);
    nv_graph_components(g, w->removed, w->comp, w->stack);
    for (uint32_t b = 0; b < c->words; b++) {
        uint64_t bits = c->open[b];
        for (uint32_t j = 0; j < c->size; j++)
            bits &= c->touch[(size_t)c->sets[i][j] * c->words + b];
        for (; bits; bits &= bits - 1) {
            uint32_t fl = b * 64 + (uint32_t)__builtin_ctzll(bits);
            if (is_cut(g, w, f[fl].src.idx, f[fl].dst.idx))
                offer(&c->best[fl], i);
        }
    }
    take_out(c, w, i, 0);
}

static void *worker(void *arg)
{
    struct ctx *c = arg;
    uint32_t n = c->m->graph.n + 1, i;
    struct scratch w = {nv_malloc(n), nv_calloc(n, sizeof(uint32_t)),
                        nv_calloc(n, sizeof(uint32_t)),
                        nv_calloc(n, sizeof(uint32_t)), 0};

    if (!w.removed || !w.comp || !w.stack || !w.mark)
        atomic_store(&c->failed, 1);
    else
        memcpy(w.removed, c->base, n - 1);
    while (!atomic_load(&c->failed) &&
           (i = atomic_fetch_add(&c->next, 1)) < c->nsets)
        try_set(c, &w, i);
    nv_free(w.removed);
    nv_free(w.comp);
    nv_free(w.stack);
    nv_free(w.mark);
    return NULL;
}

/* Does some open flow touch every candidate of set s? */
static int needed(const struct ctx *c, const uint32_t *s, uint32_t size)
{
    for (uint32_t b = 0; b < c->words; b++) {
        uint64_t bits = c->open[b];
        for (uint32_t j = 0; j < size; j++)
            bits &= c->touch[(size_t)s[j] * c->words + b];
        if (bits)
            return 1;
    }
    return 0;
}

static enum nv_rc add_set(struct ctx *c, const uint32_t *s)
{
    if (c->nsets == MAX_SETS)
        return NV_ELIMIT;
    if (nv_array_reserve(&c->sets, &c->capsets, c->nsets + 1, sizeof *c->sets))
        return NV_ENOMEM;
    memset(c->sets[c->nsets], 0, sizeof *c->sets);
    memcpy(c->sets[c->nsets++], s, c->size * sizeof *s);
    return NV_OK;
}

/* The sets of c->size candidates that some open flow touches in full,
 * in lexicographic order (the empty set for size 0). */
static enum nv_rc list_sets(struct ctx *c)
{
    uint32_t s[NV_MARGIN_MAX] = {0}, n = c->ncand, k = c->size;
    enum nv_rc rc = NV_OK;

    c->nsets = 0;
    if (k == 0)
        return add_set(c, s);
    for (uint32_t j = 0; j < k; j++)
        s[j] = j;
    while (!rc && k <= n) {
        if (needed(c, s, k))
            rc = add_set(c, s);
        uint32_t j = k; /* the next set: bump the last position that can */
        while (j > 0 && s[j - 1] == n - k + j - 1)
            j--;
        if (j == 0)
            break;
        s[j - 1]++;
        for (uint32_t i = j; i < k; i++)
            s[i] = s[i - 1] + 1;
    }
    return rc;
}

/* Try every listed set; flows cut get the level's size as margin. */
static enum nv_rc run_level(struct ctx *c, int threads)
{
    enum nv_rc rc = list_sets(c);

    for (uint32_t f = 0; f < c->x->nflows; f++)
        atomic_store(&c->best[f], UINT32_MAX);
    if (rc || !c->nsets)
        return rc;
    atomic_store(&c->next, 0);
    nv_threads_run(threads, worker, c);
    if (atomic_load(&c->failed))
        return NV_ENOMEM;
    for (uint32_t f = 0; f < c->x->nflows; f++) {
        uint32_t i = atomic_load(&c->best[f]);
        if (i == UINT32_MAX)
            continue;
        c->out[f].k = (unsigned char)c->size;
        for (uint32_t j = 0; j < c->size; j++)
            c->out[f].witness[j] = c->cand[c->sets[i][j]];
        c->open[f / 64] &= ~((uint64_t)1 << (f % 64));
    }
    return NV_OK;
}

/* The candidate groups (of the kind, reaching some flow) and the flows
 * each reaches; every flow with something between its ends is open. */
static enum nv_rc prepare(struct ctx *c, enum nv_group_kind kind)
{
    const struct nv_exposure *x = c->x;
    const struct nv_flow *f = NV_FLOWS(c->m);

    c->words = x->nflows / 64 + 1;
    c->cand = nv_calloc((size_t)x->groups.n + 1, sizeof *c->cand);
    c->touch = nv_calloc(((size_t)x->groups.n + 1) * c->words, 8);
    c->open = nv_calloc(c->words, 8);
    c->best = nv_calloc((size_t)x->nflows + 1, sizeof *c->best);
    c->base = nv_calloc((size_t)c->m->graph.n + 1, 1);
    if (!c->cand || !c->touch || !c->open || !c->best || !c->base)
        return NV_ENOMEM;
    for (uint32_t a = 0; a < c->m->graph.n; a++)
        c->base[a] = !NV_ASSETS(c->m)[a].transit;
    for (uint32_t i = 0; i < x->nflows; i++) {
        c->out[i].k = NV_MARGIN_MAX + 1;
        if (f[i].src.idx != f[i].dst.idx)
            c->open[i / 64] |= (uint64_t)1 << (i % 64);
    }
    for (uint32_t g = 0; g < x->groups.n; g++) {
        uint64_t *t = &c->touch[(size_t)c->ncand * c->words];
        int any = 0;
        for (uint32_t i = 0; x->groups.v[g].kind == kind && i < x->nflows; i++)
            if (nv_exposure_level(x, i, g) >= NV_LEVEL_MAY) {
                t[i / 64] |= (uint64_t)1 << (i % 64);
                any = 1;
            }
        if (any)
            c->cand[c->ncand++] = g;
    }
    return NV_OK;
}

enum nv_rc nv_margin_compute(const struct nv_model *m,
                             const struct nv_exposure *x,
                             enum nv_group_kind kind, int threads,
                             struct nv_margin *out, struct nv_err *err)
{
    struct ctx c;
    enum nv_rc rc;

    memset(&c, 0, sizeof c);
    c.m = m;
    c.x = x;
    c.out = out;
    rc = prepare(&c, kind);
    threads = nv_threads_count(threads);
    for (c.size = 0; !rc && c.size <= NV_MARGIN_MAX; c.size++)
        rc = run_level(&c, threads);
    for (uint32_t i = 0; !rc && i < x->nflows; i++)
        if (out[i].k == 0)
            memset(out[i].witness, 0, sizeof out[i].witness);
    nv_free(c.cand);
    nv_free(c.touch);
    nv_free(c.open);
    nv_free(c.best);
    nv_free(c.base);
    nv_free(c.sets);
    if (rc == NV_ELIMIT)
        return nv_err_set(err, rc,
                          "margin: too many sets of %d groups to try (%u "
                          "groups reach the flows)",
                          NV_MARGIN_MAX, c.ncand);
    return rc ? nv_err_set(err, rc, "out of memory") : NV_OK;
}
