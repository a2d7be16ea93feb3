/*
 * marginview.h - vendor margins and choke points as `assess --margin`
 * shows them (margin.h, choke.h): per flow, in a summary of the flows by
 * margin, and the choke points ranked.
 */
#ifndef NV_MARGINVIEW_H
#define NV_MARGINVIEW_H

#include "exposure/choke.h"
#include "exposure/margin.h"

struct nv_jsonw;

struct nv_marginview {
    const struct nv_model *m;
    const struct nv_exposure *x;
    struct nv_margin *k[2]; /* per flow: vendor, country margins */
    struct nv_chokes chokes;
    uint32_t only;  /* the one flow shown (--flow), or NV_NONE */
    uint32_t limit; /* choke points listed in text (0: all) */
};

/* Work out margins and choke points of m (x its exposure); an exit code
 * after printing why not.  Release with nv_marginview_release. */
int nv_marginview_compute(struct nv_marginview *v, const struct nv_model *m,
                          const struct nv_exposure *x, int threads);
void nv_marginview_release(struct nv_marginview *v);

/* "        margin  vendor 2 (vendor:a, vendor:b), country 1 (...)" */
void nv_marginview_print_flow(const struct nv_marginview *v, uint32_t f);

/* The flows by margin and the choke points, for people. */
void nv_marginview_print_summary(const struct nv_marginview *v);

/* "margin": {"vendor": {...}, "country": {...}} as a member of flow f. */
void nv_marginview_json_flow(struct nv_jsonw *w, const struct nv_marginview *v,
                             uint32_t f);

/* "margin_summary" and "choke_points" as members of the top object. */
void nv_marginview_json_summary(struct nv_jsonw *w,
                                const struct nv_marginview *v);

#endif
