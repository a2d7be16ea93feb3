/*
 * bct.h - biconnected components and the block-cut forest.
 *
 * The blocks of an undirected graph are its maximal 2-connected pieces
 * (a bridge is a block of two vertices, an isolated vertex a block of
 * one); cut vertices join them.  The block-cut forest has a node per
 * block and per cut vertex, and an edge between a cut vertex and each
 * block containing it.  What exposure needs from it: a vertex v lies on
 * some simple s-t path exactly when v is in a block on the forest path
 * between s's node and t's node (s's node is its cut node if s is a cut
 * vertex, else its only block).
 */
#ifndef NV_BCT_H
#define NV_BCT_H

#include "model/model.h"

struct nv_bct {
    uint32_t nblocks, ncuts; /* nodes: blocks, then cut vertices */
    uint32_t *node;          /* vertex -> its forest node */
    uint32_t *parent;        /* node -> parent node, NV_NONE at roots */
    uint32_t *order;         /* nodes, every parent before its children */
    uint32_t *tree;          /* node -> the root of its tree */
    uint32_t *boff, *bvert;  /* block b has vertices bvert[boff[b]..] */
    uint32_t *coff, *cblk;   /* cut c (node nblocks + c) is in blocks
                                cblk[coff[c] .. coff[c + 1]) */
};

/* The blocks and block-cut forest of g (self-loops are ignored; parallel
 * links make a block of their two ends).  Vertices with skip[v] set (skip
 * may be NULL) are left out, with node[v] = NV_NONE.  Release with
 * nv_bct_release. */
enum nv_rc nv_bct_build(const struct nv_graph *g, const unsigned char *skip,
                        struct nv_bct *t, struct nv_err *err) NV_WUR;

void nv_bct_release(struct nv_bct *t);

/* The number of nodes of the forest. */
static inline uint32_t nv_bct_nodes(const struct nv_bct *t)
{
    return t->nblocks + t->ncuts;
}

/*
 * Lowest common ancestors of n node pairs (a[i], b[i]) in the forest,
 * answered together (Tarjan's offline method): lca[i] is NV_NONE when the
 * two are in different trees.
 */
enum nv_rc nv_bct_lca(const struct nv_bct *t, const uint32_t *a,
                      const uint32_t *b, uint32_t n, uint32_t *lca,
                      struct nv_err *err) NV_WUR;

/* The children of every node in CSR form: node x's are kids[coff[x] ..
 * coff[x + 1]), in the order nv_bct_preorder numbers them.  Free both
 * with nv_free (both NULL on failure). */
enum nv_rc nv_bct_children(const struct nv_bct *t, uint32_t **coff,
                           uint32_t **kids, struct nv_err *err) NV_WUR;

/* Depth-first preorder numbers of the forest's nodes into pre (one per
 * node): the LCA of a set of nodes of one tree is the LCA of the two with
 * the smallest and largest numbers. */
enum nv_rc nv_bct_preorder(const struct nv_bct *t, uint32_t *pre,
                           struct nv_err *err) NV_WUR;

#endif
