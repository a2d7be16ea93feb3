/*
 * update_describe.c - `netvet update --describe FILE`: the targets
 * metadata of an update written from the file itself, its length and
 * SHA-256 computed, so that what is signed is never typed by hand.
 */
#include "cmd/update_describe.h"

#include "core/crypto.h"
#include "core/file.h"
#include "core/json.h"
#include "core/parse.h"
#include "integrity/update.h"

#include <stdio.h>
#include <string.h>

/* The largest update file described (as the check reads it). */
#define DESCRIBE_LIMIT ((size_t)4 << 30)

static int check_args(const struct nv_cmd_spec *spec,
                      const struct nv_update_describe *d, int64_t *version)
{
    int64_t t;

    if (!d->version ||
        nv_parse_i64(d->version, strlen(d->version), 0, INT64_MAX, version))
        return nv_cli_usage_error(spec, "--describe needs --version N (a "
                                        "whole number)");
    if (!d->expires || nv_update_parse_time(d->expires, strlen(d->expires), &t))
        return nv_cli_usage_error(spec, "--describe needs --expires TIME "
                                        "(YYYY-MM-DDTHH:MM:SSZ)");
    return NV_EXIT_OK;
}

static void write_meta(struct nv_jsonw *w, const struct nv_update_describe *d,
                       int64_t version, size_t length, const char *hex)
{
    const char *base =
        strrchr(d->file, '/') ? strrchr(d->file, '/') + 1 : d->file;

    nv_jsonw_obj(w);
    nv_jsonw_key(w, "_type");
    nv_jsonw_str(w, "targets");
    nv_jsonw_key(w, "spec");
    nv_jsonw_str(w, "netvet-update/1");
    nv_jsonw_key(w, "version");
    nv_jsonw_int(w, version);
    nv_jsonw_key(w, "expires");
    nv_jsonw_str(w, d->expires);
    nv_jsonw_key(w, "targets");
    nv_jsonw_obj(w);
    nv_jsonw_key(w, d->name ? d->name : base);
    nv_jsonw_obj(w);
    nv_jsonw_key(w, "length");
    nv_jsonw_int(w, (int64_t)length);
    nv_jsonw_key(w, "sha256");
    nv_jsonw_str(w, hex);
    if (d->hardware) {
        nv_jsonw_key(w, "hardware");
        nv_jsonw_arr(w);
        nv_jsonw_str(w, d->hardware);
        nv_jsonw_arr_end(w);
    }
    nv_jsonw_obj_end(w);
    nv_jsonw_obj_end(w);
    nv_jsonw_obj_end(w);
}

int nv_update_describe(const struct nv_cmd_spec *spec,
                       const struct nv_update_describe *d)
{
    unsigned char digest[NV_SHA256_LEN];
    char hex[NV_SHA256_HEX];
    struct nv_jsonw *w;
    struct nv_file f;
    struct nv_err err = {0};
    int64_t version;
    int rc = check_args(spec, d, &version);

    nv_err_clear(&err);
    if (rc)
        return rc;
    if (nv_file_read(&f, d->file, DESCRIBE_LIMIT, &err))
        return nv_cli_fail(&err);
    nv_sha256(f.data ? f.data : "", f.len, digest);
    nv_hex(digest, sizeof digest, hex);
    w = nv_jsonw_new(stdout, 0);
    if (!w) {
        nv_file_release(&f);
        return NV_EXIT_INTERNAL;
    }
    write_meta(w, d, version, f.len, hex);
    nv_file_release(&f);
    if (nv_jsonw_finish(w, &err))
        rc = nv_cli_fail(&err);
    nv_jsonw_free(w);
    return rc;
}
