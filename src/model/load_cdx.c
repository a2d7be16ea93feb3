/*
 * load_cdx.c - CycloneDX 1.5 and 1.6 SBOMs (JSON).
 *
 * Components of type "device" or "firmware", at any depth, become assets:
 * id from bom-ref (else name@version), vendor from manufacturer.name (1.6),
 * else supplier.name, else publisher; model and version from name and
 * version; sha256 from the SHA-256 hash.  Properties place the asset:
 * "netvet:site", "netvet:layer" (default "edge") and "netvet:transit"
 * (default by layer, model.h).  Other components are not network
 * equipment and are skipped.
 */
#include "model/load_int.h"

#include <stdio.h>
#include <string.h>

struct cdx {
    struct nv_model *m;
    uint32_t src;
    const char *text;
    size_t len;
    struct nv_err *err;
};

static const char *str_of(const struct nv_json *v)
{
    return v && v->type == NV_JSON_STRING && v->len ? v->u.str : NULL;
}

static const char *org_name(const struct nv_json *c, const char *key)
{
    return str_of(nv_json_get(nv_json_get(c, key), "name"));
}

static const char *property(const struct nv_json *c, const char *name)
{
    const struct nv_json *props = nv_json_get(c, "properties");

    for (size_t i = 0; props && props->type == NV_JSON_ARRAY && i < props->len;
         i++) {
        const struct nv_json *p = &props->u.items[i];
        const char *n = str_of(nv_json_get(p, "name"));
        if (n && strcmp(n, name) == 0)
            return str_of(nv_json_get(p, "value"));
    }
    return NULL;
}

static const char *sha256_of(const struct nv_json *c)
{
    const struct nv_json *hashes = nv_json_get(c, "hashes");

    for (size_t i = 0;
         hashes && hashes->type == NV_JSON_ARRAY && i < hashes->len; i++) {
        const struct nv_json *h = &hashes->u.items[i];
        const char *alg = str_of(nv_json_get(h, "alg"));
        if (alg && strcmp(alg, "SHA-256") == 0)
            return str_of(nv_json_get(h, "content"));
    }
    return NULL;
}

static enum nv_rc add_asset(struct cdx *x, const struct nv_json *c,
                            const char *type)
{
    const char *name = str_of(nv_json_get(c, "name"));
    const char *version = str_of(nv_json_get(c, "version"));
    const char *vendor = org_name(c, "manufacturer");
    const char *layer = property(c, "netvet:layer");
    char id[512];
    const char *asset[] = {"id",      id,
                           "kind",    type,
                           "vendor",  NULL,
                           "model",   name,
                           "version", version,
                           "sha256",  sha256_of(c),
                           "layer",   layer ? layer : "edge",
                           "site",    property(c, "netvet:site"),
                           "transit", property(c, "netvet:transit"),
                           NULL};

    if (!name)
        return nv_json_error_at(x->err, NV_EPARSE, x->text, x->len,
                                x->m->sources[x->src], c->off,
                                "CycloneDX component without a name");
    if (!vendor)
        vendor = org_name(c, "supplier");
    if (!vendor)
        vendor = str_of(nv_json_get(c, "publisher"));
    asset[5] = vendor;
    if (str_of(nv_json_get(c, "bom-ref")))
        snprintf(id, sizeof id, "%s", str_of(nv_json_get(c, "bom-ref")));
    else
        snprintf(id, sizeof id, "%s@%s", name, version ? version : "");
    return nv_load_pairs(x->m, NV_T_ASSET, x->src, c->off, asset, x->err);
}

static enum nv_rc add_components(struct cdx *x, const struct nv_json *list)
{
    enum nv_rc rc = NV_OK;

    if (!list)
        return NV_OK;
    if (list->type != NV_JSON_ARRAY)
        return nv_json_error_at(x->err, NV_EPARSE, x->text, x->len,
                                x->m->sources[x->src], list->off,
                                "\"components\" must be an array");
    for (size_t i = 0; i < list->len && !rc; i++) {
        const struct nv_json *c = &list->u.items[i];
        const char *type = str_of(nv_json_get(c, "type"));
        if (type && (!strcmp(type, "device") || !strcmp(type, "firmware")))
            rc = add_asset(x, c, type);
        if (!rc)
            rc = add_components(x, nv_json_get(c, "components"));
    }
    return rc;
}

enum nv_rc nv_load_cyclonedx(struct nv_model *m, uint32_t src,
                             const struct nv_json *root, const char *text,
                             size_t len, struct nv_err *err)
{
    struct cdx x = {m, src, text, len, err};
    const char *format = str_of(nv_json_get(root, "bomFormat"));
    const char *spec = str_of(nv_json_get(root, "specVersion"));

    if (!format || strcmp(format, "CycloneDX") != 0 || !spec ||
        (strcmp(spec, "1.5") != 0 && strcmp(spec, "1.6") != 0))
        return nv_json_error_at(err, NV_EUNSUPPORTED, text, len,
                                m->sources[src], root->off,
                                "expected a CycloneDX 1.5 or 1.6 document");
    return add_components(&x, nv_json_get(root, "components"));
}
