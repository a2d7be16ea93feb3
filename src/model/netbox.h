/*
 * netbox.h - a model from NetBox or Nautobot, the inventories operators
 * keep (docs/formats.md, "NetBox and Nautobot").
 *
 * Import has two steps.  Pages of the REST API, each
 * {"count", "next", "previous", "results": [...]} of any endpoint, are
 * collected as they come (from files or from the server, netbox_fetch.h);
 * each result is filed by the endpoint its "url" names.  Then the whole
 * collection is mapped to model records: devices to assets, sites (or
 * Nautobot locations) to sites, cables traced through patch panels to
 * links, circuits to transport assets of their provider, modules and
 * inventory items to sub-assets.  Nested objects are looked up by their
 * "url" in the collection, so pages fetched with Nautobot's depth=0 map
 * the same as NetBox's nested briefs.
 */
#ifndef NV_NETBOX_H
#define NV_NETBOX_H

#include "core/err.h"
#include "model/model.h"

#include <stddef.h>

struct nv_netbox;

/* An empty collection, or NULL when memory is exhausted. */
struct nv_netbox *nv_netbox_new(void);

/* Free nb and every page it holds; NULL is a no-op. */
void nv_netbox_free(struct nv_netbox *nb);

/*
 * Add one API page, text[0..len), named name in errors (a file or a URL).
 * *next receives the page's "next" URL, or NULL on the last page; it lives
 * as long as nb.  A malformed page is NV_EPARSE at its position and adds
 * no result.
 */
enum nv_rc nv_netbox_add_page(struct nv_netbox *nb, const char *text,
                              size_t len, const char *name, const char **next,
                              struct nv_err *err) NV_WUR;

/* The number of results collected so far. */
size_t nv_netbox_count(const struct nv_netbox *nb);

/*
 * How roles become layers and which devices are imported: rules
 * "layer ROLE LAYER" (LAYER one of the model's layers, or "skip" for
 * passive devices such as patch panels), "status STATUS..." and
 * "region-depth N", one a line, # comments.  Rules given are tried
 * before the defaults.
 */
struct nv_netbox_map;

/* The default mapping, or NULL when memory is exhausted. */
struct nv_netbox_map *nv_netbox_map_new(void);

/* Free map; NULL is a no-op. */
void nv_netbox_map_free(struct nv_netbox_map *map);

/* Add the rules of a mapping file, text[0..len) named name; errors carry
 * the line and column. */
enum nv_rc nv_netbox_map_parse(struct nv_netbox_map *map, const char *text,
                               size_t len, const char *name,
                               struct nv_err *err) NV_WUR;

/* What an import did, for the summary the command prints. */
struct nv_netbox_stats {
    size_t devices;   /* imported as assets */
    size_t filtered;  /* devices left out by status */
    size_t passive;   /* devices whose role maps to "skip" */
    size_t links;     /* connected cable paths that became links */
    size_t untraced;  /* cable paths that could not be followed */
    size_t circuits;  /* circuits that became transport assets */
    size_t subassets; /* modules, inventory items and platforms */
    size_t sites;
};

/*
 * Add the records of nb, mapped by map, to m (not yet finished); each
 * page is registered as a source of m.  st may be NULL.  On failure m
 * holds part of the records and must be freed.
 */
enum nv_rc nv_netbox_build(struct nv_netbox *nb,
                           const struct nv_netbox_map *map, struct nv_model *m,
                           struct nv_netbox_stats *st,
                           struct nv_err *err) NV_WUR;

#endif
