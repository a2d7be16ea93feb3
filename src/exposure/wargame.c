/*
 * wargame.c - a hostile supplier's reach, summed for people.
 */
#include "exposure/wargame.h"

#include "core/alloc.h"

#include <stdlib.h>
#include <string.h>

int nv_wargame_on_route(const struct nv_exposure *x, uint32_t f, uint32_t g)
{
    return nv_exposure_level(x, f, g) >= NV_LEVEL_ROUTED;
}

static const char *sector_of(const struct nv_flow *f)
{
    return f->sector ? f->sector : "(no sector)";
}

static int by_cell(const void *pa, const void *pb)
{
    const struct nv_wg_cell *a = pa, *b = pb;
    int c = strcmp(a->sector, b->sector);

    return c ? c : (int)b->cls - (int)a->cls;
}

static void count(struct nv_wg_cell *c, const struct nv_flow *f,
                  enum nv_level lv)
{
    c->flows++;
    c->read += lv >= NV_LEVEL_ROUTED && !f->encrypted;
    c->observe += lv >= NV_LEVEL_ROUTED && f->encrypted;
    c->cut += lv == NV_LEVEL_MUST;
    c->could += lv == NV_LEVEL_MAY;
}

/* The cell of flow f's sector and class, made if new. */
static struct nv_wg_cell *cell_of(struct nv_wargame *w, size_t *cap,
                                  const struct nv_flow *f)
{
    for (uint32_t i = 0; i < w->ncells; i++)
        if (w->cells[i].cls == f->classification &&
            strcmp(w->cells[i].sector, sector_of(f)) == 0)
            return &w->cells[i];
    if (nv_array_reserve(&w->cells, cap, (size_t)w->ncells + 1,
                         sizeof *w->cells))
        return NULL;
    memset(&w->cells[w->ncells], 0, sizeof *w->cells);
    w->cells[w->ncells].sector = sector_of(f);
    w->cells[w->ncells].cls = f->classification;
    return &w->cells[w->ncells++];
}

static enum nv_rc sum_flows(const struct nv_model *m,
                            const struct nv_exposure *x, struct nv_wargame *w)
{
    size_t cap = 0;

    for (uint32_t f = 0; f < x->nflows; f++) {
        const struct nv_flow *fl = &NV_FLOWS(m)[f];
        enum nv_level lv = nv_exposure_level(x, f, w->group);
        struct nv_wg_cell *c = cell_of(w, &cap, fl);
        if (!c)
            return NV_ENOMEM;
        count(c, fl, lv);
        count(&w->total, fl, lv);
    }
    if (w->ncells)
        qsort(w->cells, w->ncells, sizeof *w->cells, by_cell);
    return NV_OK;
}

static enum nv_rc dark_sites(const struct nv_model *m,
                             const struct nv_exposure *x, struct nv_wargame *w)
{
    return nv_groups_sole_sites(m, &x->groups, w->group, &w->dark_sites,
                                &w->ndark, &w->dark_population);
}

enum nv_rc nv_wargame_run(const struct nv_model *m, const struct nv_exposure *x,
                          uint32_t g, struct nv_wargame *w, struct nv_err *err)
{
    enum nv_rc rc;

    memset(w, 0, sizeof *w);
    w->group = g;
    w->total.sector = "all";
    rc = sum_flows(m, x, w);
    if (!rc)
        rc = dark_sites(m, x, w);
    if (rc) {
        nv_wargame_release(w);
        return nv_err_set(err, rc, "out of memory");
    }
    return NV_OK;
}

void nv_wargame_release(struct nv_wargame *w)
{
    nv_free(w->cells);
    nv_free(w->dark_sites);
    memset(w, 0, sizeof *w);
}
