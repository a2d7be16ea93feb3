/*
 * policyfile.h - finding and loading policy packs for the commands that
 * take --policy.
 */
#ifndef NV_POLICYFILE_H
#define NV_POLICYFILE_H

#include "cmd/cli.h"
#include "core/crypto.h"
#include "policy/policy.h"

/* Load every pack named in packs (a file, or the name of a shipped pack
 * in policies/, next to the working directory or the executable) into a
 * new policy; print the error and return its exit code on failure. */
int nv_cli_load_policy(const struct nv_cmd_spec *spec,
                       const struct nv_strlist *packs, struct nv_policy **p);

/* As nv_cli_load_policy, and the SHA-256 of the packs' bytes, in order,
 * as hex into digest: what analysis results of this policy are kept
 * under. */
int nv_cli_load_policy_digest(const struct nv_cmd_spec *spec,
                              const struct nv_strlist *packs,
                              struct nv_policy **p, char digest[NV_SHA256_HEX]);

/* Bind p to m (nv_policy_bind) and print each reference that names
 * nothing as "netvet: FILE:LINE:COL: warning: rule ID: ..."; with strict,
 * any such reference is an error (exit status 2). */
struct nv_model;
int nv_cli_bind_policy(struct nv_policy *p, const struct nv_model *m,
                       int strict);

#endif
