/*
 * evaluated.h - what `verify` and `update --against` share: the signed
 * manifest of an evaluated build, opened with trusted keys, and the
 * comparison of an image with it.
 */
#ifndef NV_EVALUATED_H
#define NV_EVALUATED_H

#include "cmd/cli.h"
#include "integrity/manifest.h"

struct nv_key;

/* The signed manifest at path, checked against keys[0..nkeys): its
 * statement into m; *valid receives how many trusted signatures held. */
enum nv_rc nv_cli_open_manifest(const char *path,
                                const struct nv_key *const *keys, size_t nkeys,
                                struct nv_manifest *m, size_t *valid,
                                struct nv_err *err) NV_WUR;

/*
 * Whether image is, file for file, the build that the manifest at path
 * (signed by a key of trust) describes: NV_EXIT_OK when it is,
 * NV_EXIT_FINDINGS when it differs (*differences says in how many files
 * or issues), another exit status after printing why it could not be
 * checked.
 */
int nv_cli_is_evaluated(const char *image, const char *manifest,
                        const struct nv_strlist *trust, size_t *differences);

#endif
