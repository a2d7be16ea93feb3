/*
 * report.c - the HTML report, written straight to a stream.
 *
 * Every text from the model or the policy goes through text(), which
 * escapes it; the only markup is ours.  The map projects longitude and
 * latitude equirectangularly, scaled by the cosine of the middle latitude,
 * and draws exactly one circle of class "site" per site with coordinates.
 */
#include "report/report_int.h"

#include "core/alloc.h"
#include "exposure/concentration.h"
#include "exposure/culprits.h"
#include "policy/release.h"
#include "exposure/score.h"
#include "core/version.h"
#include "exposure/wargame.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAP_MAX_H 900.0
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
static const char *const level_colour[NV_LEVEL_COUNT] = {
    "#bdbdbd", "#fbc02d", "#ffa000", "#ef6c00", "#c62828"};

const char *const *const nv_report_mark_colour = mark_colour;
const char *const *const nv_report_mark_names = mark_names;
const char *const *const nv_report_level_colour = level_colour;

/* Vendor colours in the share bars: cool for trusted and standard
 * vendors, warm for high-risk and prohibited ones. */
static const char *const cool[] = {"#1565c0", "#00897b", "#5c6bc0", "#43a047",
                                   "#0097a7", "#7cb342", "#3949ab", "#26a69a"};
static const char *const warm[] = {"#c62828", "#ef6c00", "#ad1457",
                                   "#f9a825", "#d84315", "#8e24aa"};

/* The blast radius of the chosen group, per site. */
enum ring { RING_NONE, RING_REACH, RING_DARK };

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
    struct nv_culprits *cf; /* routes and culprits */
    uint32_t *path, *links; /* a route's assets and links */
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

void nv_report_text(FILE *out, const char *s)
{
    text(out, s);
}

void nv_report_wrap(FILE *out, const char *open, const char *s,
                    const char *close)
{
    wrap(out, open, s, close);
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
    "height:auto}.flow{fill:none;stroke-width:1.5;opacity:.8}.flow.faded{"
    "opacity:.15}"
    ".flow.hit{stroke-width:3;opacity:1}.site{stroke:#333;stroke-width:.6}"
    ".ring{fill:none;stroke:#000;stroke-width:1.5;stroke-dasharray:3 2}"
    ".ring.dark{stroke:#b71c1c;stroke-width:3;stroke-dasharray:none}"
    ".legend span:empty{display:inline-block;width:12px;height:12px;"
    "margin:0 4px 0 12px;vertical-align:middle;border:1px solid #999}"
    ".bar{display:flex;width:420px;height:16px;background:#eee}"
    ".bar span{display:block;height:100%;overflow:hidden;font-size:10px;"
    "color:#fff;white-space:nowrap}td.d0{background:#e8f5e9}"
    "td.d1{background:#fff8e1}td.d2{background:#ffebee}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "@media print{body{margin:0;font-size:9pt;max-width:none}nav{display:none}"
    "table.sortable th{cursor:auto}th.asc::after,th.desc::after{content:''}"
    "h2{break-after:avoid}tr,svg,.bar{break-inside:avoid}"
    "svg.map{width:100%}.filters,.flowinfo{display:none}}"
    "svg.chart{max-width:100%;height:auto}"
    ".filters{margin:.5em 0;padding:.4em;background:#f7f7f7}"
    ".filters label{margin-right:.8em}tr[data-flow]{cursor:pointer}"
    "tr[data-flow]:focus{outline:2px solid #0d47a1}"
    "tr.sel td{background:#e3f2fd}.flow.off,.flow.route{display:none}"
    "svg.map.picked .flow{opacity:.12}"
    "svg.map .flow.sel{stroke:#0d47a1;stroke-width:5;opacity:1;"
    "display:inline}.flowinfo{padding:.4em;border-left:4px solid #0d47a1;"
    "background:#e3f2fd}";

/* Click a header to sort its table by that column (numerically when the
 * header is of class num); click again to reverse.  The flows table
 * filters by text, sector and classification (the map's flows too), and
 * a click or Enter on one of its rows picks that flow: its line on the
 * map stands out, the others fade, and what the row says (level, worst
 * group, its assets) is written under the map.  netvetFlow(id) picks a
 * flow from outside (the service's page); it answers whether the flow's
 * route is drawn.  The script works in window.netvetRoot when that is
 * set (the service's page shows the report in a shadow root), else in the
 * document. */
static const char script[] =
    "(function(){var D=window.netvetRoot||document;"
    "function n(s){return parseFloat(s.replace(/,/g,''))||0}"
    "D.querySelectorAll('table.sortable th').forEach(function(th){"
    "th.addEventListener('click',function(){var t=th.closest('table'),"
    "b=t.tBodies[0],i=th.cellIndex,num=th.classList.contains('num'),"
    "d=th.classList.contains('asc')?-1:1,r=Array.from(b.rows);"
    "r.sort(function(x,y){var a=x.cells[i].textContent,c=y.cells[i]"
    ".textContent;return d*(num?n(a)-n(c):"
    "a.localeCompare(c))});r.forEach(function(x){b.appendChild(x)});"
    "t.querySelectorAll('th').forEach(function(h){h.classList.remove("
    "'asc','desc')});th.classList.add(d===1?'asc':'desc')})});"
    "var $=function(i){return D.getElementById(i)},"
    "f=$('flowfilter');if(!f)return;"
    "var t=f.nextElementSibling,rows=Array.from(t.tBodies[0].rows),"
    "q=$('flowq'),sec=$('flowsector'),cl=$('flowclass'),info=$('flowinfo'),"
    "map=D.querySelector('svg.map'),lines=Array.from("
    "D.querySelectorAll('svg.map .flow[data-flow]')),cur=null;"
    "function fill(s,k){Array.from(new Set(rows.map(function(r){"
    "return r.dataset[k]}))).filter(Boolean).sort().forEach(function(v){"
    "s.add(new Option(v,v))})}"
    "fill(sec,'sector');fill(cl,'class');"
    "function ok(e){return(!sec.value||e.dataset.sector===sec.value)&&"
    "(!cl.value||e.dataset.class===cl.value)}"
    "function apply(){var w=q.value.toLowerCase(),k=0;"
    "rows.forEach(function(r){var v=ok(r)&&(!w||r.textContent"
    ".toLowerCase().indexOf(w)>=0);r.hidden=!v;k+=v});"
    "lines.forEach(function(l){l.classList.toggle('off',!ok(l))});"
    "$('flowcount').textContent=k+' of '+rows.length+' rows shown.'}"
    "[q,sec,cl].forEach(function(e){e.addEventListener('input',apply)});"
    "function say(r,drawn){info.textContent='';var h=t.tHead.rows[0].cells,"
    "b=document.createElement('b');b.textContent=drawn?'Picked flow: '"
    ":'Picked flow (its route is not drawn on this map): ';"
    "info.appendChild(b);[1,2,3,4,6,7,8,10].forEach(function(i,k){"
    "info.appendChild(document.createTextNode((k?'; ':'')+h[i]"
    ".textContent+' '+r.cells[i].textContent))});info.hidden=false}"
    "function pick(id){cur=cur===id?null:id;var drawn=false,r=null;"
    "rows.forEach(function(x){var s=x.dataset.flow===cur;"
    "x.classList.toggle('sel',s);x.setAttribute('aria-selected',s);"
    "if(s)r=x});lines.forEach(function(l){var s=l.dataset.flow===cur;"
    "l.classList.toggle('sel',s);if(s){drawn=true;"
    "l.parentNode.appendChild(l)}});"
    "if(map)map.classList.toggle('picked',cur!==null);"
    "if(info){if(r)say(r,drawn);else info.hidden=true}return drawn}"
    "window.netvetFlow=function(id){cur=null;return pick(id)};"
    "rows.forEach(function(r){r.tabIndex=0;r.addEventListener('click',"
    "function(){pick(r.dataset.flow)});r.addEventListener('keydown',"
    "function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();"
    "pick(r.dataset.flow)}})});apply()})()";

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

/* Whole numbers with thousands separators (the sorting script reads
 * them back without). */
static void num_cell(FILE *out, double v, int decimals)
{
    fputs("<td class=\"num\">", out);
    if (decimals || v < 0 || v >= 1e15)
        fprintf(out, "%.*f", decimals, v);
    else
        nv_report_count(out, (uint64_t)llround(v));
    fputs("</td>", out);
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
    return nv_report_map_x(p, s->lon);
}

static double map_y(const struct map *p, const struct nv_site *s)
{
    return nv_report_map_y(p, s->lat);
}

/* -------------------------------------------------------------- the map */

/* The points of flow f's route on the map: the placed sites of one
 * least-cost route (its declared path if it has one), a point per change
 * of site; returns how many were written. */
static uint32_t route_points(const struct ctx *c, uint32_t f)
{
    const struct nv_flow *fl = &NV_FLOWS(c->m)[f];
    uint32_t n = fl->path.n, t = fl->dst.idx, last = NV_NONE, points = 0;
    const struct nv_fail none = {NV_FAIL_NONE, 0};

    for (uint32_t i = 0; i < n; i++)
        c->path[i] = fl->path.v[i].idx;
    if (!n && !nv_routes_search(&c->cf->r, fl->src.idx, none, &t, 1))
        n = nv_routes_one(&c->cf->r, t, c->path, c->links);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t si = NV_ASSETS(c->m)[c->path[i]].site.idx;
        const struct nv_site *s;
        if (si == NV_NONE || si == last || !placed(&NV_SITES(c->m)[si]))
            continue;
        s = &NV_SITES(c->m)[si];
        fprintf(c->out, "%s%.1f,%.1f", points++ ? " " : "", map_x(&c->map, s),
                map_y(&c->map, s));
        last = si;
    }
    return points;
}

/* What the page's script picks and filters a flow by, on its line on
 * the map and on its row in the flows table alike. */
static void flow_data(const struct ctx *c, uint32_t f)
{
    const struct nv_flow *fl = &NV_FLOWS(c->m)[f];

    wrap(c->out, " data-flow=\"", fl->id, "\"");
    wrap(c->out, " data-sector=\"", fl->sector ? fl->sector : "", "\"");
    fprintf(c->out, " data-class=\"%s\"", nv_class_names[fl->classification]);
}

/* A flow drawn along the links of its route, coloured by its worst
 * exposure to a hostile group. */
static void map_flow(const struct ctx *c, uint32_t f)
{
    const struct nv_flow *fl = &NV_FLOWS(c->m)[f];
    uint32_t a = flow_site(c->m, &fl->src), b = flow_site(c->m, &fl->dst), g;
    enum nv_level lv = nv_score_hostile_level(c->x, f, &g);
    const char *cls = "flow";

    if (a == NV_NONE || b == NV_NONE || a == b || !c->x->connected[f] ||
        !placed(&NV_SITES(c->m)[a]) || !placed(&NV_SITES(c->m)[b]))
        return;
    /* The lens fades only what no hostile group has on the route: the
     * worst risks of other groups stay in plain sight. */
    if (c->r->group != NV_NONE && nv_wargame_on_route(c->x, f, c->r->group))
        cls = "flow hit";
    else if (c->r->group != NV_NONE && lv < NV_LEVEL_ROUTED)
        cls = "flow faded";
    fprintf(c->out, "<polyline class=\"%s\" data-level=\"%s\"", cls,
            nv_level_names[lv]);
    flow_data(c, f);
    fprintf(c->out, " stroke=\"%s\" points=\"", level_colour[lv]);
    route_points(c, f);
    fputs("\"><title>", c->out);
    nv_report_flow(c->out, c->m, f);
    wrap(c->out, " (", fl->id, ")");
    fprintf(c->out, ": %s", nv_level_names[lv]);
    if (g != NV_NONE) {
        fputs(", ", c->out);
        nv_report_group(c->out, c->m, c->x, g);
    }
    fputs("</title></polyline>\n", c->out);
}

/* At national scale the map draws corridors, not flows: the routes of
 * the flows the table lists are drawn too, hidden until one is picked
 * (no more of them, for the file's size and the route searches). */
static void map_routes(const struct ctx *c)
{
    for (uint32_t i = 0; i < c->nrank && i < NV_REPORT_TABLE_MAX; i++) {
        uint32_t f = c->rank[i].flow;
        if (!c->x->connected[f])
            continue;
        fputs("<polyline class=\"flow route\"", c->out);
        flow_data(c, f);
        fputs(" points=\"", c->out);
        route_points(c, f);
        fputs("\"/>\n", c->out);
    }
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
    text(c->out, nv_report_site_name(c->m, i));
    if (s->region)
        wrap(c->out, ", ", s->region, "");
    wrap(c->out, " (", s->id, ")");
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
              "(it reads or observes them); flows other high-risk groups "
              "are on stay drawn plainly, the rest are faded; a red ring "
              "marks a site that runs only on its equipment, a dashed ring "
              "a site where such a flow ends.",
              c->out);
    if (c->map.n > NV_REPORT_AGG_SITES)
        fputs("<br>At this scale a square stands for the sites of a grid "
              "cell (its size: how many, its colour: the worst vendor among "
              "them) and a line for the flows at risk between two cells "
              "(the busiest corridors; the thicker, the more flows).",
              c->out);
    fputs("<br>Numbers mark the sites where the worst flows end; the table "
          "below names them.  Land, coasts and borders: Natural Earth.</p>\n",
          c->out);
}

static void blast_summary(const struct ctx *c)
{
    const struct nv_wg_cell *t = &c->w.total;

    wrap(c->out, "<p class=\"verdict\" title=\"",
         c->x->groups.v[c->r->group].id, "\">If <b>");
    nv_report_group(c->out, c->m, c->x, c->r->group);
    fputs("</b>", c->out);
    fprintf(c->out,
            " (%s) turned hostile, it could read %u of %u critical flows, "
            "see the metadata of %u encrypted ones and cut %u on its own; "
            "%u sites serving ",
            nv_designation_names[c->x->groups.v[c->r->group].designation],
            t->read, t->flows, t->observe, t->cut, c->w.ndark);
    nv_report_count(c->out, (uint64_t)c->w.dark_population);
    fputs(" people run only on its equipment.</p>\n", c->out);
}

/* What the parts written outside this file read of c. */
static struct nv_rview view_of(const struct ctx *c)
{
    return (struct nv_rview){c->r,    c->m,     c->x,    c->out,
                             c->rank, c->nrank, c->mark, &c->map};
}

static void map_detail(const struct ctx *c)
{
    uint32_t ns = NV_COUNT(c->m, NV_T_SITE);

    for (uint32_t f = 0; f < c->x->nflows; f++)
        map_flow(c, f);
    for (uint32_t i = 0; i < ns; i++)
        if (c->ring[i] && placed(&NV_SITES(c->m)[i]))
            map_ring(c, i);
    for (uint32_t i = 0; i < ns; i++)
        if (placed(&NV_SITES(c->m)[i]))
            map_site(c, i);
}

static enum nv_rc map_section(const struct ctx *c)
{
    uint32_t ns = NV_COUNT(c->m, NV_T_SITE);
    struct nv_rview v = view_of(c);
    enum nv_rc rc = NV_OK;

    fputs("<section class=\"mapsection\"><h2 id=\"map\">Map of the "
          "sites</h2>\n",
          c->out);
    if (c->r->group != NV_NONE)
        blast_summary(c);
    if (!c->map.n) {
        fputs("<p>No site has coordinates: there is nothing to draw.</p>"
              "</section>\n",
              c->out);
        return NV_OK;
    }
    fprintf(c->out,
            "<svg class=\"map\" "
            "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
            "role=\"img\"><title>%u of %u sites</title>\n",
            MAP_W, c->map.h, MAP_W, c->map.h, c->map.n, ns);
    nv_report_land(c->out, &c->map);
    if (c->map.n > NV_REPORT_AGG_SITES) {
        rc = nv_report_map_grid(&v);
        map_routes(c);
    } else
        map_detail(c);
    if (!rc)
        rc = nv_report_labels(&v);
    nv_report_scale_bar(c->out, &c->map);
    fputs("</svg>\n<p class=\"flowinfo\" id=\"flowinfo\" "
          "aria-live=\"polite\" hidden></p>\n",
          c->out);
    map_legend(c);
    fputs("</section>\n", c->out);
    if (!rc)
        rc = nv_report_site_key(&v);
    return rc;
}

/* ------------------------------------------------------------ the score */

/* A flow by name, its id in the tooltip. */
static void flow_cell(const struct ctx *c, uint32_t f)
{
    wrap(c->out, "<td title=\"", NV_FLOWS(c->m)[f].id, "\">");
    nv_report_flow(c->out, c->m, f);
    fputs("</td>", c->out);
}

static void group_cell(const struct ctx *c, uint32_t g)
{
    wrap(c->out, "<td title=\"", c->x->groups.v[g].id, "\">");
    nv_report_group(c->out, c->m, c->x, g);
    fputs("</td>", c->out);
}

/* The rows a table leaves out, and how to get them all. */
static void more_rows(const struct ctx *c, uint32_t n, const char *how)
{
    if (n <= NV_REPORT_TABLE_MAX)
        return;
    fputs("<p class=\"more\">", c->out);
    nv_report_count(c->out, n - NV_REPORT_TABLE_MAX);
    fprintf(c->out,
            " more rows are not shown; <code>%s</code> lists them "
            "all.</p>\n",
            how);
}

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
        flow_cell(c, r->flow);
        num_cell(c->out, r->score, 1);
        group_cell(c, r->group);
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

/* The vendor as a person reads it; its id stays in the tooltip. */
static const char *vendor_name(const struct nv_model *m, uint32_t e)
{
    const struct nv_entity *en = e == NV_NONE ? NULL : &NV_ENTITIES(m)[e];

    return en && en->name ? en->name : vendor_id(m, e);
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
        text(c->out, vendor_name(c->m, s->entity));
        if (s->entity != NV_NONE)
            wrap(c->out, " (", vendor_id(c->m, s->entity), ")");
        fprintf(c->out, " %.0f%%\">", pc);
        if (pc >= 15)
            text(c->out, vendor_name(c->m, s->entity));
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
        wrap(c->out, "<span class=\"vendor\" title=\"", vendor_id(c->m, id),
             "\">");
        wrap(c->out, "", vendor_name(c->m, id), "</span>");
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
    for (uint32_t i = 0; i < c->c.nareas && i < NV_REPORT_TABLE_MAX; i++)
        area_row(c, &c->c.areas[i], 1);
    table_end(c->out);
    more_rows(c, c->c.nareas, "netvet concentration --json");
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

    return s == NV_NONE ? NV_ASSETS(c->m)[end->idx].id
                        : nv_report_site_name(c->m, s);
}

/* The assets of group g that give flow f its level. */
static void culprits_cell(const struct ctx *c, uint32_t f, uint32_t g)
{
    struct nv_err err = {0};
    int found = nv_culprits_find(c->cf, f, g, &err) == NV_OK;

    fputs("<td>", c->out);
    for (uint32_t i = 0; found && i < c->cf->nassets && i < 8; i++) {
        fputs(i ? ", " : "", c->out);
        text(c->out, NV_ASSETS(c->m)[c->cf->assets[i]].id);
    }
    if (found && c->cf->nassets > 8)
        fprintf(c->out, " +%u", c->cf->nassets - 8);
    fputs("</td>", c->out);
}

static void flow_row(const struct ctx *c, uint32_t i)
{
    const struct ranked *r = &c->rank[i];
    const struct nv_flow *f = &NV_FLOWS(c->m)[r->flow];

    fputs("<tr", c->out);
    flow_data(c, r->flow);
    fprintf(c->out, "><td class=\"num\">%u</td>", i + 1);
    cell(c->out, f->sector ? f->sector : "");
    cell(c->out, nv_class_names[f->classification]);
    cell(c->out, site_of(c, &f->src));
    cell(c->out, site_of(c, &f->dst));
    num_cell(c->out, r->score, 2);
    group_cell(c, r->group);
    cell(c->out, nv_level_names[nv_exposure_level(c->x, r->flow, r->group)]);
    culprits_cell(c, r->flow, r->group);
    cell(c->out, f->encrypted ? "yes" : "no");
    wrap(c->out, "<td><code>", f->id, "</code></td>");
    fputs("</tr>\n", c->out);
}

static void flows_section(const struct ctx *c)
{
    static const char *const cols[] = {
        "#rank",       "sector", "class",      "from",      "to", "#score",
        "worst group", "level",  "its assets", "encrypted", "id"};

    fprintf(c->out,
            "<h2 id=\"flows\">Flows at risk</h2>\n<p>%u of %u critical flows "
            "are reached by some vendor group; ranked by score (importance "
            "x classification x exposure x designation), with the assets "
            "of the worst group that give its level (for may, those on a "
            "witness path).  Click a column to sort.</p>\n",
            c->nrank, c->x->nflows);
    /* Filled and driven by the page's script, hidden in print. */
    fputs("<div class=\"filters\" id=\"flowfilter\" role=\"search\">"
          "<label>Search <input type=\"search\" id=\"flowq\" "
          "placeholder=\"site, group, asset or id\"></label> "
          "<label>Sector <select id=\"flowsector\"><option value=\"\">all"
          "</option></select></label> <label>Classification <select "
          "id=\"flowclass\"><option value=\"\">all</option></select>"
          "</label> <span id=\"flowcount\" aria-live=\"polite\"></span> "
          "Click a row to see its route on the <a href=\"#map\">map</a>."
          "</div>\n",
          c->out);
    table_head(c->out, cols, 11);
    for (uint32_t i = 0; i < c->nrank && i < NV_REPORT_TABLE_MAX; i++)
        flow_row(c, i);
    table_end(c->out);
    more_rows(c, c->nrank, "netvet assess --json");
}

/* ------------------------------------------------ violations and release */

/* What a violation is about, by name. */
static void item_cell(const struct ctx *c, const struct nv_violation *v)
{
    if (v->kind == NV_V_FLOW) {
        flow_cell(c, v->item);
        return;
    }
    fputs("<td>", c->out);
    if (v->kind == NV_V_ASSET)
        nv_report_asset(c->out, c->m, v->item);
    else
        text(c->out, v->area);
    fputs("</td>", c->out);
}

static void violations_section(const struct ctx *c)
{
    static const char *const cols[] = {"rule", "severity", "rule says",
                                       "item", "why",      "id"};
    const struct nv_report *r = c->r;

    wrap(c->out, "<h2 id=\"violations\">Policy violations</h2>\n<p>Checked on ",
         r->date, "");
    fprintf(c->out, ": %u rules, %u violations.</p>\n", nv_policy_rules(r->p),
            r->nv);
    if (!r->nv)
        return;
    table_head(c->out, cols, 6);
    for (uint32_t i = 0; i < r->nv && i < NV_REPORT_TABLE_MAX; i++) {
        struct nv_rule_info ri;
        nv_policy_rule(r->p, r->v[i].rule, &ri);
        fputs("<tr>", c->out);
        cell(c->out, ri.id);
        cell(c->out, ri.severity == NV_SEV_ERROR ? "error" : "warning");
        cell(c->out, ri.message);
        item_cell(c, &r->v[i]);
        cell(c->out, r->v[i].why);
        wrap(c->out, "<td><code>", nv_violation_item(c->m, &r->v[i]),
             "</code></td>");
        fputs("</tr>\n", c->out);
    }
    table_end(c->out);
    more_rows(c, r->nv, "netvet check --json");
}

static void release_row(const struct ctx *c, const struct nv_partner *pa,
                        uint32_t f)
{
    uint32_t g;
    enum nv_level lv = nv_score_hostile_level(c->x, f, &g);

    wrap(c->out, "<tr><td title=\"", pa->id, "\">");
    wrap(c->out, "", pa->name ? pa->name : pa->id, "</td>");
    flow_cell(c, f);
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
        wrap(c->out, "<td title=\"", c->x->groups.v[g].id, "\">");
        nv_report_group(c->out, c->m, c->x, g);
        fprintf(c->out, " at %s</td>", nv_level_names[lv]);
    }
    fputs("</tr>\n", c->out);
}

static void release_section(const struct ctx *c)
{
    static const char *const cols[] = {"partner", "channel", "worst exposure"};
    uint32_t rows = 0;

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
        for (uint32_t k = 0; k < pa->channels.n; k++, rows++)
            if (rows < NV_REPORT_TABLE_MAX)
                release_row(c, pa, pa->channels.v[k].idx);
    }
    table_end(c->out);
    more_rows(c, rows, "netvet release --json");
}

/* ------------------------------------------------------------ history */

#define CHART_W 760
#define CHART_H 220
#define CHART_PAD 36

/* A column of the posture chart: the flows at each hostile level,
 * stacked, worst at the bottom. */
static void chart_column(const struct ctx *c, uint32_t i, double x, double w,
                         double per_flow)
{
    const struct nv_report_point *pt = &c->r->history[i];
    double y = CHART_H - CHART_PAD;

    for (int lv = NV_LEVEL_COUNT - 1; lv > NV_LEVEL_NONE; lv--) {
        double h = pt->flows[lv] * per_flow;
        fprintf(c->out,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                "height=\"%.1f\" fill=\"%s\"><title>",
                x, y - h, w, h, level_colour[lv]);
        text(c->out, pt->time);
        fprintf(c->out, ": %u flows %s</title></rect>\n", pt->flows[lv],
                nv_level_names[lv]);
        y -= h;
    }
}

/* The score over time as a line on its own scale (right-hand axis). */
static void chart_score(const struct ctx *c, double step, double top)
{
    const double base = CHART_H - CHART_PAD, span = CHART_H - 2 * CHART_PAD;

    fputs("<polyline fill=\"none\" stroke=\"#000\" stroke-width=\"2\" "
          "points=\"",
          c->out);
    for (uint32_t i = 0; i < c->r->nhistory; i++)
        fprintf(c->out, "%s%.1f,%.1f", i ? " " : "",
                CHART_PAD + (i + 0.5) * step,
                base - (top > 0 ? c->r->history[i].score / top : 0) * span);
    fprintf(c->out,
            "\"/>\n<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
            "font-size=\"11\">score %.1f</text>\n",
            CHART_W - 4, CHART_PAD - 6, top);
}

static void chart(const struct ctx *c)
{
    uint32_t most = 1, n = c->r->nhistory;
    double top = 0, step = (double)(CHART_W - 2 * CHART_PAD) / n;

    for (uint32_t i = 0; i < n; i++) {
        uint32_t sum = 0;
        for (int lv = NV_LEVEL_NONE + 1; lv < NV_LEVEL_COUNT; lv++)
            sum += c->r->history[i].flows[lv];
        most = sum > most ? sum : most;
        top = c->r->history[i].score > top ? c->r->history[i].score : top;
    }
    fprintf(c->out,
            "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" "
            "height=\"%d\" role=\"img\" aria-label=\"posture over "
            "time\">\n<text x=\"4\" y=\"%d\" font-size=\"11\">%u "
            "flows</text>\n",
            CHART_W, CHART_H, CHART_W, CHART_H, CHART_PAD - 6, most);
    for (uint32_t i = 0; i < n; i++)
        chart_column(c, i, CHART_PAD + i * step + step * 0.15, step * 0.7,
                     (CHART_H - 2.0 * CHART_PAD) / most);
    chart_score(c, step, top);
    for (uint32_t i = 0; i < n; i += (n + 9) / 10) {
        fprintf(c->out,
                "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" "
                "text-anchor=\"middle\">",
                CHART_PAD + (i + 0.5) * step, CHART_H - CHART_PAD + 14);
        fprintf(c->out, "%.10s</text>\n", c->r->history[i].time);
    }
    fputs("</svg>\n<p class=\"legend\">", c->out);
    for (int lv = NV_LEVEL_COUNT - 1; lv > NV_LEVEL_NONE; lv--)
        swatch(c->out, level_colour[lv], nv_level_names[lv]);
    fputs(" &mdash; line: the risk score</p>\n", c->out);
}

static void history_section(const struct ctx *c)
{
    static const char *const cols[] = {
        "snapshot",          "added",  "message", "#hostile flows",
        "#one-vendor flows", "#score", "#errors"};

    fprintf(c->out,
            "<h2 id=\"history\">Posture over time</h2>\n<p>%u snapshots of "
            "the store, oldest first: the critical flows a high-risk or "
            "prohibited group reaches, by the worst level it reaches them "
            "at, the flows one vendor alone can cut (vendor margin 1), and "
            "the risk score.</p>\n",
            c->r->nhistory);
    chart(c);
    table_head(c->out, cols, 7);
    for (uint32_t i = 0; i < c->r->nhistory; i++) {
        const struct nv_report_point *pt = &c->r->history[i];
        uint32_t hostile = 0;
        for (int lv = NV_LEVEL_NONE + 1; lv < NV_LEVEL_COUNT; lv++)
            hostile += pt->flows[lv];
        char id[13];
        snprintf(id, sizeof id, "%s", pt->id); /* ids are read short */
        fputs("<tr>", c->out);
        cell(c->out, id);
        cell(c->out, pt->time);
        cell(c->out, pt->message);
        num_cell(c->out, hostile, 0);
        if (pt->one_vendor < 0)
            cell(c->out, "-");
        else
            num_cell(c->out, (double)pt->one_vendor, 0);
        num_cell(c->out, pt->score, 1);
        num_cell(c->out, pt->errors, 0);
        fputs("</tr>\n", c->out);
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

static enum nv_rc header(const struct ctx *c)
{
    uint32_t hostile = 0, g;
    struct nv_rview v = view_of(c);
    enum nv_rc rc;

    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width\">",
          c->out);
    wrap(c->out, "<title>", c->r->title ? c->r->title : "netvet report",
         "</title>");
    fprintf(c->out, "<style>%s</style>\n", style);
    nv_report_summary_css(&v);
    nv_report_map_css(c->out);
    fprintf(c->out, "</head><body%s>\n",
            c->r->marking && c->r->marking[0] ? " class=\"marked\"" : "");
    nv_report_marking(&v);
    rc = nv_report_summary(&v);
    if (rc)
        return rc;
    fputs("<p class=\"meta\">Model:", c->out);
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
    fputs("<nav><a href=\"#summary\">Summary</a><a href=\"#map\">Map</a>"
          "<a href=\"#score\">Risk score</a>"
          "<a href=\"#flows\">Flows at risk</a>",
          c->out);
    if (c->r->p)
        fputs("<a href=\"#violations\">Policy violations</a>", c->out);
    if (c->r->p && NV_COUNT(c->m, NV_T_PARTNER))
        fputs("<a href=\"#release\">Release matrix</a>", c->out);
    if (c->r->p && c->r->plan)
        fputs("<a href=\"#actions\">Recommended actions</a>", c->out);
    fputs("<a href=\"#shares\">Vendor shares</a>", c->out);
    if (c->r->nhistory)
        fputs("<a href=\"#history\">Posture over time</a>", c->out);
    fputs("</nav>\n", c->out);
    return NV_OK;
}

static enum nv_rc page(const struct ctx *c)
{
    enum nv_rc rc = header(c);

    if (!rc)
        rc = map_section(c);
    if (rc)
        return rc;
    score_section(c);
    flows_section(c);
    if (c->r->p)
        violations_section(c);
    if (c->r->p && NV_COUNT(c->m, NV_T_PARTNER))
        release_section(c);
    if (c->r->p && c->r->plan)
        plan_section(c);
    shares_section(c);
    if (c->r->nhistory)
        history_section(c);
    fprintf(c->out, "<script>%s</script>\n</body></html>\n", script);
    return NV_OK;
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
    c->path = nv_calloc((size_t)c->m->graph.n + 1, sizeof *c->path);
    c->links = nv_calloc((size_t)c->m->graph.n + 1, sizeof *c->links);
    if (!rc && (!c->path || !c->links))
        rc = NV_ENOMEM;
    if (rc == NV_ENOMEM)
        nv_err_set(err, rc, "out of memory writing the report");
    if (!rc)
        project(c);
    return rc;
}

enum nv_rc nv_report_html(const struct nv_report *r, FILE *out,
                          struct nv_err *err)
{
    struct nv_culprits cf;
    struct ctx c;
    enum nv_rc rc;

    memset(&c, 0, sizeof c);
    c.r = r;
    c.m = r->m;
    c.x = r->x;
    c.out = out;
    c.cf = &cf;
    rc = nv_culprits_init(&cf, r->m, r->x, err);
    if (rc)
        return rc;
    rc = prepare(&c, err);
    if (!rc)
        rc = page(&c);
    if (rc == NV_ENOMEM)
        nv_err_set(err, rc, "out of memory writing the report");
    if (!rc && ferror(out))
        rc = nv_err_set(err, NV_EIO, "cannot write the report");
    nv_free(c.rank);
    nv_free(c.mark);
    nv_free(c.ring);
    nv_free(c.vendor);
    nv_concentration_release(&c.c);
    nv_wargame_release(&c.w);
    nv_culprits_release(&cf);
    nv_free(c.path);
    nv_free(c.links);
    return rc;
}
