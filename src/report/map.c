/*
 * map.c - what makes the report's map readable: land, coastlines and
 * national borders from Natural Earth (data/land, compiled in: nothing is
 * fetched), labels of the model's largest places, numbered markers on the
 * sites where flows at risk end (keyed to a table that also works on
 * paper), a scale bar, and, at national scale, sites by grid cell and
 * flows by corridor instead of one mark each.
 *
 * Land lines far outside the map are clamped to a margin around it: the
 * clamped ring stays outside the visible part wherever the original was,
 * so what is drawn inside is unchanged and the file stays small.
 */
#include "report/report_int.h"

#include "core/alloc.h"
#include "exposure/score.h"
#include "exposure/wargame.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* KIND, N, lon, lat, dlon, dlat, ... in hundredths of a degree. */
static const int land[] = {
#include "data/land/ne_50m.inc"
};

#define LAND_RING 0
#define LAND_MARGIN 3.0 /* degrees kept around the map */
#define LABELS 12
#define KEY_MAX 40
#define CELL 12.0 /* pixels of a grid cell */
#define CORRIDORS 300

static const char css[] =
    "svg.map{background:#dceaf5}.land{fill:#f4f1e8;stroke:#7d98b3;"
    "stroke-width:.7}.border{fill:none;stroke:#8a8a8a;stroke-width:.8;"
    "stroke-dasharray:4 2}.place{font:bold 11px system-ui,sans-serif;"
    "fill:#333;paint-order:stroke;stroke:#fff;stroke-width:3px;"
    "stroke-linejoin:round}.key circle{fill:#fff;stroke:#222;stroke-width:1}"
    ".key text{font:bold 8px system-ui,sans-serif;text-anchor:middle;"
    "dominant-baseline:central}.scale line{stroke:#222;stroke-width:2}"
    ".scale text{font:10px system-ui,sans-serif}.cell{stroke:#333;"
    "stroke-width:.4}";

void nv_report_map_css(FILE *out)
{
    fprintf(out, "<style>%s</style>\n", css);
}

double nv_report_map_x(const struct map *p, double lon)
{
    return MAP_PAD + (lon - p->lon0) * p->k * p->scale;
}

double nv_report_map_y(const struct map *p, double lat)
{
    return MAP_PAD + (p->lat1 - lat) * p->scale;
}

/* ------------------------------------------------------------- land */

/* What the map shows, in degrees, with the margin around it. */
struct box {
    double lon0, lon1, lat0, lat1;
};

static struct box view(const struct map *p)
{
    struct box b;

    b.lon0 = p->lon0 - MAP_PAD / (p->k * p->scale) - LAND_MARGIN;
    b.lon1 = p->lon0 + (MAP_W - MAP_PAD) / (p->k * p->scale) + LAND_MARGIN;
    b.lat1 = p->lat1 + MAP_PAD / p->scale + LAND_MARGIN;
    b.lat0 = p->lat1 - (p->h - MAP_PAD) / p->scale - LAND_MARGIN;
    return b;
}

/* Whether record r (at land[i]) comes within the box. */
static int record_seen(size_t i, const struct box *b)
{
    int n = land[i + 1];
    double x = land[i + 2], y = land[i + 3];
    double x0 = x, x1 = x, y0 = y, y1 = y;

    for (int k = 1; k < n; k++) {
        x += land[i + 2 + 2 * k];
        y += land[i + 3 + 2 * k];
        x0 = fmin(x0, x);
        x1 = fmax(x1, x);
        y0 = fmin(y0, y);
        y1 = fmax(y1, y);
    }
    return x1 / 100 >= b->lon0 && x0 / 100 <= b->lon1 && y1 / 100 >= b->lat0 &&
           y0 / 100 <= b->lat1;
}

/* Record r as one subpath, clamped to the box, repeated points left out. */
static void record_path(FILE *out, size_t i, const struct map *p,
                        const struct box *b)
{
    int n = land[i + 1];
    double x = land[i + 2], y = land[i + 3];
    long px = -1, py = -1;

    for (int k = 0; k < n; k++) {
        double lon, lat;
        long qx, qy;
        if (k) {
            x += land[i + 2 + 2 * k];
            y += land[i + 3 + 2 * k];
        }
        lon = fmin(fmax(x / 100, b->lon0), b->lon1);
        lat = fmin(fmax(y / 100, b->lat0), b->lat1);
        qx = lround(nv_report_map_x(p, lon) * 10);
        qy = lround(nv_report_map_y(p, lat) * 10);
        if (k && qx == px && qy == py)
            continue;
        fprintf(out, "%s%.1f %.1f", k ? " " : "M", (double)qx / 10,
                (double)qy / 10);
        px = qx;
        py = qy;
    }
    if (land[i] == LAND_RING)
        fputc('Z', out);
}

static void land_kind(FILE *out, const struct map *p, const struct box *b,
                      int kind, const char *cls)
{
    const size_t len = sizeof land / sizeof land[0];

    fprintf(out, "<path class=\"%s\" fill-rule=\"evenodd\" d=\"", cls);
    for (size_t i = 0; i + 1 < len; i += 2 + 2 * (size_t)land[i + 1])
        if (land[i] == kind && record_seen(i, b))
            record_path(out, i, p, b);
    fputs("\"/>\n", out);
}

void nv_report_land(FILE *out, const struct map *p)
{
    struct box b = view(p);

    land_kind(out, p, &b, LAND_RING, "land");
    land_kind(out, p, &b, 1, "border");
}

/* ------------------------------------------------------------- scale */

void nv_report_scale_bar(FILE *out, const struct map *p)
{
    double km_px = 111.32 / p->scale, want = 150 * km_px, step = 1, len;
    double x = MAP_PAD + 8, y = p->h - MAP_PAD - 6;

    while (step * 10 <= want)
        step *= 10;
    len = want >= 5 * step ? 5 * step : want >= 2 * step ? 2 * step : step;
    fprintf(out,
            "<g class=\"scale\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
            "y2=\"%.1f\"/><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
            "y2=\"%.1f\"/><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
            "y2=\"%.1f\"/><text x=\"%.1f\" y=\"%.1f\">%g km</text></g>\n",
            x, y, x + len / km_px, y, x, y - 4, x, y, x + len / km_px, y - 4,
            x + len / km_px, y, x, y - 7, len);
}

/* ------------------------------------------------------------ labels */

static int placed(const struct nv_site *s)
{
    return isfinite(s->lat) && isfinite(s->lon);
}

/* A place of the model: a region (or a site without one), its people and
 * the middle of its sites. */
struct place {
    const char *name;
    double pop, lat, lon;
    uint32_t sites;
};

static const char *place_name(const struct nv_site *s)
{
    return s->region ? s->region : s->name ? s->name : s->id;
}

/* A site with coordinates under the name of its place, for sorting. */
struct named {
    const char *name;
    uint32_t site;
};

static int by_place(const void *pa, const void *pb)
{
    const struct named *a = pa, *b = pb;

    return strcmp(a->name, b->name);
}

static int by_people(const void *pa, const void *pb)
{
    const struct place *a = pa, *b = pb;

    if (a->pop != b->pop)
        return a->pop < b->pop ? 1 : -1;
    return a->sites < b->sites ? 1 : a->sites > b->sites ? -1 : 0;
}

/* The places of the model, most people first; *n of them. */
static struct place *places(const struct nv_model *m, uint32_t *n)
{
    uint32_t ns = NV_COUNT(m, NV_T_SITE), k = 0;
    struct named *idx = nv_malloc(((size_t)ns + 1) * sizeof *idx);
    struct place *pl = nv_calloc((size_t)ns + 1, sizeof *pl);

    *n = 0;
    if (!idx || !pl) {
        nv_free(idx);
        nv_free(pl);
        return NULL;
    }
    for (uint32_t i = 0; i < ns; i++)
        if (placed(&NV_SITES(m)[i]))
            idx[k++] = (struct named){place_name(&NV_SITES(m)[i]), i};
    qsort(idx, k, sizeof *idx, by_place);
    for (uint32_t i = 0; i < k; i++) {
        const struct nv_site *s = &NV_SITES(m)[idx[i].site];
        struct place *p = &pl[*n];
        if (p->sites && strcmp(p->name, place_name(s)) != 0)
            p = &pl[++*n];
        p->name = place_name(s);
        p->pop += s->population > 0 ? (double)s->population : 0;
        p->lat += s->lat;
        p->lon += s->lon;
        p->sites++;
    }
    *n += k > 0;
    nv_free(idx);
    qsort(pl, *n, sizeof *pl, by_people);
    return pl;
}

/* Label boxes already placed, so that labels do not overlap. */
struct taken {
    double x0[LABELS], y0[LABELS], x1[LABELS], y1[LABELS];
    int n;
};

static int free_box(struct taken *t, double x, double y, size_t len)
{
    double w = 6.5 * (double)len, x0 = x - w / 2, x1 = x + w / 2;

    for (int i = 0; i < t->n; i++)
        if (x0 < t->x1[i] && x1 > t->x0[i] && y - 12 < t->y1[i] &&
            y + 2 > t->y0[i])
            return 0;
    t->x0[t->n] = x0;
    t->x1[t->n] = x1;
    t->y0[t->n] = y - 12;
    t->y1[t->n++] = y + 2;
    return 1;
}

static void place_labels(const struct nv_rview *v, const struct place *pl,
                         uint32_t n)
{
    struct taken t = {{0}, {0}, {0}, {0}, 0};

    for (uint32_t i = 0; i < n && t.n < LABELS; i++) {
        double x = nv_report_map_x(v->map, pl[i].lon / pl[i].sites);
        double y = nv_report_map_y(v->map, pl[i].lat / pl[i].sites) - 8;
        if (!free_box(&t, x, y, strlen(pl[i].name)))
            continue;
        fprintf(v->out,
                "<text class=\"place\" x=\"%.1f\" y=\"%.1f\" "
                "text-anchor=\"middle\">",
                x, y);
        nv_report_text(v->out, pl[i].name);
        fputs("</text>\n", v->out);
    }
}

/* The sites where flows at risk end, in the order of their worst flow:
 * key[i] is the site numbered i + 1; *n of them, at most KEY_MAX. */
static uint32_t key_sites(const struct nv_rview *v, uint32_t *key)
{
    uint32_t n = 0;

    for (uint32_t i = 0; i < v->nrank && n < KEY_MAX; i++) {
        const struct nv_flow *f = &NV_FLOWS(v->m)[v->rank[i].flow];
        uint32_t ends[2] = {nv_report_end_site(v->m, &f->src),
                            nv_report_end_site(v->m, &f->dst)};
        for (int e = 0; e < 2 && n < KEY_MAX; e++) {
            uint32_t k = 0;
            if (ends[e] == NV_NONE || !placed(&NV_SITES(v->m)[ends[e]]))
                continue;
            while (k < n && key[k] != ends[e])
                k++;
            if (k == n)
                key[n++] = ends[e];
        }
    }
    return n;
}

static void key_marker(const struct nv_rview *v, uint32_t site, uint32_t no)
{
    const struct nv_site *s = &NV_SITES(v->m)[site];
    double x = nv_report_map_x(v->map, s->lon) + 7;
    double y = nv_report_map_y(v->map, s->lat) - 7;

    fputs("<g class=\"key\"><title>", v->out);
    nv_report_text(v->out, nv_report_site_name(v->m, site));
    nv_report_wrap(v->out, " (", s->id, ")</title>");
    fprintf(v->out,
            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\"/><text x=\"%.1f\" "
            "y=\"%.1f\">%u</text></g>\n",
            x, y, x, y, no);
}

enum nv_rc nv_report_labels(const struct nv_rview *v)
{
    uint32_t n, key[KEY_MAX];
    struct place *pl = places(v->m, &n);

    if (!pl)
        return NV_ENOMEM;
    place_labels(v, pl, n);
    nv_free(pl);
    n = key_sites(v, key);
    for (uint32_t i = 0; i < n; i++)
        key_marker(v, key[i], i + 1);
    return NV_OK;
}

/* ------------------------------------------------------- the site key */

static void key_row(const struct nv_rview *v, uint32_t site, uint32_t no)
{
    const struct nv_site *s = &NV_SITES(v->m)[site];
    uint32_t flows = 0, g;
    enum nv_level worst = NV_LEVEL_NONE;

    for (uint32_t i = 0; i < v->nrank; i++) {
        uint32_t f = v->rank[i].flow;
        const struct nv_flow *fl = &NV_FLOWS(v->m)[f];
        enum nv_level lv;
        if (nv_report_end_site(v->m, &fl->src) != site &&
            nv_report_end_site(v->m, &fl->dst) != site)
            continue;
        flows++;
        lv = nv_score_hostile_level(v->x, f, &g);
        worst = lv > worst ? lv : worst;
    }
    fprintf(v->out, "<tr><td class=\"num\">%u</td>", no);
    nv_report_wrap(v->out, "<td>", nv_report_site_name(v->m, site), "</td>");
    nv_report_wrap(v->out, "<td>", s->region ? s->region : "", "</td>");
    fprintf(v->out, "<td class=\"num\">%u</td><td>%s</td><td>%s</td>", flows,
            nv_level_names[worst], nv_report_mark_names[v->mark[site]]);
    nv_report_wrap(v->out, "<td><code>", s->id, "</code></td></tr>\n");
}

enum nv_rc nv_report_site_key(const struct nv_rview *v)
{
    uint32_t key[KEY_MAX], n = key_sites(v, key);

    if (!n)
        return NV_OK;
    fputs("<table class=\"sortable sitekey\"><thead><tr><th class=\"num\">"
          "no.</th><th>site (numbered on the map)</th><th>region</th>"
          "<th class=\"num\">flows at risk ending here</th><th>worst "
          "exposure</th><th>worst vendor here</th><th>id</th></tr></thead>"
          "<tbody>\n",
          v->out);
    for (uint32_t i = 0; i < n; i++)
        key_row(v, key[i], i + 1);
    fputs("</tbody></table>\n", v->out);
    return NV_OK;
}

/* ------------------------------------------------- the aggregated map */

struct grid {
    uint32_t cols, rows;
    uint32_t *sites;     /* per cell */
    unsigned char *mark; /* per cell: the worst of its sites */
};

/* A corridor: flows at risk between two cells. */
struct corridor {
    uint64_t key; /* lower cell << 32 | higher cell */
    uint32_t flows;
    unsigned char level, hit;
};

static uint32_t cell_of(const struct nv_rview *v, const struct grid *g,
                        uint32_t site)
{
    const struct nv_site *s = &NV_SITES(v->m)[site];
    double x = nv_report_map_x(v->map, s->lon) / CELL;
    double y = nv_report_map_y(v->map, s->lat) / CELL;
    uint32_t cx = x < 0 ? 0 : x >= g->cols ? g->cols - 1 : (uint32_t)x;
    uint32_t cy = y < 0 ? 0 : y >= g->rows ? g->rows - 1 : (uint32_t)y;

    return cy * g->cols + cx;
}

static void grid_cell(const struct nv_rview *v, const struct grid *g,
                      uint32_t c, uint32_t most)
{
    double side = CELL * (0.35 + 0.65 * sqrt((double)g->sites[c] / most));
    double x = (c % g->cols + 0.5) * CELL, y = (c / g->cols + 0.5) * CELL;

    fprintf(v->out,
            "<rect class=\"cell\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
            "height=\"%.1f\" fill=\"%s\"><title>",
            x - side / 2, y - side / 2, side, side,
            nv_report_mark_colour[g->mark[c]]);
    nv_report_count(v->out, g->sites[c]);
    fprintf(v->out, " sites; worst vendor: %s</title></rect>\n",
            nv_report_mark_names[g->mark[c]]);
}

static int by_key(const void *pa, const void *pb)
{
    const struct corridor *a = pa, *b = pb;

    return a->key < b->key ? -1 : a->key > b->key;
}

static int by_weight(const void *pa, const void *pb)
{
    const struct corridor *a = pa, *b = pb;

    if (a->level != b->level)
        return a->level < b->level ? 1 : -1;
    return a->flows < b->flows ? 1 : a->flows > b->flows ? -1 : 0;
}

/* The corridors of the flows at risk, merged; *n of them. */
static struct corridor *corridors(const struct nv_rview *v,
                                  const struct grid *g, uint32_t *n)
{
    struct corridor *c = nv_calloc((size_t)v->x->nflows + 1, sizeof *c);
    uint32_t k = 0, grp;

    *n = 0;
    if (!c)
        return NULL;
    for (uint32_t f = 0; f < v->x->nflows; f++) {
        const struct nv_flow *fl = &NV_FLOWS(v->m)[f];
        uint32_t a = nv_report_end_site(v->m, &fl->src);
        uint32_t b = nv_report_end_site(v->m, &fl->dst), ca, cb;
        enum nv_level lv = nv_score_hostile_level(v->x, f, &grp);
        if (lv == NV_LEVEL_NONE || a == NV_NONE || b == NV_NONE ||
            !placed(&NV_SITES(v->m)[a]) || !placed(&NV_SITES(v->m)[b]))
            continue;
        ca = cell_of(v, g, a);
        cb = cell_of(v, g, b);
        c[k++] = (struct corridor){
            (uint64_t)(ca < cb ? ca : cb) << 32 | (ca < cb ? cb : ca), 1,
            (unsigned char)lv,
            v->r->group != NV_NONE &&
                nv_wargame_on_route(v->x, f, v->r->group)};
    }
    qsort(c, k, sizeof *c, by_key);
    for (uint32_t i = 0; i < k; i++) {
        struct corridor *o = &c[*n ? *n - 1 : 0];
        if (*n && o->key == c[i].key) {
            o->flows++;
            o->level = c[i].level > o->level ? c[i].level : o->level;
            o->hit |= c[i].hit;
        } else {
            c[(*n)++] = c[i];
        }
    }
    qsort(c, *n, sizeof *c, by_weight);
    return c;
}

static void corridor_line(const struct nv_rview *v, const struct grid *g,
                          const struct corridor *c)
{
    uint32_t a = (uint32_t)(c->key >> 32), b = (uint32_t)c->key;

    if (a == b)
        return;
    fprintf(v->out,
            "<line class=\"flow%s\" data-level=\"%s\" x1=\"%.1f\" y1=\"%.1f\" "
            "x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" style=\"stroke-width:%.1f;"
            "opacity:.55\">"
            "<title>",
            c->hit ? " hit" : "", nv_level_names[c->level],
            (a % g->cols + 0.5) * CELL, (a / g->cols + 0.5) * CELL,
            (b % g->cols + 0.5) * CELL, (b / g->cols + 0.5) * CELL,
            nv_report_level_colour[c->level],
            0.6 + 1.5 * log10((double)c->flows));
    nv_report_count(v->out, c->flows);
    fprintf(v->out,
            " flows at risk in this corridor; worst: %s</title>"
            "</line>\n",
            nv_level_names[c->level]);
}

static enum nv_rc grid_draw(const struct nv_rview *v, struct grid *g)
{
    uint32_t most = 1, n;
    struct corridor *c;

    for (uint32_t s = 0; s < NV_COUNT(v->m, NV_T_SITE); s++) {
        uint32_t k;
        if (!placed(&NV_SITES(v->m)[s]))
            continue;
        k = cell_of(v, g, s);
        g->sites[k]++;
        g->mark[k] = v->mark[s] > g->mark[k] ? v->mark[s] : g->mark[k];
        most = g->sites[k] > most ? g->sites[k] : most;
    }
    c = corridors(v, g, &n);
    if (!c)
        return NV_ENOMEM;
    for (uint32_t i = n < CORRIDORS ? n : CORRIDORS; i-- > 0;)
        corridor_line(v, g, &c[i]);
    nv_free(c);
    for (uint32_t k = 0; k < g->cols * g->rows; k++)
        if (g->sites[k])
            grid_cell(v, g, k, most);
    return NV_OK;
}

enum nv_rc nv_report_map_grid(const struct nv_rview *v)
{
    struct grid g;
    enum nv_rc rc = NV_ENOMEM;

    g.cols = (uint32_t)ceil(MAP_W / CELL);
    g.rows = (uint32_t)ceil(v->map->h / CELL);
    g.sites = nv_calloc((size_t)g.cols * g.rows, sizeof *g.sites);
    g.mark = nv_calloc((size_t)g.cols * g.rows, 1);
    if (g.sites && g.mark)
        rc = grid_draw(v, &g);
    nv_free(g.sites);
    nv_free(g.mark);
    return rc;
}
