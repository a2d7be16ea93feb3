/*
 * netbox_build.c - mapping collected NetBox and Nautobot results to model
 * records: sites (or locations) with their regions, devices with their
 * maker, type, role, platform, serial and tags, and the sub-assets that
 * have a maker of their own (modules, inventory items, the platform's
 * software).  Cables and circuits are in netbox_cable.c.
 *
 * Model ids: a device keeps its name when no other device has it, else
 * "name#ID"; a device without a name is "device-ID"; a site is its slug
 * (else its name); a sub-asset is "DEVICE/BAY", "DEVICE/ITEM" or
 * "DEVICE/platform".
 */
#include "model/netbox_int.h"

#include "model/load_int.h"

#include "core/alloc.h"
#include "core/buf.h"

#include <string.h>

#define MAX_ID 4096 /* bytes of one generated id or tag list */
#define MAX_REGION_DEPTH 16

const char *nb_join(struct nb_build *b, const char *const *parts)
{
    struct nv_buf buf;
    enum nv_rc rc = NV_OK;
    const char *s;

    nv_buf_init(&buf, MAX_ID);
    for (; *parts && !rc; parts++)
        rc = nv_buf_adds(&buf, *parts);
    s = rc ? NULL : nv_arena_strndup(&b->m->arena, buf.data, buf.len);
    nv_buf_release(&buf);
    if (rc == NV_ELIMIT)
        nv_err_set(b->err, rc, "a generated id is longer than %d bytes",
                   MAX_ID);
    else if (!s)
        nv_err_set(b->err, NV_ENOMEM, "out of memory");
    return s;
}

enum nv_rc nb_remember(struct nb_build *b, struct nv_strmap *map,
                       const char ***ids, size_t *n, size_t *cap,
                       const char *key, const char *id)
{
    uint32_t v;
    int found;

    if (nv_array_reserve(ids, cap, *n + 1, sizeof **ids) ||
        nv_strmap_put(map, key, strlen(key), (uint32_t)*n, &v, &found))
        return nv_err_set(b->err, NV_ENOMEM, "out of memory");
    if (!found)
        (*ids)[(*n)++] = id;
    return NV_OK;
}

const char *nb_recall(const struct nv_strmap *map, const char **ids,
                      const char *key)
{
    int64_t i = key ? nv_strmap_get(map, key, strlen(key)) : -1;
    return i < 0 ? NULL : ids[i];
}

enum nv_rc nb_add(struct nb_build *b, enum nv_table t, const struct nb_obj *o,
                  const char *const *pairs)
{
    return nv_load_pairs(b->m, t, b->src0 + o->page, o->v->off, pairs, b->err);
}

/* A number member as text (NetBox writes coordinates as numbers, some
 * versions as strings), or NULL. */
static const char *num_text(const struct nv_json *o, const char *key)
{
    const struct nv_json *v = nv_json_get(o, key);

    if (v && (v->type == NV_JSON_NUMBER || v->type == NV_JSON_STRING))
        return v->len ? v->u.str : NULL;
    return NULL;
}

static const char *label(const struct nv_json *o)
{
    return nb_str(o, "name") ? nb_str(o, "name") : nb_str(o, "slug");
}

/* Tags as ';'-separated text: the object's own tags, then "region:NAME"
 * for each region above a site; NULL when there are none. */
static enum nv_rc tag_list(struct nb_build *b, const struct nv_json *o,
                           const char *const *regions, int nregions,
                           const char **out)
{
    const struct nv_json *tags = nv_json_get(o, "tags");
    const char *parts[2 * 64 + 1];
    int n = 0;

    for (size_t i = 0;
         tags && tags->type == NV_JSON_ARRAY && i < tags->len && n < 64; i++) {
        const struct nv_json *t = nb_resolve(b->nb, &tags->u.items[i]);
        const char *s = nb_str(t, "slug") ? nb_str(t, "slug") : label(t);
        if (s && !strchr(s, ';')) {
            parts[n] = n ? ";" : "";
            parts[n + 1] = s;
            n += 2;
        }
    }
    for (int i = 0; i < nregions && n < 2 * 64 - 2; i++) {
        parts[n] = n ? ";region:" : "region:";
        parts[n + 1] = regions[i];
        n += 2;
    }
    parts[n] = NULL;
    *out = n ? nb_join(b, parts) : NULL;
    return n && !*out ? b->err->rc : NV_OK;
}

/* The regions above a site, nearest first: a NetBox site's region and its
 * parents, or a Nautobot location's parents. */
static int region_chain(const struct nv_netbox *nb, const struct nv_json *site,
                        const char **names)
{
    const struct nv_json *r = nb_ref(nb, site, "region");
    int n = 0;

    if (!r)
        r = nb_ref(nb, site, "parent");
    for (; r && n < MAX_REGION_DEPTH; r = nb_ref(nb, r, "parent"))
        if (label(r) && !strchr(label(r), ';'))
            names[n++] = label(r);
    return n;
}

static enum nv_rc add_site(struct nb_build *b, const struct nb_obj *o,
                           const struct nv_json *site, const char *id)
{
    const char *chain[MAX_REGION_DEPTH], *tags;
    int n = region_chain(b->nb, site, chain), d = b->map->region_depth;
    const char *region = n == 0            ? NULL
                         : d < 0 || d >= n ? chain[0]
                                           : chain[n - 1 - d];
    const char *pairs[] = {"id",     id,
                           "name",   nb_str(site, "name"),
                           "region", region,
                           "lat",    num_text(site, "latitude"),
                           "lon",    num_text(site, "longitude"),
                           "tags",   NULL,
                           NULL};
    enum nv_rc rc = tag_list(b, site, chain, n, &tags);

    pairs[11] = tags;
    if (!rc)
        rc = nb_add(b, NV_T_SITE, o, pairs);
    if (!rc)
        b->st->sites++;
    return rc;
}

enum nv_rc nb_site(struct nb_build *b, const struct nb_obj *o,
                   const struct nv_json *ref, const char **id)
{
    const struct nv_json *site = nb_resolve(b->nb, ref);
    const char *key = nb_str(site, "url") ? nb_str(site, "url") : nb_id(site);
    const char *sid = nb_str(site, "slug") ? nb_str(site, "slug") : label(site);
    enum nv_rc rc;

    *id = NULL;
    if (!site || !key)
        return NV_OK;
    *id = nb_recall(&b->sites, b->site_ids, key);
    if (*id)
        return NV_OK;
    if (!sid)
        sid = nb_join(b, (const char *const[]){"site-", nb_id(site), NULL});
    if (!sid)
        return b->err->rc;
    rc = add_site(b, o, site, sid);
    if (!rc)
        rc = nb_remember(b, &b->sites, &b->site_ids, &b->nsite_ids,
                         &b->site_cap, key, sid);
    *id = sid;
    return rc;
}

/* A sub-asset id: PARENT/NAME, or PARENT/NAME#ID when taken. */
static const char *sub_id(struct nb_build *b, const char *parent,
                          const char *name, const struct nv_json *o)
{
    const char *id = nb_join(b, (const char *const[]){parent, "/", name, NULL});

    if (id && nv_model_find(b->m, NV_T_ASSET, id) != NV_NONE)
        id = nb_join(b, (const char *const[]){id, "#", nb_id(o), NULL});
    return id;
}

struct sub {
    const char *parent, *name, *kind, *vendor, *model, *serial;
};

/* A sub-asset shares its device's site and layer. */
static enum nv_rc add_sub(struct nb_build *b, const struct nb_obj *o,
                          const struct sub *s)
{
    const struct nb_dev *d =
        &b->dev[nv_strmap_get(&b->devs, s->parent, strlen(s->parent))];
    const char *id = sub_id(b, d->id, s->name, o->v), *tags = NULL;
    const char *pairs[] = {"id",     id,        "kind",
                           s->kind,  "vendor",  s->vendor,
                           "model",  s->model,  "site",
                           d->site,  "layer",   nv_layer_names[d->layer],
                           "serial", s->serial, "tags",
                           NULL,     NULL};
    enum nv_rc rc = id ? tag_list(b, o->v, NULL, 0, &tags) : b->err->rc;

    pairs[15] = tags;
    if (!rc)
        rc = nb_add(b, NV_T_ASSET, o, pairs);
    /* Linked to its device, as a leaf: never on a path between others. */
    if (!rc)
        rc = nb_add(b, NV_T_LINK, o,
                    (const char *const[]){"a", d->id, "b", id, NULL});
    if (!rc)
        b->st->subassets++;
    return rc;
}

static enum nv_rc add_platform(struct nb_build *b, const struct nb_obj *o,
                               const char *dev)
{
    const struct nv_json *pf = nb_ref(b->nb, o->v, "platform");
    const struct nv_json *mf = nb_ref(b->nb, pf, "manufacturer");
    struct sub s = {dev, "platform", "software", label(mf), label(pf), NULL};

    return mf && label(mf) ? add_sub(b, o, &s) : NV_OK;
}

const char *nb_device(const struct nb_build *b, const struct nv_json *ref)
{
    const char *key = nb_id(nb_resolve(b->nb, ref));
    int64_t i = key ? nv_strmap_get(&b->devs, key, strlen(key)) : -1;

    return i < 0 ? NULL : b->dev[i].id;
}

/* The names more than one device has: only those get the NetBox id
 * appended (NetBox names are unique per site and tenant only). */
static enum nv_rc find_shared_names(struct nb_build *b)
{
    const struct nb_list *l = &b->nb->kind[NB_DEVICE];

    for (size_t i = 0; i < l->n; i++) {
        const char *name = nb_str(l->v[i].v, "name");
        uint32_t v;
        int found = 0;
        if (name && nv_strmap_put(&b->names, name, strlen(name), 0, &v, &found))
            return nv_err_set(b->err, NV_ENOMEM, "out of memory");
        if (found &&
            nv_strmap_put(&b->shared, name, strlen(name), 0, &v, &found))
            return nv_err_set(b->err, NV_ENOMEM, "out of memory");
    }
    return NV_OK;
}

static const char *device_id(struct nb_build *b, const struct nv_json *dev)
{
    const char *name = nb_str(dev, "name");

    if (!name)
        return nb_join(b, (const char *const[]){"device-", nb_id(dev), NULL});
    if (nv_strmap_get(&b->shared, name, strlen(name)) < 0)
        return name;
    return nb_join(b, (const char *const[]){name, "#", nb_id(dev), NULL});
}

static const struct nv_json *device_role(const struct nv_netbox *nb,
                                         const struct nv_json *dev)
{
    const struct nv_json *r = nb_ref(nb, dev, "role");
    return r ? r : nb_ref(nb, dev, "device_role");
}

/* The layer of an imported device, or -1 when it is left out (counted). */
static int device_layer(struct nb_build *b, const struct nv_json *dev)
{
    const struct nv_json *role = device_role(b->nb, dev);
    int layer;

    if (!nb_map_status(b->map, nb_choice(b->nb, dev, "status"))) {
        b->st->filtered++;
        return -1;
    }
    layer = nb_map_layer(b->map, nb_str(role, "slug"), label(role));
    if (layer < 0)
        b->st->passive++;
    return layer;
}

static enum nv_rc remember_device(struct nb_build *b, const char *key,
                                  const struct nb_dev *d)
{
    uint32_t v;
    int found;

    if (nv_array_reserve(&b->dev, &b->dev_cap, b->ndevs + 1, sizeof *b->dev) ||
        nv_strmap_put(&b->devs, key, strlen(key), (uint32_t)b->ndevs, &v,
                      &found))
        return nv_err_set(b->err, NV_ENOMEM, "out of memory");
    if (!found)
        b->dev[b->ndevs++] = *d;
    return NV_OK;
}

static enum nv_rc add_device(struct nb_build *b, const struct nb_obj *o)
{
    const struct nv_json *dt = nb_ref(b->nb, o->v, "device_type");
    const struct nv_json *site = nv_json_get(o->v, "site");
    struct nb_dev d = {device_id(b, o->v), NULL, device_layer(b, o->v)};
    const char *pairs[] = {"id",    d.id, "vendor", NULL,
                           "model", NULL, "site",   NULL,
                           "layer", NULL, "serial", nb_str(o->v, "serial"),
                           "tags",  NULL, NULL};
    enum nv_rc rc;

    if (d.layer < 0 || !nb_id(o->v))
        return NV_OK;
    if (!d.id)
        return b->err->rc;
    rc = nb_site(b, o, site ? site : nv_json_get(o->v, "location"), &d.site);
    if (!rc)
        rc = tag_list(b, o->v, NULL, 0, &pairs[13]);
    pairs[3] = label(nb_ref(b->nb, dt, "manufacturer"));
    pairs[5] = nb_str(dt, "model") ? nb_str(dt, "model") : label(dt);
    pairs[7] = d.site;
    pairs[9] = nv_layer_names[d.layer];
    if (!rc)
        rc = nb_add(b, NV_T_ASSET, o, pairs);
    if (!rc)
        rc = remember_device(b, nb_id(o->v), &d);
    if (!rc)
        b->st->devices++;
    return rc ? rc : add_platform(b, o, nb_id(o->v));
}

/* A module in a bay, or an inventory item with a maker of its own. */
static enum nv_rc add_part(struct nb_build *b, const struct nb_obj *o,
                           int module)
{
    const struct nv_json *dev = nb_resolve(b->nb, nv_json_get(o->v, "device"));
    const struct nv_json *type = nb_ref(b->nb, o->v, "module_type");
    const struct nv_json *mf =
        nb_ref(b->nb, module ? type : o->v, "manufacturer");
    const char *bay = label(nb_ref(b->nb, o->v, "module_bay"));
    struct sub s = {nb_id(dev), module ? bay : label(o->v), "device", label(mf),
                    NULL,       nb_str(o->v, "serial")};

    if (!nb_device(b, dev) || !mf || !s.vendor ||
        !nb_map_status(b->map, nb_choice(b->nb, o->v, "status")))
        return NV_OK;
    s.model = module ? nb_str(type, "model") : nb_str(o->v, "part_id");
    if (!s.name)
        s.name = nb_join(b, (const char *const[]){"part-", nb_id(o->v), NULL});
    return s.name ? add_sub(b, o, &s) : b->err->rc;
}

static enum nv_rc add_all(struct nb_build *b, enum nb_kind k)
{
    const struct nb_list *l = &b->nb->kind[k];
    enum nv_rc rc = NV_OK;

    for (size_t i = 0; i < l->n && !rc; i++)
        rc = k == NB_DEVICE ? add_device(b, &l->v[i])
                            : add_part(b, &l->v[i], k == NB_MODULE);
    return rc;
}

static enum nv_rc add_sources(struct nb_build *b)
{
    uint32_t src;
    enum nv_rc rc = NV_OK;

    for (size_t i = 0; i < b->nb->npages && !rc; i++) {
        rc = nv_model_add_source(b->m, b->nb->pages[i], &src, b->err);
        if (i == 0)
            b->src0 = src;
    }
    return rc;
}

static void build_release(struct nb_build *b)
{
    nv_strmap_release(&b->sites);
    nv_strmap_release(&b->devs);
    nv_strmap_release(&b->names);
    nv_strmap_release(&b->shared);
    nv_strmap_release(&b->terms);
    nv_free(b->site_ids);
    nv_free(b->dev);
    nv_free(b->term_ids);
}

enum nv_rc nv_netbox_build(struct nv_netbox *nb,
                           const struct nv_netbox_map *map, struct nv_model *m,
                           struct nv_netbox_stats *st, struct nv_err *err)
{
    struct nv_netbox_stats dummy;
    struct nb_build b;
    enum nv_rc rc;

    memset(&b, 0, sizeof b);
    b.nb = nb;
    b.map = map;
    b.m = m;
    b.st = st ? st : &dummy;
    b.err = err;
    memset(b.st, 0, sizeof *b.st);
    rc = add_sources(&b);
    if (!rc)
        rc = find_shared_names(&b);
    if (!rc)
        rc = add_all(&b, NB_DEVICE);
    if (!rc)
        rc = add_all(&b, NB_MODULE);
    if (!rc)
        rc = add_all(&b, NB_INVITEM);
    if (!rc)
        rc = nb_build_circuits(&b);
    if (!rc)
        rc = nb_build_cables(&b);
    build_release(&b);
    return rc;
}
