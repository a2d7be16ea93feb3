/*
 * policyfile.c - policy packs by file or by name.
 */
#include "cmd/policyfile.h"

#include "core/alloc.h"
#include "core/crypto.h"
#include "core/file.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The file of pack name: as given if it exists, else policies/NAME.nvp
 * here, else policies/NAME.nvp beside the executable, else where `make
 * install` puts the packs (../share/netvet/policies beside bin/). */
static void pack_path(const char *name, char *out, size_t size)
{
    char exe[4096];
    ssize_t n;
    char *slash;

    snprintf(out, size, "%s", name);
    if (access(out, R_OK) == 0)
        return;
    snprintf(out, size, "policies/%s.nvp", name);
    if (access(out, R_OK) == 0)
        return;
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    snprintf(out, size, "%s/policies/%s.nvp", exe, name);
    if (access(out, R_OK) == 0)
        return;
    snprintf(out, size, "%s/../share/netvet/policies/%s.nvp", exe, name);
    if (access(out, R_OK) != 0)
        snprintf(out, size, "%s", name);
}

/* Load packs into a new policy; when h is not NULL, hash each pack's
 * bytes into it. */
static int load_packs(const struct nv_cmd_spec *spec,
                      const struct nv_strlist *packs, struct nv_policy **p,
                      struct nv_sha256 *h)
{
    struct nv_err err = {0};
    enum nv_rc rc = NV_OK;

    nv_err_clear(&err);
    if (!packs->n)
        return nv_cli_usage_error(spec, "name at least one --policy PACK "
                                        "(uk-2020, eu-5g-toolbox, "
                                        "se-pts-2020, or a file)");
    *p = nv_policy_new();
    if (!*p)
        return NV_EXIT_INTERNAL;
    for (size_t i = 0; i < packs->n && !rc; i++) {
        char path[4200];
        struct nv_file f;
        pack_path(packs->items[i], path, sizeof path);
        rc = nv_file_read(&f, path, (size_t)1 << 20, &err);
        if (!rc) {
            rc = nv_policy_parse(*p, path, f.data, f.len, &err);
            if (h)
                nv_sha256_add(h, f.data, f.len);
            nv_file_release(&f);
        }
    }
    if (!rc)
        return NV_EXIT_OK;
    nv_policy_free(*p);
    *p = NULL;
    return nv_cli_fail(&err);
}

int nv_cli_load_policy(const struct nv_cmd_spec *spec,
                       const struct nv_strlist *packs, struct nv_policy **p)
{
    return load_packs(spec, packs, p, NULL);
}

int nv_cli_load_policy_digest(const struct nv_cmd_spec *spec,
                              const struct nv_strlist *packs,
                              struct nv_policy **p, char digest[NV_SHA256_HEX])
{
    unsigned char d[NV_SHA256_LEN];
    struct nv_sha256 *h = nv_sha256_new();
    int rc = h ? load_packs(spec, packs, p, h) : NV_EXIT_INTERNAL;

    if (h)
        nv_sha256_end(h, d);
    nv_sha256_free(h);
    nv_hex(d, sizeof d, digest);
    return rc;
}

int nv_cli_bind_policy(struct nv_policy *p, const struct nv_model *m,
                       int strict)
{
    struct nv_policy_warning *w = NULL;
    struct nv_err err = {0};
    uint32_t n = 0;

    nv_err_clear(&err);
    if (nv_policy_bind(p, m, &w, &n, &err))
        return nv_cli_fail(&err);
    for (uint32_t i = 0; i < n; i++)
        fprintf(stderr, "netvet: %s:%lu:%lu: %s: rule %s: %s\n", w[i].file,
                w[i].line, w[i].col, strict ? "error" : "warning", w[i].rule,
                w[i].msg);
    nv_free(w);
    return strict && n ? NV_EXIT_USAGE : NV_EXIT_OK;
}
