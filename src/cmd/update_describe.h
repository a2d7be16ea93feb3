/*
 * update_describe.h - the targets metadata of an update file, computed
 * from it (`netvet update --describe`).
 */
#ifndef NV_UPDATE_DESCRIBE_H
#define NV_UPDATE_DESCRIBE_H

#include "cmd/cli.h"

struct nv_update_describe {
    const char *file;     /* the update */
    const char *name;     /* its name in the metadata (default: basename) */
    const char *version;  /* the metadata version */
    const char *expires;  /* "YYYY-MM-DDTHH:MM:SSZ" */
    const char *hardware; /* the hardware it is for, or NULL */
};

/* Write the targets metadata of d->file to standard output: its length
 * and SHA-256 computed from the file.  An exit status. */
int nv_update_describe(const struct nv_cmd_spec *spec,
                       const struct nv_update_describe *d);

#endif
