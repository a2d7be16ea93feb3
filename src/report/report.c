/*
 * report.c - the HTML report, written straight to a stream.
 *
 * Every text from the model or the policy goes through text(), which
 * escapes it; the only markup is ours.  The map projects longitude and
 * latitude equirectangularly, scaled by the cosine of the middle latitude,
 * and draws exactly one circle of class "site" per site with coordinates.
 */
#include "report/report.h"

#include "core/alloc.h"
#include "exposure/concentration.h"
#include "policy/release.h"
#include "exposure/score.h"
#include "core/version.h"
#include "exposure/wargame.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAP_W 900.0
#define MAP_MAX_H 900.0
#define MAP_PAD 16.0
#define TOP_CONTRIBUTORS 5

/* What a site holds, worst last: the colour of its mark on the map. */
enum mark {
    MARK_EMPTY,
    MARK_TRUSTED,
    MARK_STANDARD,
    MARK_UNRESOLVED,
    MARK_HIGH_RISK,
    MARK_PROHIBITED,
    MARK_COUNT
};

static const char *const mark_colour[MARK_COUNT] = {
    "#ffffff", "#2e7d32", "#9e9e9e", "#7b1fa2", "#ef6c00", "#c62828"};
static const char *const mark_names[MARK_COUNT] = {
    "no equipment", "trusted",   "standard",
    "unresolved",   "high-risk", "prohibited"};
static const enum mark desig_mark[NV_DESIG_COUNT] = {
    MARK_TRUSTED, MARK_STANDARD, MARK_HIGH_RISK, MARK_PROHIBITED};
static const char *const level_colour[NV_LEVEL_COUNT] = {"#bdbdbd", "#fbc02d",
                                                         "#ef6c00", "#c62828"};

/* Vendor colours in the share bars: cool for trusted and standard
 * vendors, warm for high-risk and prohibited ones. */
static const char *const cool[] = {"#1565c0", "#00897b", "#5c6bc0", "#43a047",
                                   "#0097a7", "#7cb342", "#3949ab", "#26a69a"};
static const char *const warm[] = {"#c62828", "#ef6c00", "#ad1457",
                                   "#f9a825", "#d84315", "#8e24aa"};

/* The blast radius of the chosen group, per site. */
enum ring { RING_NONE, RING_REACH, RING_DARK };

/* A flow at risk and the group that gives its score. */
struct ranked {
    double score;
    uint32_t flow, group;
};

/* The map's projection of the sites that have coordinates. */
struct map {
    uint32_t n; /* sites with coordinates */
    double lon0, lat1, k, scale, h;
};

struct ctx {
    const struct nv_report *r;
    const struct nv_model *m;
    const struct nv_exposure *x;
    FILE *out;
    struct ranked *rank; /* flows at risk, highest score first */
    uint32_t nrank;
    unsigned char *mark;   /* per site: enum mark */
    unsigned char *ring;   /* per site: enum ring */
    unsigned char *vendor; /* per entity: appears in a national share */
    struct nv_concentration c;
    struct nv_wargame w; /* when r->group is a group */
    struct map map;
};

/* Text escaped for HTML, in content and in quoted attributes alike. */
static void text(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            fputc(*s, out);
        }
    }
}

/* open, then s escaped, then close (both ours). */
static void wrap(FILE *out, const char *open, const char *s, const char *close)
{
    fputs(open, out);
    text(out, s);
    fputs(close, out);
}

static const char style[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;"
    "max-width:1100px}h1{font-size:1.6em}"
    "h2{margin-top:1.6em;border-bottom:1px solid #ccc}"
    "nav a{margin-right:1em}.meta{color:#555}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "th,td{border:1px solid #ddd;padding:3px 8px;text-align:left}"
    "th{background:#f3f3f3}table.sortable th{cursor:pointer}"
    "th.asc::after{content:' \\25B2'}th.desc::after{content:' \\25BC'}"
    "td.num,th.num{text-align:right}.verdict{padding:.6em;"
    "background:#fff3e0;border-left:4px solid #ef6c00}"
    ".verdict.ok{background:#e8f5e9;border-left-color:#2e7d32}"
    "svg.map{border:1px solid #ddd;background:#f7fbff;max-width:100%;"
    "height:auto}.flow{stroke-width:1.5;opacity:.8}.flow.faded{opacity:.15}"
    ".flow.hit{stroke-width:3;opacity:1}.site{stroke:#333;stroke-width:.6}"
    ".ring{fill:none;stroke:#000;stroke-width:1.5;stroke-dasharray:3 2}"
    ".ring.dark{stroke:#b71c1c;stroke-width:3;stroke-dasharray:none}"
    ".legend span{display:inline-block;width:12px;height:12px;"
    "margin:0 4px 0 12px;vertical-align:middle;border:1px solid #999}"
    ".bar{display:flex;width:420px;height:16px;background:#eee}"
    ".bar span{display:block;height:100%;overflow:hidden;font-size:10px;"
    "color:#fff;white-space:nowrap}td.d0{background:#e8f5e9}"
    "td.d1{background:#fff8e1}td.d2{background:#ffebee}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "@media print{body{margin:0;font-size:9pt;max-width:none}nav{display:none}"
    "table.sortable th{cursor:auto}th.asc::after,th.desc::after{content:''}"
    "h2{break-after:avoid}tr,svg,.bar{break-inside:avoid}"
    "svg.map{width:100%}}";

/* Click a header to sort its table by that column (numerically when the
 * header is of class num); click again to reverse. */
static const char script[] =
    "document.querySelectorAll('table.sortable th').forEach(function(th){"
    "th.addEventListener('click',function(){var t=th.closest('table'),"
    "b=t.tBodies[0],i=th.cellIndex,num=th.classList.contains('num'),"
    "d=th.classList.contains('asc')?-1:1,r=Array.from(b.rows);"
    "r.sort(function(x,y){var a=x.cells[i].textContent,c=y.cells[i]"
    ".textContent;return d*(num?(parseFloat(a)||0)-(parseFloat(c)||0):"
    "a.localeCompare(c))});r.forEach(function(x){b.appendChild(x)});"
    "t.querySelectorAll('th').forEach(function(h){h.classList.remove("
    "'asc','desc')});th.classList.add(d===1?'asc':'desc')})})";

/* ---------------------------------------------------------------- tables */

/* A sortable table's head; a column whose name starts with '#' is
 * numeric (the '#' is not shown). */
static void table_head(FILE *out, const char *const *cols, int n)
{
    fputs("<table class=\"sortable\"><thead><tr>", out);
    for (int i = 0; i < n; i++)
        fprintf(out, "<th%s>%s</th>", cols[i][0] == '#' ? " class=\"num\"" : "",
                cols[i] + (cols[i][0] == '#'));
    fputs("</tr></thead><tbody>\n", out);
}

static void table_end(FILE *out)
{
    fputs("</tbody></table>\n", out);
}

static void cell(FILE *out, const char *s)
{
    wrap(out, "<td>", s, "</td>");
}

static void num_cell(FILE *out, double v, int decimals)
{
    fprintf(out, "<td class=\"num\">%.*f</td>", decimals, v);
}

/* ----------------------------------------------------------- the ranking */

static int by_score(const void *pa, const void *pb)
{
    const struct ranked *a = pa, *b = pb;

    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    return a->flow < b->flow ? -1 : a->flow > b->flow;
}

static enum nv_rc rank_flows(struct ctx *c)
{
    c->rank = nv_calloc((size_t)c->x->nflows + 1, sizeof *c->rank);
    if (!c->rank)
        return NV_ENOMEM;
    for (uint32_t f = 0; f < c->x->nflows; f++) {
        struct ranked *r = &c->rank[c->nrank];
        r->score = nv_score_flow(c->m, c->x, f, NULL, &r->group);
        r->flow = f;
        c->nrank += r->group != NV_NONE;
    }
    qsort(c->rank, c->nrank, sizeof *c->rank, by_score);
    return NV_OK;
}

/* ------------------------------------------------------------- the sites */

static enum mark asset_mark(const struct nv_model *m, const struct nv_asset *a)
{
    if (a->entity == NV_NONE)
        return MARK_UNRESOLVED;
    return desig_mark[nv_model_designation(m, a->entity)];
}

static uint32_t flow_site(const struct nv_model *m, const struct nv_ref *end)
{
    return NV_ASSETS(m)[end->idx].site.idx;
}

static void ring_flow_ends(struct ctx *c, uint32_t f)
{
    uint32_t ends[2] = {flow_site(c->m, &NV_FLOWS(c->m)[f].src),
                        flow_site(c->m, &NV_FLOWS(c->m)[f].dst)};

    for (int i = 0; i < 2; i++)
        if (ends[i] != NV_NONE && c->ring[ends[i]] == RING_NONE)
            c->ring[ends[i]] = RING_REACH;
}

/* Each site's mark, and its ring when a group is played. */
static enum nv_rc mark_sites(struct ctx *c)
{
    uint32_t ns = NV_COUNT(c->m, NV_T_SITE);

    c->mark = nv_calloc((size_t)ns + 1, 1);
    c->ring = nv_calloc((size_t)ns + 1, 1);
    if (!c->mark || !c->ring)
        return NV_ENOMEM;
    for (uint32_t a = 0; a < NV_COUNT(c->m, NV_T_ASSET); a++) {
        const struct nv_asset *as = &NV_ASSETS(c->m)[a];
        enum mark k = asset_mark(c->m, as);
        if (as->site.idx != NV_NONE && k > c->mark[as->site.idx])
            c->mark[as->site.idx] = (unsigned char)k;
    }
    if (c->r->group == NV_NONE)
        return NV_OK;
    for (uint32_t i = 0; i < c->w.ndark; i++)
        c->ring[c->w.dark_sites[i]] = RING_DARK;
    for (uint32_t f = 0; f < c->x->nflows; f++)
        if (nv_wargame_on_route(c->x, f, c->r->group))
            ring_flow_ends(c, f);
    return NV_OK;
}

static int placed(const struct nv_site *s)
{
    return isfinite(s->lat) && isfinite(s->lon);
}

/* The bounding box of the sites with coordinates, and the scale that
 * fits it in the map. */
static void project(struct ctx *c)
{
    double lon1 = -INFINITY, lat0 = INFINITY, w, h;
    struct map *p = &c->map;

    p->lon0 = INFINITY;
    p->lat1 = -INFINITY;
    for (uint32_t i = 0; i < NV_COUNT(c->m, NV_T_SITE); i++) {
        const struct nv_site *s = &NV_SITES(c->m)[i];
        if (!placed(s))
            continue;
        p->n++;
        p->lon0 = fmin(p->lon0, s->lon);
        lon1 = fmax(lon1, s->lon);
        lat0 = fmin(lat0, s->lat);
        p->lat1 = fmax(p->lat1, s->lat);
    }
    p->k = cos((lat0 + p->lat1) / 2 * M_PI / 180);
    w = (lon1 - p->lon0) * p->k;
    h = p->lat1 - lat0;
    p->scale = fmin(w > 0 ? (MAP_W - 2 * MAP_PAD) / w : INFINITY,
                    h > 0 ? (MAP_MAX_H - 2 * MAP_PAD) / h : INFINITY);
    if (!isfinite(p->scale))
        p->scale = 1;
    p->h = h * p->scale + 2 * MAP_PAD;
}

static double map_x(const struct map *p, const struct nv_site *s)
{
    return MAP_PAD + (s->lon - p->lon0) * p->k * p->scale;
}

static double map_y(const struct map *p, const struct nv_site *s)
{
    return MAP_PAD + (p->lat1 - s->lat) * p->scale;
}

/* -------------------------------------------------------------- the map */

static void map_flow(const struct ctx *c, uint32_t f)
{
    const struct nv_flow *fl = &NV_FLOWS(c->m)[f];
    uint32_t a = flow_site(c->m, &fl->src), b = flow_site(c->m, &fl->dst), g;
    enum nv_level lv = nv_score_hostile_level(c->x, f, &g);
    const struct nv_site *s, *t;
    const char *cls = "flow";

    if (a == NV_NONE || b == NV_NONE || a == b)
        return;
    s = &NV_SITES(c->m)[a];
    t = &NV_SITES(c->m)[b];
    if (!placed(s) || !placed(t))
        return;
    if (c->r->group != NV_NONE)
        cls = nv_wargame_on_route(c->x, f, c->r->group) ? "flow hit"
                                                        : "flow faded";
    fprintf(c->out,
            "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
            "y2=\"%.1f\" stroke=\"%s\"><title>",
            cls, map_x(&c->map, s), map_y(&c->map, s), map_x(&c->map, t),
            map_y(&c->map, t), level_colour[lv]);
    text(c->out, fl->id);
    fprintf(c->out, ": %s", nv_level_names[lv]);
    if (g != NV_NONE)
        wrap(c->out, " (", c->x->groups.v[g].id, ")");
    fputs("</title></line>\n", c->out);
}

static void map_ring(const struct ctx *c, uint32_t i)
{
    const struct nv_site *s = &NV_SITES(c->m)[i];

    fprintf(c->out,
            "<circle class=\"ring%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"7\"/>\n",
            c->ring[i] == RING_DARK ? " dark" : "", map_x(&c->map, s),
            map_y(&c->map, s));
}

static void map_site(const struct ctx *c, uint32_t i)
{
    const struct nv_site *s = &NV_SITES(c->m)[i];

    fprintf(c->out,
            "<circle class=\"site\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" "
            "fill=\"%s\"><title>",
            map_x(&c->map, s), map_y(&c->map, s), mark_colour[c->mark[i]]);
    text(c->out, s->id);
    if (s->name)
        wrap(c->out, ": ", s->name, "");
    if (s->region)
        wrap(c->out, " (", s->region, ")");
    fprintf(c->out, "; worst vendor: %s%s</title></circle>\n",
            mark_names[c->mark[i]],
            c->ring[i] == RING_DARK ? "; runs only on the group's equipment"
            : c->ring[i]            ? "; a flow the group is on ends here"
                                    : "");
}

static void swatch(FILE *out, const char *colour, const char *what)
{
    fprintf(out, "<span style=\"background:%s\"></span>%s", colour, what);
}

static void map_legend(const struct ctx *c)
{
    fputs("<p class=\"legend\">Sites, by their worst vendor:", c->out);
    for (int k = 0; k < MARK_COUNT; k++)
        swatch(c->out, mark_colour[k], mark_names[k]);
    fputs("<br>Flows, by their worst exposure to a high-risk or prohibited "
          "group:",
          c->out);
    for (int lv = 0; lv < NV_LEVEL_COUNT; lv++)
        swatch(c->out, level_colour[lv], nv_level_names[lv]);
    if (c->r->group != NV_NONE)
        fputs("<br>Blast radius: thick lines are flows the group is on "
              "(it reads or observes them); a red ring marks a site that "
              "runs only on its equipment, a dashed ring a site where such "
              "a flow ends.",
              c->out);
    fputs("</p>\n", c->out);
}

static void blast_summary(const struct ctx *c)
{
    const struct nv_wg_cell *t = &c->w.total;

    wrap(c->out, "<p class=\"verdict\">If <b>", c->x->groups.v[c->r->group].id,
         "</b>");
    fprintf(c->out,
            " (%s) turned hostile, it could read %u of %u critical flows, "
            "see the metadata of %u encrypted ones and cut %u on its own; "
            "%u sites serving %lld people run only on its equipment.</p>\n",
            nv_designation_names[c->x->groups.v[c->r->group].designation],
            t->read, t->flows, t->observe, t->cut, c->w.ndark,
            (long long)c->w.dark_population);
}

static void map_section(const struct ctx *c)
{
    uint32_t ns = NV_COUNT(c->m, NV_T_SITE);

    fputs("<h2 id=\"map\">Map of the sites</h2>\n", c->out);
    if (c->r->group != NV_NONE)
        blast_summary(c);
    if (!c->map.n) {
        fputs("<p>No site has coordinates: there is nothing to draw.</p>\n",
              c->out);
        return;
    }
    fprintf(c->out,
            "<svg class=\"map\" "
            "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
            "role=\"img\"><title>%u of %u sites</title>\n",
            MAP_W, c->map.h, MAP_W, c->map.h, c->map.n, ns);
    for (uint32_t f = 0; f < c->x->nflows; f++)
        map_flow(c, f);
    for (uint32_t i = 0; i < ns; i++)
        if (c->ring[i] && placed(&NV_SITES(c->m)[i]))
            map_ring(c, i);
    for (uint32_t i = 0; i < ns; i++)
        if (placed(&NV_SITES(c->m)[i]))
            map_site(c, i);
    fputs("</svg>\n", c->out);
    map_legend(c);
}

/* ------------------------------------------------------------ the score */

static void score_section(const struct ctx *c)
{
    double layers = nv_score_layers(c->m), flows = 0, top;

    for (uint32_t i = 0; i < c->nrank; i++)
        flows += c->rank[i].score;
    fprintf(c->out,
            "<h2 id=\"score\">Risk score</h2>\n<p><b>%.1f</b> for the "
            "network: %.1f from the critical flows and %.1f from the "
            "high-risk share of the layers.</p>\n",
            layers + flows, flows, layers);
    if (!c->nrank)
        return;
    top = c->rank[0].score;
    fputs("<table><thead><tr><th>top contributor</th><th class=\"num\">"
          "score</th><th>group</th><th></th></tr></thead><tbody>\n",
          c->out);
    for (uint32_t i = 0; i < c->nrank && i < TOP_CONTRIBUTORS; i++) {
        const struct ranked *r = &c->rank[i];
        fputs("<tr>", c->out);
        cell(c->out, NV_FLOWS(c->m)[r->flow].id);
        num_cell(c->out, r->score, 1);
        cell(c->out, c->x->groups.v[r->group].id);
        fprintf(c->out,
                "<td><div class=\"bar\"><span style=\"width:%.1f%%;"
                "background:%s\"></span></div></td></tr>\n",
                top > 0 ? 100 * r->score / top : 0,
                level_colour[nv_exposure_level(c->x, r->flow, r->group)]);
    }
    fputs("</tbody></table>\n", c->out);
}

/* --------------------------------------------------------- vendor shares */

static const char *vendor_id(const struct nv_model *m, uint32_t e)
{
    return e == NV_NONE ? "(unresolved)" : NV_ENTITIES(m)[e].id;
}

static const char *vendor_colour(const struct nv_model *m, uint32_t e)
{
    if (e == NV_NONE)
        return mark_colour[MARK_UNRESOLVED];
    if (nv_model_designation(m, e) >= NV_DESIG_HIGH_RISK)
        return warm[e % (sizeof warm / sizeof warm[0])];
    return cool[e % (sizeof cool / sizeof cool[0])];
}

/* A stacked bar of an area's vendor shares; wide parts are labelled. */
static void share_bar(const struct ctx *c, const struct nv_area *a)
{
    fputs("<td><div class=\"bar\">", c->out);
    for (uint32_t i = 0; i < a->nshares; i++) {
        const struct nv_share *s = &a->shares[i];
        double pc = a->assets ? 100.0 * s->assets / a->assets : 0;
        fprintf(c->out, "<span style=\"width:%.2f%%;background:%s\" title=\"",
                pc, vendor_colour(c->m, s->entity));
        text(c->out, vendor_id(c->m, s->entity));
        fprintf(c->out, " %.0f%%\">", pc);
        if (pc >= 15)
            text(c->out, vendor_id(c->m, s->entity));
        fputs("</span>", c->out);
    }
    fputs("</div></td>", c->out);
}

static void area_row(const struct ctx *c, const struct nv_area *a, int regional)
{
    fputs("<tr>", c->out);
    if (regional)
        cell(c->out, a->region);
    cell(c->out, nv_layer_names[a->layer]);
    num_cell(c->out, a->assets, 0);
    num_cell(c->out, a->hhi, 0);
    share_bar(c, a);
    fputs("</tr>\n", c->out);
}

/* The vendors of the national shares, with their colours. */
static void vendor_legend(const struct ctx *c)
{
    fputs("<p class=\"legend\">Vendors:", c->out);
    for (uint32_t e = 0; e <= NV_COUNT(c->m, NV_T_ENTITY); e++) {
        uint32_t id = e < NV_COUNT(c->m, NV_T_ENTITY) ? e : NV_NONE;
        if (!c->vendor[e])
            continue;
        swatch(c->out, vendor_colour(c->m, id), "");
        text(c->out, vendor_id(c->m, id));
        if (id != NV_NONE)
            fprintf(c->out, " (%s)",
                    nv_designation_names[nv_model_designation(c->m, id)]);
    }
    fputs("</p>\n", c->out);
}

static int has_regions(const struct nv_concentration *cn)
{
    for (uint32_t i = 0; i < cn->nareas; i++)
        if (strcmp(cn->areas[i].region, "(no region)") != 0)
            return 1;
    return 0;
}

static void shares_section(const struct ctx *c)
{
    static const char *const national[] = {"layer", "#assets", "#HHI",
                                           "vendor shares"};
    static const char *const regional[] = {"region", "layer", "#assets", "#HHI",
                                           "vendor shares"};

    fputs("<h2 id=\"shares\">Vendor shares</h2>\n<p>Share of each layer's "
          "assets by vendor (subsidiaries count for their parent), with the "
          "Herfindahl-Hirschman index: 10,000 when one vendor holds "
          "everything, above 2,500 highly concentrated.</p>\n",
          c->out);
    table_head(c->out, national, 4);
    for (uint32_t i = 0; i < c->c.nnational; i++)
        area_row(c, &c->c.national[i], 0);
    table_end(c->out);
    vendor_legend(c);
    if (!has_regions(&c->c))
        return;
    fprintf(c->out,
            "<h3>By region</h3>\n<p>%u of %u areas (a layer in a region) "
            "are served by a single vendor.</p>\n",
            c->c.single_vendor, c->c.nareas);
    table_head(c->out, regional, 5);
    for (uint32_t i = 0; i < c->c.nareas; i++)
        area_row(c, &c->c.areas[i], 1);
    table_end(c->out);
}

/* Which vendors the legend names: those with a national share. */
static enum nv_rc mark_vendors(struct ctx *c)
{
    uint32_t ne = NV_COUNT(c->m, NV_T_ENTITY);

    c->vendor = nv_calloc((size_t)ne + 1, 1);
    if (!c->vendor)
        return NV_ENOMEM;
    for (uint32_t i = 0; i < c->c.nnational; i++)
        for (uint32_t k = 0; k < c->c.national[i].nshares; k++) {
            uint32_t e = c->c.national[i].shares[k].entity;
            c->vendor[e == NV_NONE ? ne : e] = 1;
        }
    return NV_OK;
}

/* --------------------------------------------------------- flows at risk */

static const char *site_of(const struct ctx *c, const struct nv_ref *end)
{
    uint32_t s = flow_site(c->m, end);

    return s == NV_NONE ? NV_ASSETS(c->m)[end->idx].id : NV_SITES(c->m)[s].id;
}

static void flow_row(const struct ctx *c, uint32_t i)
{
    const struct ranked *r = &c->rank[i];
    const struct nv_flow *f = &NV_FLOWS(c->m)[r->flow];

    fprintf(c->out, "<tr><td class=\"num\">%u</td>", i + 1);
    cell(c->out, f->id);
    cell(c->out, f->sector ? f->sector : "");
    cell(c->out, nv_class_names[f->classification]);
    cell(c->out, site_of(c, &f->src));
    cell(c->out, site_of(c, &f->dst));
    num_cell(c->out, r->score, 2);
    cell(c->out, c->x->groups.v[r->group].id);
    cell(c->out, nv_level_names[nv_exposure_level(c->x, r->flow, r->group)]);
    cell(c->out, f->encrypted ? "yes" : "no");
    fputs("</tr>\n", c->out);
}

static void flows_section(const struct ctx *c)
{
    static const char *const cols[] = {
        "#rank", "flow",   "sector",      "class", "from",
        "to",    "#score", "worst group", "level", "encrypted"};

    fprintf(c->out,
            "<h2 id=\"flows\">Flows at risk</h2>\n<p>%u of %u critical flows "
            "are reached by some vendor group; ranked by score (importance "
            "x classification x exposure x designation).  Click a column "
            "to sort.</p>\n",
            c->nrank, c->x->nflows);
    table_head(c->out, cols, 10);
    for (uint32_t i = 0; i < c->nrank; i++)
        flow_row(c, i);
    table_end(c->out);
}

/* ------------------------------------------------ violations and release */

static void violations_section(const struct ctx *c)
{
    static const char *const cols[] = {"rule", "severity", "rule says", "item",
                                       "why"};
    const struct nv_report *r = c->r;

    wrap(c->out, "<h2 id=\"violations\">Policy violations</h2>\n<p>Checked on ",
         r->date, "");
    fprintf(c->out, ": %u rules, %u violations.</p>\n", nv_policy_rules(r->p),
            r->nv);
    if (!r->nv)
        return;
    table_head(c->out, cols, 5);
    for (uint32_t i = 0; i < r->nv; i++) {
        struct nv_rule_info ri;
        nv_policy_rule(r->p, r->v[i].rule, &ri);
        fputs("<tr>", c->out);
        cell(c->out, ri.id);
        cell(c->out, ri.severity == NV_SEV_ERROR ? "error" : "warning");
        cell(c->out, ri.message);
        cell(c->out, nv_violation_item(c->m, &r->v[i]));
        cell(c->out, r->v[i].why);
        fputs("</tr>\n", c->out);
    }
    table_end(c->out);
}

static void release_row(const struct ctx *c, const struct nv_partner *pa,
                        uint32_t f)
{
    uint32_t g;
    enum nv_level lv = nv_score_hostile_level(c->x, f, &g);

    fputs("<tr>", c->out);
    cell(c->out, pa->id);
    cell(c->out, NV_FLOWS(c->m)[f].id);
    for (int k = 0; k < NV_CLASS_COUNT; k++) {
        struct nv_release_cell rc;
        nv_release_decide(c->m, c->x, c->r->p, f, (enum nv_class)k, &rc);
        fprintf(c->out, "<td class=\"d%d\" title=\"", (int)rc.d);
        text(c->out, rc.why);
        fprintf(c->out, "\">%s</td>", nv_release_names[rc.d]);
    }
    if (g == NV_NONE) {
        cell(c->out, "none");
    } else {
        wrap(c->out, "<td>", c->x->groups.v[g].id, "");
        fprintf(c->out, " at %s</td>", nv_level_names[lv]);
    }
    fputs("</tr>\n", c->out);
}

static void release_section(const struct ctx *c)
{
    static const char *const cols[] = {"partner", "channel", "worst exposure"};

    fputs("<h2 id=\"release\">Release matrix</h2>\n<p>What may be shared "
          "with each partner over each channel, by classification (hover a "
          "cell for why).</p>\n<table class=\"sortable\"><thead><tr>",
          c->out);
    fprintf(c->out, "<th>%s</th><th>%s</th>", cols[0], cols[1]);
    for (int k = 0; k < NV_CLASS_COUNT; k++)
        fprintf(c->out, "<th>%s</th>", nv_class_names[k]);
    fprintf(c->out, "<th>%s</th></tr></thead><tbody>\n", cols[2]);
    for (uint32_t p = 0; p < NV_COUNT(c->m, NV_T_PARTNER); p++) {
        const struct nv_partner *pa = &NV_PARTNERS(c->m)[p];
        for (uint32_t k = 0; k < pa->channels.n; k++)
            release_row(c, pa, pa->channels.v[k].idx);
    }
    table_end(c->out);
}

/* -------------------------------------------------- recommended actions */

static void action_row(const struct ctx *c, const struct nv_plan_step *s,
                       const char *when)
{
    const struct nv_asset *a = &NV_ASSETS(c->m)[s->asset];
    uint32_t site = a->site.idx;

    fputs("<tr>", c->out);
    cell(c->out, when);
    cell(c->out, a->id);
    cell(c->out, nv_layer_names[a->layer]);
    cell(c->out, site == NV_NONE ? "" : NV_SITES(c->m)[site].id);
    cell(c->out, a->entity == NV_NONE ? "" : NV_ENTITIES(c->m)[a->entity].id);
    cell(c->out, NV_ENTITIES(c->m)[s->vendor].id);
    num_cell(c->out, s->cost, 0);
    num_cell(c->out, s->risk, 2);
    fputs("</tr>\n", c->out);
}

static void plan_years(const struct ctx *c, const struct nv_plan *pl)
{
    fputs("<ul>", c->out);
    for (int y = 0; pl->year && y <= pl->last - pl->first; y++) {
        const struct nv_plan_year *py = &pl->year[y];
        fprintf(c->out, "<li>%d: cost %.0f, risk score after %.1f", py->year,
                py->cost, py->score);
        for (uint32_t i = 0; i < py->nrules; i++) {
            struct nv_rule_info ri;
            nv_policy_rule(c->r->p, py->rules[i], &ri);
            wrap(c->out, i ? ", " : "; from then on these rules hold: ", ri.id,
                 "");
        }
        fputs("</li>", c->out);
    }
    fputs("</ul>\n", c->out);
}

static void plan_section(const struct ctx *c)
{
    static const char *const cols[] = {"year", "asset",       "layer",
                                       "site", "vendor",      "replace with",
                                       "cost", "risk removed"};
    static const char *const status[] = {
        "the cheapest plan (proven optimal)",
        "a plan within a proven gap of the cheapest",
        "the goal needs more than the budget", "the goal cannot be met"};
    const struct nv_plan *pl = c->r->plan;
    char year[16];

    fprintf(c->out,
            "<h2 id=\"actions\">Recommended actions</h2>\n<p>Replacing "
            "equipment of high-risk and prohibited vendors, %d to %d, so "
            "that every error rule holds from its date: %s, cost %.0f "
            "(risk score now %.1f).</p>\n",
            pl->first, pl->last, status[pl->status], pl->cost,
            pl->score_before);
    if (pl->why[0])
        wrap(c->out, "<p>", pl->why, "</p>\n");
    plan_years(c, pl);
    table_head(c->out, cols, 8);
    for (uint32_t i = 0; i < pl->nstep; i++) {
        snprintf(year, sizeof year, "%d", pl->step[i].year);
        action_row(c, &pl->step[i], year);
    }
    for (uint32_t i = 0; i < pl->nextra && i < 10; i++)
        action_row(c, &pl->extra[i], "not required");
    table_end(c->out);
}

/* ------------------------------------------------------------ the page */

static void header(const struct ctx *c)
{
    uint32_t hostile = 0, g;

    fprintf(c->out,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width\">"
            "<title>netvet report</title><style>%s</style></head><body>\n"
            "<h1>Network vetting report</h1>\n<p class=\"meta\">Model:",
            style);
    for (uint32_t i = 0; i < c->m->nsources; i++)
        wrap(c->out, " <code>", c->m->sources[i], "</code>");
    fprintf(c->out,
            ". %u sites, %u assets, %u critical flows, %u partners.  "
            "Written by netvet %s.</p>\n",
            NV_COUNT(c->m, NV_T_SITE), NV_COUNT(c->m, NV_T_ASSET), c->x->nflows,
            NV_COUNT(c->m, NV_T_PARTNER), NV_VERSION);
    for (uint32_t f = 0; f < c->x->nflows; f++)
        hostile += nv_score_hostile_level(c->x, f, &g) >= NV_LEVEL_ROUTED;
    fprintf(c->out,
            "<p class=\"verdict%s\">%u of %u critical flows can be "
            "intercepted or cut by a high-risk or prohibited group (it is on "
            "their route or on every path).</p>\n",
            hostile ? "" : " ok", hostile, c->x->nflows);
    fputs("<nav><a href=\"#map\">Map</a><a href=\"#score\">Risk score</a>"
          "<a href=\"#flows\">Flows at risk</a>",
          c->out);
    if (c->r->p)
        fputs("<a href=\"#violations\">Policy violations</a>", c->out);
    if (c->r->p && NV_COUNT(c->m, NV_T_PARTNER))
        fputs("<a href=\"#release\">Release matrix</a>", c->out);
    if (c->r->p && c->r->plan)
        fputs("<a href=\"#actions\">Recommended actions</a>", c->out);
    fputs("<a href=\"#shares\">Vendor shares</a></nav>\n", c->out);
}

static void page(const struct ctx *c)
{
    header(c);
    map_section(c);
    score_section(c);
    flows_section(c);
    if (c->r->p)
        violations_section(c);
    if (c->r->p && NV_COUNT(c->m, NV_T_PARTNER))
        release_section(c);
    if (c->r->p && c->r->plan)
        plan_section(c);
    shares_section(c);
    fprintf(c->out, "<script>%s</script>\n</body></html>\n", script);
}

static enum nv_rc prepare(struct ctx *c, struct nv_err *err)
{
    enum nv_rc rc = rank_flows(c);

    if (!rc && c->r->group != NV_NONE)
        rc = nv_wargame_run(c->m, c->x, c->r->group, &c->w, err);
    if (!rc)
        rc = mark_sites(c);
    if (!rc)
        rc = nv_concentration_build(c->m, &c->c, err);
    if (!rc)
        rc = mark_vendors(c);
    if (rc == NV_ENOMEM)
        nv_err_set(err, rc, "out of memory writing the report");
    if (!rc)
        project(c);
    return rc;
}

enum nv_rc nv_report_html(const struct nv_report *r, FILE *out,
                          struct nv_err *err)
{
    struct ctx c;
    enum nv_rc rc;

    memset(&c, 0, sizeof c);
    c.r = r;
    c.m = r->m;
    c.x = r->x;
    c.out = out;
    rc = prepare(&c, err);
    if (!rc)
        page(&c);
    if (!rc && ferror(out))
        rc = nv_err_set(err, NV_EIO, "cannot write the report");
    nv_free(c.rank);
    nv_free(c.mark);
    nv_free(c.ring);
    nv_free(c.vendor);
    nv_concentration_release(&c.c);
    nv_wargame_release(&c.w);
    return rc;
}
