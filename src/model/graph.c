/*
 * graph.c - connected components by iterative depth-first search.
 */
#include "model/graph.h"

uint32_t nv_graph_components(const struct nv_graph *g,
                             const unsigned char *removed, uint32_t *comp,
                             uint32_t *stack)
{
    uint32_t ncomp = 0;

    for (uint32_t v = 0; v < g->n; v++)
        comp[v] = NV_NONE;
    for (uint32_t s = 0; s < g->n; s++) {
        uint32_t top = 0;
        if (comp[s] != NV_NONE || (removed && removed[s]))
            continue;
        comp[s] = ncomp;
        stack[top++] = s;
        while (top) {
            uint32_t v = stack[--top];
            for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++) {
                uint32_t w = g->adj[k];
                if (comp[w] == NV_NONE && !(removed && removed[w])) {
                    comp[w] = ncomp;
                    stack[top++] = w;
                }
            }
        }
        ncomp++;
    }
    return ncomp;
}
