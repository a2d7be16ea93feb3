/*
 * report_int.h - what the report's files share, and nothing outside
 * src/report uses: escaping, plain-language names for what the model
 * holds, the ranking of flows at risk, the map's projection, and the
 * parts of the page written outside report.c (the decision page, the
 * land under the map, labels, scale bar and the aggregated map).
 */
#ifndef NV_REPORT_INT_H
#define NV_REPORT_INT_H

#include "report/report.h"

/* Above this many sites with coordinates the map draws grid cells and
 * corridors instead of sites and flows, and long tables stop here. */
#define NV_REPORT_AGG_SITES 3000
#define NV_REPORT_TABLE_MAX 200

/* The map's width and margin, in pixels. */
#define MAP_W 900.0
#define MAP_PAD 16.0

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

/* What the parts written outside report.c read; all borrowed. */
struct nv_rview {
    const struct nv_report *r;
    const struct nv_model *m;
    const struct nv_exposure *x;
    FILE *out;
    const struct ranked *rank; /* flows at risk, highest score first */
    uint32_t nrank;
    const unsigned char *mark; /* per site: its worst vendor, 0..5 */
    const struct map *map;
};

/* Colours and names of report.c's legend: a site's worst vendor (0..5,
 * best first) and a flow's exposure level. */
extern const char *const *const nv_report_mark_colour;
extern const char *const *const nv_report_mark_names;
extern const char *const *const nv_report_level_colour;

/* Text escaped for HTML, in content and in quoted attributes alike. */
void nv_report_text(FILE *out, const char *s);
/* open, then s escaped, then close (both ours). */
void nv_report_wrap(FILE *out, const char *open, const char *s,
                    const char *close);

/* A count with thousands separators: 1,234,567. */
void nv_report_count(FILE *out, uint64_t n);

/* Names a person reads (escaped), ids kept for tooltips and tables. */
const char *nv_report_site_name(const struct nv_model *m, uint32_t s);
/* "Huawei aggregation router at Aachen aggregation" */
void nv_report_asset(FILE *out, const struct nv_model *m, uint32_t a);
/* "defence: Berlin government to Koeln military" */
void nv_report_flow(FILE *out, const struct nv_model *m, uint32_t f);
/* "Huawei Technologies Co., Ltd." for a vendor, "vendors of CN", ... */
void nv_report_group(FILE *out, const struct nv_model *m,
                     const struct nv_exposure *x, uint32_t g);
/* The site of flow end (an asset), or NV_NONE. */
uint32_t nv_report_end_site(const struct nv_model *m, const struct nv_ref *end);

/* The map's pixel position of a longitude and latitude. */
double nv_report_map_x(const struct map *p, double lon);
double nv_report_map_y(const struct map *p, double lat);

/* The styles of the parts below, for the page's head. */
void nv_report_summary_css(const struct nv_rview *v);
void nv_report_map_css(FILE *out);

/* Per asset of a model: how many of the flows at risk it alone carries
 * (a high-risk or prohibited asset on every path of a flow that such a
 * group reaches at must: one of the flow's ends, or one of the choke
 * points of exposure/choke.h), the sum of their scores, and the first
 * (best ranked) of them. */
struct nv_report_chokes {
    uint32_t *flows, *top;
    double *score;
};
enum nv_rc nv_report_chokes(const struct nv_model *m, const struct ranked *rank,
                            uint32_t nrank, const struct nv_exposure *x,
                            struct nv_report_chokes *k,
                            struct nv_err *err) NV_WUR;
void nv_report_chokes_release(struct nv_report_chokes *k);

/* "What to do first": the replacement plan's first steps when the
 * report has one, else the choke points.  NV_ENOMEM as below. */
enum nv_rc nv_report_actions(const struct nv_rview *v) NV_WUR;

/* The decision page: marking, title block and executive summary.
 * NV_ENOMEM when its working memory cannot be had. */
enum nv_rc nv_report_summary(const struct nv_rview *v) NV_WUR;
/* The marking's fixed bands (screen and every printed page). */
void nv_report_marking(const struct nv_rview *v);

/* Land, coastlines and borders clipped to the map (Natural Earth). */
void nv_report_land(FILE *out, const struct map *p);
/* A scale bar in the map's lower left corner. */
void nv_report_scale_bar(FILE *out, const struct map *p);
/* Labels of the largest places of the model, and numbered markers of the
 * sites where flows at risk end, keyed to a table after the map. */
enum nv_rc nv_report_labels(const struct nv_rview *v) NV_WUR;
enum nv_rc nv_report_site_key(const struct nv_rview *v) NV_WUR;
/* The map at national scale: sites by grid cell, flows by corridor. */
enum nv_rc nv_report_map_grid(const struct nv_rview *v) NV_WUR;

#endif
