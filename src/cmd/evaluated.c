/*
 * evaluated.c - opening an evaluated build's signed manifest and
 * comparing an image with it (evaluated.h).
 */
#include "cmd/evaluated.h"

#include "core/file.h"
#include "integrity/diff.h"
#include "integrity/dsse.h"
#include "integrity/image.h"
#include "integrity/statement.h"

#define MAX_TRUST 64

enum nv_rc nv_cli_open_manifest(const char *path,
                                const struct nv_key *const *keys, size_t nkeys,
                                struct nv_manifest *m, size_t *valid,
                                struct nv_err *err)
{
    struct nv_file f = {0};
    struct nv_dsse d = {0};
    enum nv_rc rc = nv_file_read(&f, path, (size_t)1 << 31, err);
    if (!rc)
        rc = nv_dsse_open(f.data, f.len, path, NV_STATEMENT_PAYLOAD_TYPE, keys,
                          nkeys, 1, &d, err);
    if (!rc)
        rc = nv_statement_read((const char *)d.payload, d.n, path, m, err);
    *valid = d.valid;
    nv_dsse_release(&d);
    nv_file_release(&f);
    return rc;
}

static int compare(const struct nv_manifest *want,
                   const struct nv_manifest *got, size_t *differences)
{
    struct nv_diff d;
    struct nv_err err = {0};

    nv_err_clear(&err);
    if (nv_diff_compute(want, got, &d, &err))
        return nv_cli_fail(&err);
    *differences = d.n + d.nissues;
    nv_diff_release(&d);
    return *differences ? NV_EXIT_FINDINGS : NV_EXIT_OK;
}

int nv_cli_is_evaluated(const char *image, const char *manifest,
                        const struct nv_strlist *trust, size_t *differences)
{
    struct nv_image_limits lim;
    struct nv_manifest want, got;
    struct nv_key *keys[MAX_TRUST];
    struct nv_err err = {0};
    size_t valid = 0, nkeys = 0;
    int rc = nv_cli_load_keys(trust, keys, MAX_TRUST, &nkeys);

    if (rc)
        return rc;
    nv_err_clear(&err);
    nv_image_limits_default(&lim);
    lim.progress = nv_cli_progress();
    nv_manifest_init(&want);
    nv_manifest_init(&got);
    if (nv_cli_open_manifest(manifest, (const struct nv_key *const *)keys,
                             nkeys, &want, &valid, &err) ||
        nv_image_read(image, &lim, &got, &err))
        rc = nv_cli_fail(&err);
    else
        rc = compare(&want, &got, differences);
    while (nkeys)
        nv_key_free(keys[--nkeys]);
    nv_manifest_release(&want);
    nv_manifest_release(&got);
    return rc;
}
