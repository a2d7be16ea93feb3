/*
 * graph.h - whole-graph algorithms over the model's CSR asset graph.
 */
#ifndef NV_GRAPH_H
#define NV_GRAPH_H

#include "model/model.h"

/*
 * Label the connected components of g: comp[v] is the component of v,
 * numbered from 0 in order of their smallest asset.  If removed is not
 * NULL, assets with removed[v] set are left out (comp[v] = NV_NONE).
 * Returns the number of components; comp has g->n entries, and stack is
 * scratch space of g->n entries.
 */
uint32_t nv_graph_components(const struct nv_graph *g,
                             const unsigned char *removed, uint32_t *comp,
                             uint32_t *stack);

#endif
