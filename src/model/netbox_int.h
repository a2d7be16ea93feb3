/*
 * netbox_int.h - what the NetBox files share: the collection of API
 * results by endpoint, lookups by "url", and the build context.
 */
#ifndef NV_NETBOX_INT_H
#define NV_NETBOX_INT_H

#include "core/arena.h"
#include "core/json.h"
#include "core/strmap.h"
#include "model/netbox.h"

enum nb_kind {
    NB_SITE,
    NB_LOCATION,
    NB_DEVICE,
    NB_INTERFACE,
    NB_FRONTPORT,
    NB_REARPORT,
    NB_CABLE,
    NB_CIRCUIT,
    NB_CIRCUITTERM,
    NB_MODULE,
    NB_INVITEM,
    NB_OTHER,
    NB_KIND_COUNT
};

/* One API result and the page it came from. */
struct nb_obj {
    const struct nv_json *v;
    uint32_t page;
};

struct nb_list {
    struct nb_obj *v;
    size_t n, cap;
};

struct nv_netbox {
    struct nv_arena arena; /* pages' trees and names */
    const char **pages;    /* page names, in order */
    size_t npages, cap;
    struct nb_list kind[NB_KIND_COUNT];
    struct nv_strmap byurl; /* "/api/app/endpoint/id/" -> index in all */
    struct nb_list all;
};

#define NB_MAX_RULES 256
#define NB_MAX_STATUS 16

struct nb_rule {
    const char *role; /* lowercased */
    int layer;        /* enum nv_layer, or -1: skip the device */
};

struct nv_netbox_map {
    struct nv_arena arena;
    struct nb_rule rules[NB_MAX_RULES];
    int nrules;
    const char *status[NB_MAX_STATUS]; /* lowercased; none: "active" */
    int nstatus;
    int region_depth; /* -1: the site's own region */
};

/* An imported device: what its sub-assets and links need. */
struct nb_dev {
    const char *id, *site; /* model ids */
    int layer;
};

/* The build: the collection, the model being filled and the maps from
 * NetBox ids to model ids. */
struct nb_build {
    struct nv_netbox *nb;
    const struct nv_netbox_map *map;
    struct nv_model *m;
    struct nv_netbox_stats *st;
    struct nv_err *err;
    uint32_t src0;          /* model source of page 0 */
    struct nv_strmap sites; /* NetBox site key -> index in site_ids */
    const char **site_ids;
    size_t nsite_ids, site_cap;
    struct nv_strmap devs; /* NetBox device id -> index in dev */
    struct nb_dev *dev;
    size_t ndevs, dev_cap;
    struct nv_strmap names, shared; /* device names; those used twice */
    struct nv_strmap terms; /* circuit termination id -> circuit asset id */
    const char **term_ids;
    size_t nterms, term_cap;
};

/* The full object a nested reference v stands for (looked up by its
 * "url"), or v itself when the collection does not hold it. */
const struct nv_json *nb_resolve(const struct nv_netbox *nb,
                                 const struct nv_json *v);

/* The member key of o resolved, or NULL. */
const struct nv_json *nb_ref(const struct nv_netbox *nb,
                             const struct nv_json *o, const char *key);

/* The member key of o when it is a non-empty string, else NULL. */
const char *nb_str(const struct nv_json *o, const char *key);

/* The text of o's "id" (a number or a UUID), or NULL. */
const char *nb_id(const struct nv_json *o);

/* A choice field's value ({"value"}, {"name"} or a plain string),
 * resolved through the collection, or NULL. */
const char *nb_choice(const struct nv_netbox *nb, const struct nv_json *o,
                      const char *key);

/* A string made of the parts (NULL-terminated), in the build's model
 * arena; NULL when memory is exhausted (err is set). */
const char *nb_join(struct nb_build *b, const char *const *parts);

/* Remember key -> id in map (ids array grown as needed). */
enum nv_rc nb_remember(struct nb_build *b, struct nv_strmap *map,
                       const char ***ids, size_t *n, size_t *cap,
                       const char *key, const char *id) NV_WUR;

/* The id remembered for key, or NULL. */
const char *nb_recall(const struct nv_strmap *map, const char **ids,
                      const char *key);

/* The model asset id of an imported NetBox device (a reference to it),
 * or NULL. */
const char *nb_device(const struct nb_build *b, const struct nv_json *ref);

/* The layer a device's role maps to (-1: skip). */
int nb_map_layer(const struct nv_netbox_map *map, const char *slug,
                 const char *name);

/* Whether status (NULL: none given) is imported. */
int nb_map_status(const struct nv_netbox_map *map, const char *status);

/* Add a record of table t from name/text pairs, at obj's place. */
enum nv_rc nb_add(struct nb_build *b, enum nv_table t, const struct nb_obj *o,
                  const char *const *pairs) NV_WUR;

/* The model site id of a NetBox site or Nautobot location (added on first
 * use), or NULL when ref is NULL; NULL with err set on failure. */
enum nv_rc nb_site(struct nb_build *b, const struct nb_obj *o,
                   const struct nv_json *ref, const char **id) NV_WUR;

/* Cables to links, circuits to transport assets (netbox_cable.c). */
enum nv_rc nb_build_circuits(struct nb_build *b) NV_WUR;
enum nv_rc nb_build_cables(struct nb_build *b) NV_WUR;

#endif
