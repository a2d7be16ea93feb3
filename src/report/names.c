/*
 * names.c - what a person reads instead of ids: sites by name, assets by
 * maker, model and place, flows by sector and the places they join,
 * vendor groups by the company or country behind them; and counts with
 * thousands separators.  Everything printed is escaped.
 */
#include "report/report_int.h"

#include <string.h>

void nv_report_count(FILE *out, uint64_t n)
{
    char d[32];
    int len = 0;

    do {
        if (len % 4 == 3)
            d[len++] = ',';
        d[len++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    while (len)
        fputc(d[--len], out);
}

uint32_t nv_report_end_site(const struct nv_model *m, const struct nv_ref *end)
{
    return NV_ASSETS(m)[end->idx].site.idx;
}

const char *nv_report_site_name(const struct nv_model *m, uint32_t s)
{
    const struct nv_site *site = &NV_SITES(m)[s];

    return site->name ? site->name : site->id;
}

/* The vendor as its maker calls itself: the entity's name, else the
 * string the inventory gave. */
static const char *maker(const struct nv_model *m, const struct nv_asset *a)
{
    if (a->entity != NV_NONE) {
        const struct nv_entity *e = &NV_ENTITIES(m)[a->entity];
        return e->name ? e->name : e->id;
    }
    return a->vendor ? a->vendor : "an unknown vendor";
}

void nv_report_asset(FILE *out, const struct nv_model *m, uint32_t a)
{
    const struct nv_asset *as = &NV_ASSETS(m)[a];

    nv_report_text(out, maker(m, as));
    nv_report_wrap(out, " ", as->model ? as->model : nv_layer_names[as->layer],
                   "");
    if (as->site.idx != NV_NONE)
        nv_report_wrap(out, " at ", nv_report_site_name(m, as->site.idx), "");
}

/* A flow end: its site's name, or the asset's id when it has no site. */
static void flow_end(FILE *out, const struct nv_model *m,
                     const struct nv_ref *end)
{
    uint32_t s = nv_report_end_site(m, end);

    nv_report_text(out, s == NV_NONE ? NV_ASSETS(m)[end->idx].id
                                     : nv_report_site_name(m, s));
}

void nv_report_flow(FILE *out, const struct nv_model *m, uint32_t f)
{
    const struct nv_flow *fl = &NV_FLOWS(m)[f];

    if (fl->sector)
        nv_report_wrap(out, "", fl->sector, ": ");
    flow_end(out, m, &fl->src);
    fputs(" to ", out);
    flow_end(out, m, &fl->dst);
}

void nv_report_group(FILE *out, const struct nv_model *m,
                     const struct nv_exposure *x, uint32_t g)
{
    const struct nv_group *gr = &x->groups.v[g];
    const char *colon = strchr(gr->id, ':');

    if (gr->kind == NV_GROUP_VENDOR && gr->entity != NV_NONE) {
        const struct nv_entity *e = &NV_ENTITIES(m)[gr->entity];
        nv_report_text(out, e->name ? e->name : e->id);
    } else if (gr->kind == NV_GROUP_COUNTRY) {
        nv_report_wrap(out, "the vendors of ", colon ? colon + 1 : gr->id, "");
    } else {
        nv_report_wrap(out, "all ", colon ? colon + 1 : gr->id, " vendors");
    }
}
