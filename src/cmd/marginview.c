/*
 * marginview.c - vendor margins and choke points for `assess --margin`.
 */
#include "cmd/marginview.h"

#include "cmd/cli.h"
#include "core/alloc.h"
#include "core/json.h"

#include <stdio.h>
#include <string.h>

static const char *const kinds[] = {"vendor", "country"};

int nv_marginview_compute(struct nv_marginview *v, const struct nv_model *m,
                          const struct nv_exposure *x, int threads)
{
    struct nv_err err = {0};
    enum nv_rc rc = NV_OK;

    nv_err_clear(&err);
    v->m = m;
    v->x = x;
    for (int k = 0; k < 2 && !rc; k++) {
        v->k[k] = nv_calloc((size_t)x->nflows + 1, sizeof *v->k[k]);
        rc = v->k[k] ? nv_margin_compute(m, x,
                                         k ? NV_GROUP_COUNTRY : NV_GROUP_VENDOR,
                                         threads, v->k[k], &err)
                     : nv_err_set(&err, NV_ENOMEM, "out of memory");
    }
    rc = rc ? rc : nv_choke_compute(m, x, &v->chokes, &err);
    return rc ? nv_cli_fail(&err) : NV_EXIT_OK;
}

void nv_marginview_release(struct nv_marginview *v)
{
    nv_free(v->k[0]);
    nv_free(v->k[1]);
    nv_choke_release(&v->chokes);
}

static int shown(const struct nv_marginview *v, uint32_t f)
{
    return v->only == NV_NONE || v->only == f;
}

/* "2 (vendor:a, vendor:b)", "more than 3", "0 (ends not connected)" */
static void print_margin(const struct nv_marginview *v,
                         const struct nv_margin *mg)
{
    if (mg->k > NV_MARGIN_MAX) {
        printf("more than %d", NV_MARGIN_MAX);
        return;
    }
    printf("%d (", mg->k);
    if (!mg->k)
        printf("ends not connected");
    for (int i = 0; i < mg->k; i++)
        printf("%s%s", i ? ", " : "", v->x->groups.v[mg->witness[i]].id);
    putchar(')');
}

/* The groups of the kind that the flow's ends belong to. */
static uint32_t end_groups(const struct nv_marginview *v, uint32_t f, int k,
                           uint32_t *out, uint32_t room)
{
    const struct nv_groups *gs = &v->x->groups;
    const struct nv_flow *fl = &NV_FLOWS(v->m)[f];
    uint32_t ends[2] = {fl->src.idx, fl->dst.idx}, n = 0;
    enum nv_group_kind kind = k ? NV_GROUP_COUNTRY : NV_GROUP_VENDOR;

    for (int e = 0; e < 2; e++)
        for (uint32_t i = gs->off[ends[e]]; i < gs->off[ends[e] + 1]; i++) {
            uint32_t g = gs->grp[i], j = 0;
            while (j < n && out[j] != g)
                j++;
            if (gs->v[g].kind == kind && j == n && n < room)
                out[n++] = g;
        }
    return n;
}

void nv_marginview_print_flow(const struct nv_marginview *v, uint32_t f)
{
    uint32_t ends[16], n;

    printf("        %-7s ", "margin");
    for (int k = 0; k < 2; k++) {
        printf("%s%s ", k ? ", " : "", kinds[k]);
        print_margin(v, &v->k[k][f]);
    }
    n = end_groups(v, f, 0, ends, 16);
    n += end_groups(v, f, 1, ends + n, 16 - n);
    for (uint32_t i = 0; i < n; i++)
        printf("%s%s", i ? ", " : "; ends ", v->x->groups.v[ends[i]].id);
    putchar('\n');
}

/* Flows by margin of kind k: [0] not connected, [1..3], [4] more. */
static void count(const struct nv_marginview *v, int k,
                  uint32_t at[NV_MARGIN_MAX + 2])
{
    memset(at, 0, (NV_MARGIN_MAX + 2) * sizeof *at);
    for (uint32_t f = 0; f < v->x->nflows; f++)
        if (shown(v, f))
            at[v->k[k][f].k]++;
}

static void print_chokes(const struct nv_marginview *v)
{
    uint32_t n = v->limit && v->limit < v->chokes.n ? v->limit : v->chokes.n;

    printf("\nchoke points: assets that alone can cut flows, by the summed "
           "importance\nof those flows (%u assets)\n",
           v->chokes.n);
    for (uint32_t i = 0; i < n; i++) {
        const struct nv_chokes *c = &v->chokes;
        uint32_t first = c->off[i], nf = c->off[i + 1] - first;
        printf("  %3u. %-16s importance %-7g flows: ", i + 1,
               NV_ASSETS(v->m)[c->asset[i]].id, c->weight[i]);
        for (uint32_t j = 0; j < nf && j < 6; j++)
            printf("%s%s", j ? ", " : "",
                   NV_FLOWS(v->m)[c->flow[first + j]].id);
        if (nf > 6)
            printf(" and %u more", nf - 6);
        putchar('\n');
    }
}

void nv_marginview_print_summary(const struct nv_marginview *v)
{
    uint32_t at[NV_MARGIN_MAX + 2];

    printf("\nmargin: flows by the number of groups it takes to cut them\n"
           "(the flows' own ends aside)\n");
    for (int k = 0; k < 2; k++) {
        count(v, k, at);
        printf("  %-8s", kinds[k]);
        for (int i = 1; i <= NV_MARGIN_MAX; i++)
            printf("  %d: %-6u", i, at[i]);
        printf("  more than %d: %-6u not connected: %u\n", NV_MARGIN_MAX,
               at[NV_MARGIN_MAX + 1], at[0]);
    }
    print_chokes(v);
}

void nv_marginview_json_flow(struct nv_jsonw *w, const struct nv_marginview *v,
                             uint32_t f)
{
    uint32_t ends[16], n;

    nv_jsonw_key(w, "margin");
    nv_jsonw_obj(w);
    for (int k = 0; k < 2; k++) {
        const struct nv_margin *mg = &v->k[k][f];
        nv_jsonw_key(w, kinds[k]);
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "k");
        nv_jsonw_int(w, mg->k);
        if (mg->k > NV_MARGIN_MAX) {
            nv_jsonw_key(w, "more");
            nv_jsonw_bool(w, 1);
        }
        nv_jsonw_key(w, "witness");
        nv_jsonw_arr(w);
        for (int i = 0; i < mg->k && mg->k <= NV_MARGIN_MAX; i++)
            nv_jsonw_str(w, v->x->groups.v[mg->witness[i]].id);
        nv_jsonw_arr_end(w);
        nv_jsonw_key(w, "ends");
        nv_jsonw_arr(w);
        n = end_groups(v, f, k, ends, 16);
        for (uint32_t i = 0; i < n; i++)
            nv_jsonw_str(w, v->x->groups.v[ends[i]].id);
        nv_jsonw_arr_end(w);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_obj_end(w);
}

static void json_chokes(struct nv_jsonw *w, const struct nv_marginview *v)
{
    const struct nv_chokes *c = &v->chokes;

    nv_jsonw_key(w, "choke_points");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < c->n; i++) {
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "asset");
        nv_jsonw_str(w, NV_ASSETS(v->m)[c->asset[i]].id);
        nv_jsonw_key(w, "importance");
        nv_jsonw_num(w, c->weight[i]);
        nv_jsonw_key(w, "flows");
        nv_jsonw_arr(w);
        for (uint32_t j = c->off[i]; j < c->off[i + 1]; j++)
            nv_jsonw_str(w, NV_FLOWS(v->m)[c->flow[j]].id);
        nv_jsonw_arr_end(w);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
}

void nv_marginview_json_summary(struct nv_jsonw *w,
                                const struct nv_marginview *v)
{
    static const char *const names[] = {"not_connected", "1", "2", "3", "more"};
    uint32_t at[NV_MARGIN_MAX + 2];

    nv_jsonw_key(w, "margin_summary");
    nv_jsonw_obj(w);
    for (int k = 0; k < 2; k++) {
        count(v, k, at);
        nv_jsonw_key(w, kinds[k]);
        nv_jsonw_obj(w);
        for (int i = 0; i < NV_MARGIN_MAX + 2; i++) {
            nv_jsonw_key(w, names[i]);
            nv_jsonw_int(w, at[i]);
        }
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_obj_end(w);
    json_chokes(w, v);
}
