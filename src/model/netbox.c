/*
 * netbox.c - collecting NetBox and Nautobot API pages: each result is
 * filed by the endpoint its "url" names and indexed by that url's path,
 * so that nested references (NetBox's briefs, Nautobot's depth=0 stubs)
 * can be looked up whatever server or file they came from.
 *
 * Invariant: a page is added whole or not at all; its tree lives in the
 * collection's arena until nv_netbox_free.
 */
#include "model/netbox_int.h"

#include "core/alloc.h"
#include "core/parse.h"

#include <string.h>

/* Most results one collection holds (a large operator has about 10^6
 * interfaces); beyond, the import is refused rather than swapping. */
#define MAX_RESULTS ((size_t)1 << 24)

static const struct {
    const char *path;
    enum nb_kind kind;
} endpoints[] = {
    {"dcim/sites/", NB_SITE},
    {"dcim/locations/", NB_LOCATION},
    {"dcim/devices/", NB_DEVICE},
    {"dcim/interfaces/", NB_INTERFACE},
    {"dcim/front-ports/", NB_FRONTPORT},
    {"dcim/rear-ports/", NB_REARPORT},
    {"dcim/cables/", NB_CABLE},
    {"circuits/circuits/", NB_CIRCUIT},
    {"circuits/circuit-terminations/", NB_CIRCUITTERM},
    {"dcim/modules/", NB_MODULE},
    {"dcim/inventory-items/", NB_INVITEM},
};

struct nv_netbox *nv_netbox_new(void)
{
    struct nv_netbox *nb = nv_calloc(1, sizeof *nb);

    if (!nb)
        return NULL;
    nv_arena_init(&nb->arena);
    nv_strmap_init(&nb->byurl);
    return nb;
}

void nv_netbox_free(struct nv_netbox *nb)
{
    if (!nb)
        return;
    for (int k = 0; k < NB_KIND_COUNT; k++)
        nv_free(nb->kind[k].v);
    nv_free(nb->all.v);
    nv_free(nb->pages);
    nv_strmap_release(&nb->byurl);
    nv_arena_release(&nb->arena);
    nv_free(nb);
}

size_t nv_netbox_count(const struct nv_netbox *nb)
{
    return nb->all.n;
}

/* The path of an API url from "/api/" on ("/api/dcim/devices/7/"), or
 * NULL when it has none. */
static const char *api_path(const char *url)
{
    return url ? strstr(url, "/api/") : NULL;
}

static enum nb_kind kind_of(const char *path)
{
    for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++) {
        size_t n = strlen(endpoints[i].path);
        if (strncmp(path + 5, endpoints[i].path, n) == 0)
            return endpoints[i].kind;
    }
    return NB_OTHER;
}

static enum nv_rc list_add(struct nb_list *l, const struct nb_obj *o)
{
    if (nv_array_reserve(&l->v, &l->cap, l->n + 1, sizeof *l->v))
        return NV_ENOMEM;
    l->v[l->n++] = *o;
    return NV_OK;
}

/* File every result of a checked page; on NV_ENOMEM the lists are cut
 * back to where they were. */
static enum nv_rc file_results(struct nv_netbox *nb,
                               const struct nv_json *results, uint32_t page)
{
    size_t mark[NB_KIND_COUNT], all = nb->all.n;
    enum nv_rc rc = NV_OK;

    for (int k = 0; k < NB_KIND_COUNT; k++)
        mark[k] = nb->kind[k].n;
    for (size_t i = 0; i < results->len && !rc; i++) {
        struct nb_obj o = {&results->u.items[i], page};
        const char *path = api_path(nb_str(o.v, "url"));
        uint32_t idx;
        int found;
        rc = list_add(&nb->kind[kind_of(path)], &o);
        if (!rc)
            rc = list_add(&nb->all, &o);
        if (!rc)
            rc = nv_strmap_put(&nb->byurl, path, strlen(path),
                               (uint32_t)(nb->all.n - 1), &idx, &found);
    }
    if (rc) {
        for (int k = 0; k < NB_KIND_COUNT; k++)
            nb->kind[k].n = mark[k];
        nb->all.n = all;
    }
    return rc;
}

static enum nv_rc check_results(const struct nv_json_doc *d,
                                const struct nv_json *results,
                                struct nv_err *err)
{
    for (size_t i = 0; i < results->len; i++) {
        const struct nv_json *r = &results->u.items[i];
        const struct nv_json *url;
        enum nv_rc rc;
        if (r->type != NV_JSON_OBJECT)
            return nv_json_error_at(err, NV_EPARSE, d->text, d->len, d->name,
                                    r->off, "each result must be an object");
        rc = nv_json_member(d, r, "url", NV_JSON_STRING, 1, &url, err);
        if (rc)
            return rc;
        if (!api_path(url->u.str) || strlen(api_path(url->u.str)) < 6)
            return nv_json_error_at(err, NV_EPARSE, d->text, d->len, d->name,
                                    url->off, "\"url\" is not an API url");
    }
    return NV_OK;
}

static enum nv_rc check_page(const struct nv_json_doc *d,
                             const struct nv_json *root,
                             const struct nv_json **results,
                             const struct nv_json **next, struct nv_err *err)
{
    enum nv_rc rc;

    if (root->type != NV_JSON_OBJECT)
        return nv_json_error_at(err, NV_EPARSE, d->text, d->len, d->name,
                                root->off, "an API page must be an object");
    rc = nv_json_member(d, root, "results", NV_JSON_ARRAY, 1, results, err);
    if (!rc)
        rc = nv_json_member(d, root, "next", NV_JSON_STRING, 0, next, err);
    return rc ? rc : check_results(d, *results, err);
}

static enum nv_rc add_name(struct nv_netbox *nb, const char *name,
                           struct nv_err *err)
{
    char *copy = nv_arena_strdup(&nb->arena, name);

    if (!copy || nv_array_reserve(&nb->pages, &nb->cap, nb->npages + 1,
                                  sizeof *nb->pages))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    nb->pages[nb->npages] = copy;
    return NV_OK;
}

enum nv_rc nv_netbox_add_page(struct nv_netbox *nb, const char *text,
                              size_t len, const char *name, const char **next,
                              struct nv_err *err)
{
    struct nv_json_doc d = {text, name, len};
    const struct nv_json *root, *results = NULL, *nx = NULL;
    struct nv_json *tree;
    enum nv_rc rc = nv_json_parse(text, len, name, &nb->arena, &tree, err);

    if (rc)
        return rc;
    root = tree;
    rc = check_page(&d, root, &results, &nx, err);
    if (!rc && nb->all.n + results->len > MAX_RESULTS)
        rc = nv_err_at(err, NV_ELIMIT, name, 0, 0, "more than %zu API results",
                       MAX_RESULTS);
    if (!rc)
        rc = add_name(nb, name, err);
    if (!rc && file_results(nb, results, (uint32_t)nb->npages))
        rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    if (rc)
        return rc;
    nb->npages++;
    *next = nx ? nx->u.str : NULL;
    return NV_OK;
}

const struct nv_json *nb_resolve(const struct nv_netbox *nb,
                                 const struct nv_json *v)
{
    const char *path;
    int64_t i;

    if (!v || v->type != NV_JSON_OBJECT)
        return v;
    path = api_path(nb_str(v, "url"));
    i = path ? nv_strmap_get(&nb->byurl, path, strlen(path)) : -1;
    return i < 0 ? v : nb->all.v[i].v;
}

const struct nv_json *nb_ref(const struct nv_netbox *nb,
                             const struct nv_json *o, const char *key)
{
    const struct nv_json *v = nv_json_get(o, key);

    return v && v->type == NV_JSON_OBJECT ? nb_resolve(nb, v) : NULL;
}

const char *nb_str(const struct nv_json *o, const char *key)
{
    const struct nv_json *v = nv_json_get(o, key);

    return v && v->type == NV_JSON_STRING && v->len ? v->u.str : NULL;
}

const char *nb_id(const struct nv_json *o)
{
    const struct nv_json *v = nv_json_get(o, "id");

    if (!v || (v->type != NV_JSON_NUMBER && v->type != NV_JSON_STRING))
        return NULL;
    return v->len ? v->u.str : NULL;
}

const char *nb_choice(const struct nv_netbox *nb, const struct nv_json *o,
                      const char *key)
{
    const struct nv_json *v = nv_json_get(o, key);

    if (v && v->type == NV_JSON_STRING)
        return v->len ? v->u.str : NULL;
    v = nb_resolve(nb, v);
    if (!v || v->type != NV_JSON_OBJECT)
        return NULL;
    return nb_str(v, "value") ? nb_str(v, "value") : nb_str(v, "name");
}
