/*
 * assetdigest.c - the firmware digests a model records for its assets
 * against the image digest in an evaluated build's signed manifest
 * (assetdigest.h).  The manifest is trusted only once a --trust key's
 * signature on it holds.
 */
#include "cmd/assetdigest.h"

#include "cmd/evaluated.h"
#include "core/alloc.h"
#include "core/crypto.h"
#include "core/json.h"
#include "model/model.h"

#include <stdio.h>
#include <strings.h>

#define MAX_TRUST 64

enum verdict { MATCH, MISMATCH, NO_DIGEST };

static const char *const verdict_names[] = {"match", "mismatch", "no_digest"};

/* What is compared: the evaluated build, and the assets checked. */
struct digests {
    const struct nv_manifest *mf;
    const char *manifest;
    char image_hex[NV_SHA256_HEX];
    const struct nv_model *m;
    uint32_t *asset, n, mismatches;
};

/* Whether asset a is the build b: its model is the build's name and, when
 * both say, its version the build's version (in any case). */
static int is_build(const struct nv_asset *a, const struct nv_build_info *b)
{
    return a->model && b->name && strcasecmp(a->model, b->name) == 0 &&
           (!a->version || !b->version ||
            strcasecmp(a->version, b->version) == 0);
}

/* The assets to check: those named, else those that are the build. */
static int pick(const struct nv_cmd_spec *spec, const struct nv_digest_check *c,
                struct digests *d)
{
    const struct nv_model *m = d->m;

    d->asset = nv_calloc((size_t)NV_COUNT(m, NV_T_ASSET) + c->assets->n + 1,
                         sizeof *d->asset);
    if (!d->asset)
        return NV_EXIT_INTERNAL;
    for (size_t i = 0; i < c->assets->n; i++) {
        uint32_t a = nv_model_find(m, NV_T_ASSET, c->assets->items[i]);
        if (a == NV_NONE)
            return nv_cli_usage_error(spec, "the model has no asset '%s'",
                                      c->assets->items[i]);
        d->asset[d->n++] = a;
    }
    for (uint32_t a = 0; !c->assets->n && a < NV_COUNT(m, NV_T_ASSET); a++)
        if (is_build(&NV_ASSETS(m)[a], &d->mf->build))
            d->asset[d->n++] = a;
    return NV_EXIT_OK;
}

static enum verdict judge(const struct digests *d, uint32_t i)
{
    const struct nv_asset *a = &NV_ASSETS(d->m)[d->asset[i]];

    if (!a->sha256)
        return NO_DIGEST;
    return strcasecmp(a->sha256, d->image_hex) == 0 ? MATCH : MISMATCH;
}

static void print_text(const struct digests *d)
{
    const struct nv_build_info *b = &d->mf->build;

    printf("evaluated build %s %s (%s): image %s, sha256 %s\n",
           b->name ? b->name : "?", b->version ? b->version : "?", d->manifest,
           d->mf->image, d->image_hex);
    if (!d->n)
        printf("no asset of the model is this build (name them with "
               "--asset ID)\n");
    for (uint32_t i = 0; i < d->n; i++) {
        const struct nv_asset *a = &NV_ASSETS(d->m)[d->asset[i]];
        enum verdict v = judge(d, i);
        if (v == MISMATCH)
            printf("  mismatch   %s: the model says sha256 %s\n", a->id,
                   a->sha256);
        else
            printf("  %-10s %s\n", v == MATCH ? "match" : "no digest", a->id);
    }
    if (d->mismatches)
        printf("%u of %u assets do not run the evaluated image\n",
               d->mismatches, d->n);
}

static enum nv_rc print_json(const struct digests *d, struct nv_err *err)
{
    struct nv_jsonw *w = nv_jsonw_new(stdout, 1);
    enum nv_rc rc;

    if (!w)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    nv_jsonw_obj(w);
    nv_jsonw_version(w);
    nv_jsonw_key(w, "manifest");
    nv_jsonw_str(w, d->manifest);
    nv_jsonw_key(w, "build");
    nv_jsonw_str_or_null(w, d->mf->build.name);
    nv_jsonw_key(w, "version");
    nv_jsonw_str_or_null(w, d->mf->build.version);
    nv_jsonw_key(w, "image");
    nv_jsonw_str(w, d->mf->image);
    nv_jsonw_key(w, "image_sha256");
    nv_jsonw_str(w, d->image_hex);
    nv_jsonw_key(w, "assets");
    nv_jsonw_arr(w);
    for (uint32_t i = 0; i < d->n; i++) {
        const struct nv_asset *a = &NV_ASSETS(d->m)[d->asset[i]];
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "id");
        nv_jsonw_str(w, a->id);
        nv_jsonw_key(w, "sha256");
        nv_jsonw_str_or_null(w, a->sha256);
        nv_jsonw_key(w, "result");
        nv_jsonw_str(w, verdict_names[judge(d, i)]);
        nv_jsonw_obj_end(w);
    }
    nv_jsonw_arr_end(w);
    nv_jsonw_obj_end(w);
    rc = nv_jsonw_finish(w, err);
    nv_jsonw_free(w);
    return rc;
}

/* Compare and print, once the manifest is open and trusted. */
static int compare(const struct nv_cmd_spec *spec,
                   const struct nv_digest_check *c, struct digests *d)
{
    struct nv_model *m = NULL;
    struct nv_err err = {0};
    int rc = nv_cli_load_model(spec, c->models, NULL, &m);

    nv_err_clear(&err);
    d->m = m;
    if (!rc)
        rc = pick(spec, c, d);
    for (uint32_t i = 0; !rc && i < d->n; i++)
        d->mismatches += judge(d, i) == MISMATCH;
    if (!rc && c->json && print_json(d, &err))
        rc = nv_cli_fail(&err);
    else if (!rc && !c->json)
        print_text(d);
    if (!rc && d->mismatches)
        rc = NV_EXIT_FINDINGS;
    nv_free(d->asset);
    nv_model_free(m);
    return rc;
}

int nv_cli_check_digests(const struct nv_cmd_spec *spec,
                         const struct nv_digest_check *c)
{
    struct nv_key *keys[MAX_TRUST];
    struct nv_manifest mf;
    struct digests d = {&mf, c->manifest, {0}, NULL, NULL, 0, 0};
    struct nv_err err = {0};
    size_t nkeys = 0, valid = 0;
    int rc = nv_cli_load_keys(c->trust, keys, MAX_TRUST, &nkeys);

    if (rc)
        return rc;
    nv_err_clear(&err);
    nv_manifest_init(&mf);
    if (nv_cli_open_manifest(c->manifest, (const struct nv_key *const *)keys,
                             nkeys, &mf, &valid, &err))
        rc = nv_cli_fail(&err);
    else if (!mf.has_image_digest)
        rc = nv_cli_usage_error(spec,
                                "%s records no image digest: it was made "
                                "from a directory, not an image file",
                                c->manifest);
    else {
        nv_hex(mf.image_sha256, NV_SHA256_LEN, d.image_hex);
        rc = compare(spec, c, &d);
    }
    while (nkeys)
        nv_key_free(keys[--nkeys]);
    nv_manifest_release(&mf);
    return rc;
}
