/*
 * assetdigest.h - `netvet verify --model`: do the firmware digests that a
 * model records for its assets name the image a lab evaluated?
 */
#ifndef NV_ASSETDIGEST_H
#define NV_ASSETDIGEST_H

#include "cmd/cli.h"

struct nv_digest_check {
    const struct nv_strlist *models; /* the model's files */
    const struct nv_strlist *assets; /* ids to check; none: by build */
    const char *manifest;            /* the evaluated build's manifest */
    const struct nv_strlist *trust;  /* keys that may have signed it */
    int json;
};

/*
 * Compare the sha256 of each asset checked with the image digest of the
 * signed manifest and print the result.  The assets checked are those
 * named, or else those whose model and version are the manifest's build
 * name and version.  NV_EXIT_FINDINGS when an asset's digest differs,
 * NV_EXIT_OK when none does, another exit status after printing why it
 * could not be checked.
 */
int nv_cli_check_digests(const struct nv_cmd_spec *spec,
                         const struct nv_digest_check *c);

#endif
