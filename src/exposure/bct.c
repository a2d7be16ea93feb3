/*
 * bct.c - blocks by Hopcroft-Tarjan (iterative, over links so parallel
 * links count), the block-cut forest, and offline LCA.
 *
 * Invariant of the block search: the edge stack holds the edges of the
 * blocks not yet closed; when a child v of u finishes with low[v] >=
 * disc[u], the edges from the tree edge u-v up are exactly v's block.
 */
#include "exposure/bct.h"

#include "core/alloc.h"

#include <string.h>

struct frame {
    uint32_t v, parent_link, next;
    size_t height; /* edge stack below the tree edge into v */
};

struct search {
    const struct nv_graph *g;
    const unsigned char *skip;
    struct nv_bct *t;
    uint32_t *disc, *low, *stamp, clock;
    uint32_t *estack; /* pairs of vertices */
    size_t nedges, ecap;
    struct frame *frames;
    size_t nframes, fcap;
    size_t nvert, vcap, bcap;
};

static enum nv_rc add_vertex(struct search *s, uint32_t v)
{
    struct nv_bct *t = s->t;

    if (s->stamp[v] == t->nblocks + 1)
        return NV_OK;
    s->stamp[v] = t->nblocks + 1;
    if (nv_array_reserve(&t->bvert, &s->vcap, s->nvert + 1, sizeof *t->bvert))
        return NV_ENOMEM;
    t->bvert[s->nvert++] = v;
    return NV_OK;
}

/* Close a block: the ends of the edges above height, or the lone vertex v
 * when there are none. */
static enum nv_rc close_block(struct search *s, size_t height, uint32_t v)
{
    struct nv_bct *t = s->t;
    enum nv_rc rc = height == s->nedges ? add_vertex(s, v) : NV_OK;

    while (!rc && s->nedges > height) {
        s->nedges--;
        rc = add_vertex(s, s->estack[2 * s->nedges]);
        if (!rc)
            rc = add_vertex(s, s->estack[2 * s->nedges + 1]);
    }
    if (!rc && nv_array_reserve(&t->boff, &s->bcap, (size_t)t->nblocks + 2,
                                sizeof *t->boff))
        rc = NV_ENOMEM;
    if (!rc)
        t->boff[++t->nblocks] = (uint32_t)s->nvert;
    return rc;
}

static enum nv_rc push_edge(struct search *s, uint32_t u, uint32_t w)
{
    if (nv_array_reserve(&s->estack, &s->ecap, 2 * (s->nedges + 1),
                         sizeof *s->estack))
        return NV_ENOMEM;
    s->estack[2 * s->nedges] = u;
    s->estack[2 * s->nedges + 1] = w;
    s->nedges++;
    return NV_OK;
}

static enum nv_rc push_frame(struct search *s, uint32_t v, uint32_t link,
                             size_t height)
{
    if (nv_array_reserve(&s->frames, &s->fcap, s->nframes + 1,
                         sizeof *s->frames))
        return NV_ENOMEM;
    s->disc[v] = s->low[v] = ++s->clock;
    s->frames[s->nframes++] = (struct frame){v, link, s->g->off[v], height};
    return NV_OK;
}

/* v is done: pass its low up, and close its block if v's subtree cannot
 * reach above its parent. */
static enum nv_rc finish(struct search *s)
{
    struct frame f = s->frames[--s->nframes];
    uint32_t u;

    if (s->nframes == 0)
        return NV_OK;
    u = s->frames[s->nframes - 1].v;
    if (s->low[f.v] < s->low[u])
        s->low[u] = s->low[f.v];
    return s->low[f.v] >= s->disc[u] ? close_block(s, f.height, f.v) : NV_OK;
}

/* One step from the top frame: follow its next half-edge, or finish. */
static enum nv_rc step(struct search *s)
{
    struct frame *f = &s->frames[s->nframes - 1];
    const struct nv_graph *g = s->g;
    uint32_t k, w, v = f->v;
    size_t height = s->nedges;
    enum nv_rc rc;

    if (f->next == g->off[v + 1])
        return finish(s);
    k = f->next++;
    w = g->adj[k];
    if (w == v || g->link[k] == f->parent_link || (s->skip && s->skip[w]))
        return NV_OK;
    if (!s->disc[w]) {
        rc = push_edge(s, v, w);
        return rc ? rc : push_frame(s, w, g->link[k], height);
    }
    if (s->disc[w] >= s->disc[v])
        return NV_OK; /* seen from w's side already */
    if (s->disc[w] < s->low[v])
        s->low[v] = s->disc[w];
    return push_edge(s, v, w);
}

static enum nv_rc find_blocks(struct search *s)
{
    enum nv_rc rc = NV_OK;

    for (uint32_t r = 0; r < s->g->n && !rc; r++) {
        if (s->disc[r] || (s->skip && s->skip[r]))
            continue;
        rc = push_frame(s, r, NV_NONE, 0);
        while (!rc && s->nframes)
            rc = step(s);
        if (!rc && !s->stamp[r]) /* r has no links: a block alone */
            rc = close_block(s, s->nedges, r);
    }
    return rc;
}

/* Cut vertices are those in two or more blocks; number them after the
 * blocks and give every vertex its node. */
static enum nv_rc map_nodes(struct nv_bct *t, uint32_t n, uint32_t *count)
{
    memset(count, 0, (size_t)n * sizeof *count);
    for (uint32_t i = 0; i < t->boff[t->nblocks]; i++)
        count[t->bvert[i]]++;
    t->node = nv_calloc((size_t)n + 1, sizeof *t->node);
    if (!t->node)
        return NV_ENOMEM;
    for (uint32_t v = 0; v < n; v++)
        t->node[v] = count[v] >= 2 ? t->nblocks + t->ncuts++ : NV_NONE;
    for (uint32_t b = 0; b < t->nblocks; b++)
        for (uint32_t i = t->boff[b]; i < t->boff[b + 1]; i++)
            if (t->node[t->bvert[i]] == NV_NONE)
                t->node[t->bvert[i]] = b;
    return NV_OK;
}

/* The blocks of each cut vertex, in CSR form: cut c (node nblocks + c)
 * is in blocks cblk[coff[c] .. coff[c + 1]). */
static enum nv_rc cut_blocks(const struct nv_bct *t, uint32_t **coff,
                             uint32_t **cblk)
{
    uint32_t *off = nv_calloc((size_t)t->ncuts + 2, sizeof *off);
    uint32_t *blk = nv_calloc((size_t)t->boff[t->nblocks] + 1, sizeof *blk);

    *coff = off;
    *cblk = blk;
    if (!off || !blk)
        return NV_ENOMEM;
    for (uint32_t i = 0; i < t->boff[t->nblocks]; i++)
        if (t->node[t->bvert[i]] >= t->nblocks)
            off[t->node[t->bvert[i]] - t->nblocks + 1]++;
    for (uint32_t c = 0; c < t->ncuts; c++)
        off[c + 1] += off[c];
    for (uint32_t b = 0; b < t->nblocks; b++)
        for (uint32_t i = t->boff[b]; i < t->boff[b + 1]; i++)
            if (t->node[t->bvert[i]] >= t->nblocks)
                blk[off[t->node[t->bvert[i]] - t->nblocks]++] = b;
    for (uint32_t c = t->ncuts; c > 0; c--) /* undo the fill's advance */
        off[c] = off[c - 1];
    off[0] = 0;
    return NV_OK;
}

static void visit(struct nv_bct *t, uint32_t x, uint32_t root, uint32_t parent,
                  uint32_t *tail)
{
    if (t->tree[x] != NV_NONE)
        return;
    t->tree[x] = root;
    t->parent[x] = parent;
    t->order[(*tail)++] = x;
}

/* Put the forest neighbours of node x (the cut vertices of a block, or
 * the blocks of a cut vertex) in tree root's queue. */
static void expand(struct nv_bct *t, const uint32_t *coff, const uint32_t *cblk,
                   uint32_t x, uint32_t root, uint32_t *tail)
{
    if (x < t->nblocks) {
        for (uint32_t i = t->boff[x]; i < t->boff[x + 1]; i++)
            if (t->node[t->bvert[i]] >= t->nblocks)
                visit(t, t->node[t->bvert[i]], root, x, tail);
        return;
    }
    for (uint32_t i = coff[x - t->nblocks]; i < coff[x - t->nblocks + 1]; i++)
        visit(t, cblk[i], root, x, tail);
}

/* Root each tree of the forest and list its nodes breadth first, so that
 * every parent comes before its children. */
static void root_trees(struct nv_bct *t, const uint32_t *coff,
                       const uint32_t *cblk)
{
    uint32_t nodes = nv_bct_nodes(t), head = 0, tail = 0;

    for (uint32_t i = 0; i < nodes; i++)
        t->tree[i] = NV_NONE;
    for (uint32_t r = 0; r < nodes; r++) {
        visit(t, r, r, NV_NONE, &tail);
        for (; head < tail; head++)
            expand(t, coff, cblk, t->order[head], r, &tail);
    }
}

static enum nv_rc build_forest(struct nv_bct *t, uint32_t n, uint32_t *scratch)
{
    uint32_t nodes;
    enum nv_rc rc = map_nodes(t, n, scratch);

    nodes = nv_bct_nodes(t);
    if (!rc)
        rc = cut_blocks(t, &t->coff, &t->cblk);
    t->parent = nv_calloc((size_t)nodes + 1, sizeof *t->parent);
    t->order = nv_calloc((size_t)nodes + 1, sizeof *t->order);
    t->tree = nv_calloc((size_t)nodes + 1, sizeof *t->tree);
    if (!rc && (!t->parent || !t->order || !t->tree))
        rc = NV_ENOMEM;
    if (!rc)
        root_trees(t, t->coff, t->cblk);
    return rc;
}

enum nv_rc nv_bct_build(const struct nv_graph *g, const unsigned char *skip,
                        struct nv_bct *t, struct nv_err *err)
{
    struct search s = {g, skip, t,    NULL, NULL, NULL, 0, NULL,
                       0, 0,    NULL, 0,    0,    0,    0, 0};
    enum nv_rc rc = NV_OK;

    memset(t, 0, sizeof *t);
    s.disc = nv_calloc((size_t)g->n + 1, sizeof *s.disc);
    s.low = nv_calloc((size_t)g->n + 1, sizeof *s.low);
    s.stamp = nv_calloc((size_t)g->n + 1, sizeof *s.stamp);
    if (!s.disc || !s.low || !s.stamp ||
        nv_array_reserve(&t->boff, &s.bcap, 1, sizeof *t->boff))
        rc = NV_ENOMEM;
    if (!rc) {
        t->boff[0] = 0;
        rc = find_blocks(&s);
    }
    if (!rc)
        rc = build_forest(t, g->n, s.disc);
    nv_free(s.disc);
    nv_free(s.low);
    nv_free(s.stamp);
    nv_free(s.estack);
    nv_free(s.frames);
    if (rc)
        nv_bct_release(t);
    return rc ? nv_err_set(err, rc, "out of memory") : NV_OK;
}

void nv_bct_release(struct nv_bct *t)
{
    nv_free(t->node);
    nv_free(t->parent);
    nv_free(t->order);
    nv_free(t->tree);
    nv_free(t->boff);
    nv_free(t->bvert);
    nv_free(t->coff);
    nv_free(t->cblk);
    memset(t, 0, sizeof *t);
}

static uint32_t find(uint32_t *uf, uint32_t x)
{
    while (uf[x] != x) {
        uf[x] = uf[uf[x]];
        x = uf[x];
    }
    return x;
}

/* Query lists per node, CSR: (other end, query index) pairs. */
static enum nv_rc index_queries(uint32_t nodes, const uint32_t *a,
                                const uint32_t *b, uint32_t n, uint32_t **qoff,
                                uint32_t **q)
{
    uint32_t *off = nv_calloc((size_t)nodes + 2, sizeof *off);
    uint32_t *list = nv_calloc(4 * (size_t)n + 1, sizeof *list);

    *qoff = off;
    *q = list;
    if (!off || !list)
        return NV_ENOMEM;
    for (uint32_t i = 0; i < n; i++) {
        off[a[i] + 1]++;
        off[b[i] + 1]++;
    }
    for (uint32_t v = 0; v < nodes; v++)
        off[v + 1] += off[v];
    for (uint32_t i = 0; i < n; i++) {
        uint32_t ends[2] = {a[i], b[i]};
        for (int e = 0; e < 2; e++) {
            list[2 * off[ends[e]]] = ends[1 - e];
            list[2 * off[ends[e]]++ + 1] = i;
        }
    }
    for (uint32_t v = nodes; v > 0; v--)
        off[v] = off[v - 1];
    off[0] = 0;
    return NV_OK;
}

enum nv_rc nv_bct_children(const struct nv_bct *t, uint32_t **coff,
                           uint32_t **kids, struct nv_err *err)
{
    uint32_t nodes = nv_bct_nodes(t);
    uint32_t *off = nv_calloc((size_t)nodes + 2, sizeof *off);
    uint32_t *list = nv_calloc((size_t)nodes + 1, sizeof *list);

    *coff = off;
    *kids = list;
    if (!off || !list) {
        nv_free(off);
        nv_free(list);
        *coff = *kids = NULL;
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    for (uint32_t x = 0; x < nodes; x++)
        if (t->parent[x] != NV_NONE)
            off[t->parent[x] + 1]++;
    for (uint32_t x = 0; x < nodes; x++)
        off[x + 1] += off[x];
    for (uint32_t i = 0; i < nodes; i++) { /* order keeps children sorted */
        uint32_t x = t->order[i];
        if (t->parent[x] != NV_NONE)
            list[off[t->parent[x]]++] = x;
    }
    for (uint32_t x = nodes; x > 0; x--)
        off[x] = off[x - 1];
    off[0] = 0;
    return NV_OK;
}

struct lca_state {
    const struct nv_bct *t;
    uint32_t *coff, *kids, *qoff, *q;
    uint32_t *uf, *anc, *stack, *cursor;
    unsigned char *done;
    uint32_t *lca;
};

/* u is finished: answer its queries whose other end is finished too. */
static void answer(struct lca_state *l, uint32_t u)
{
    l->done[u] = 1;
    for (uint32_t k = l->qoff[u]; k < l->qoff[u + 1]; k++) {
        uint32_t w = l->q[2 * k];
        if (l->done[w] && l->t->tree[w] == l->t->tree[u])
            l->lca[l->q[2 * k + 1]] = l->anc[find(l->uf, w)];
    }
}

/* Tarjan's offline LCA over one tree, depth first without recursion. */
static void lca_tree(struct lca_state *l, uint32_t root)
{
    uint32_t top = 0;

    l->stack[top++] = root;
    l->cursor[root] = l->coff[root];
    while (top) {
        uint32_t u = l->stack[top - 1];
        if (l->cursor[u] < l->coff[u + 1]) {
            uint32_t v = l->kids[l->cursor[u]++];
            l->cursor[v] = l->coff[v];
            l->stack[top++] = v;
            continue;
        }
        answer(l, u);
        if (--top) {
            uint32_t p = l->stack[top - 1];
            l->uf[find(l->uf, u)] = find(l->uf, p);
            l->anc[find(l->uf, p)] = p;
        }
    }
}

enum nv_rc nv_bct_lca(const struct nv_bct *t, const uint32_t *a,
                      const uint32_t *b, uint32_t n, uint32_t *lca,
                      struct nv_err *err)
{
    uint32_t nodes = nv_bct_nodes(t);
    struct lca_state l = {t,    NULL, NULL, NULL, NULL, NULL,
                          NULL, NULL, NULL, NULL, lca};
    enum nv_rc rc = nv_bct_children(t, &l.coff, &l.kids, NULL);

    if (!rc)
        rc = index_queries(nodes, a, b, n, &l.qoff, &l.q);
    l.uf = nv_calloc((size_t)nodes + 1, sizeof *l.uf);
    l.anc = nv_calloc((size_t)nodes + 1, sizeof *l.anc);
    l.stack = nv_calloc((size_t)nodes + 1, sizeof *l.stack);
    l.cursor = nv_calloc((size_t)nodes + 1, sizeof *l.cursor);
    l.done = nv_calloc((size_t)nodes + 1, 1);
    if (!rc && (!l.uf || !l.anc || !l.stack || !l.cursor || !l.done))
        rc = NV_ENOMEM;
    for (uint32_t i = 0; !rc && i < n; i++)
        lca[i] = NV_NONE;
    for (uint32_t x = 0; !rc && x < nodes; x++)
        l.uf[x] = l.anc[x] = x;
    for (uint32_t x = 0; !rc && x < nodes; x++)
        if (t->parent[x] == NV_NONE)
            lca_tree(&l, x);
    nv_free(l.coff);
    nv_free(l.kids);
    nv_free(l.qoff);
    nv_free(l.q);
    nv_free(l.uf);
    nv_free(l.anc);
    nv_free(l.stack);
    nv_free(l.cursor);
    nv_free(l.done);
    return rc ? nv_err_set(err, rc, "out of memory") : NV_OK;
}

enum nv_rc nv_bct_preorder(const struct nv_bct *t, uint32_t *pre,
                           struct nv_err *err)
{
    uint32_t nodes = nv_bct_nodes(t), *coff, *kids, clock = 0, top;
    uint32_t *stack = nv_calloc((size_t)nodes + 1, sizeof *stack);
    enum nv_rc rc = nv_bct_children(t, &coff, &kids, NULL);

    if (!rc && !stack)
        rc = NV_ENOMEM;
    for (uint32_t r = 0; !rc && r < nodes; r++) {
        if (t->parent[r] != NV_NONE)
            continue;
        stack[0] = r;
        for (top = 1; top;) {
            uint32_t x = stack[--top];
            pre[x] = clock++;
            /* children pushed last-first: taken in order */
            for (uint32_t i = coff[x + 1]; i > coff[x]; i--)
                stack[top++] = kids[i - 1];
        }
    }
    nv_free(coff);
    nv_free(kids);
    nv_free(stack);
    return rc ? nv_err_set(err, rc, "out of memory") : NV_OK;
}
