/*
 * history.h - what `netvet diff` and `netvet store` share: opening a
 * store, naming a version of a model (model files, or a stored snapshot
 * as STORE@REF), and printing what changed between two versions.
 */
#ifndef NV_HISTORY_H
#define NV_HISTORY_H

#include "cmd/cli.h"
#include "core/crypto.h"
#include "model/model.h"
#include "policy/policy.h"
#include "store/store.h"

/* Open the store at path; print why not and return the exit code.  A
 * migration is reported on standard error. */
int nv_cli_open_store(const char *path, struct nv_store **s);

/* The model of the snapshot ref (store.h: an id, a prefix, last, prev)
 * of store s (at path), finished, and its id. */
int nv_cli_load_snapshot(struct nv_store *s, const char *path, const char *ref,
                         struct nv_model **m, char id[NV_SHA256_HEX]);

/* The models of snapshots refs[0..n) (n is 1 or 2), parsed at once on a
 * thread each, and their ids. */
int nv_cli_load_snapshots(struct nv_store *s, const char *path,
                          const char *const *refs, unsigned n,
                          struct nv_model **m, char (*ids)[NV_SHA256_HEX]);

/* One version named on the command line, as nv_cli_load_versions
 * reads each of its two. */
int nv_cli_load_version(const struct nv_cmd_spec *spec,
                        const struct nv_strlist *files, struct nv_model **m);

/*
 * The two versions named on the command line, parsed at once: each the
 * model files in files[i], or, when files[i] is one STORE@REF whose STORE
 * is an existing file and which is no file itself, that stored snapshot.
 */
int nv_cli_load_versions(const struct nv_cmd_spec *spec,
                         const struct nv_strlist files[2],
                         struct nv_model *m[2]);

struct nv_cli_diff {
    const char *old_name, *new_name; /* for the heading */
    const struct nv_policy *p;       /* NULL: no rules, no release */
    const char *date;                /* the day rules are checked for */
    int json;
};

/*
 * Compare a (old) and b (new): print the model's changes and the
 * findings they moved, as text or JSON.  NV_EXIT_FINDINGS when the
 * change made things worse (findings.h: nv_fdiff_worse), NV_EXIT_OK
 * when not, another exit code on failure.
 */
int nv_cli_diff(const struct nv_cli_diff *o, const struct nv_model *a,
                const struct nv_model *b);

/*
 * The posture of every snapshot of store s (at path), oldest first: each
 * row from the store's cache when this netvet computed it before for the
 * same policy (key: its digest) and date, else computed and kept.
 * *list and *rows (list->n of them) are the caller's: release with
 * nv_store_snapshots_release and nv_cli_posture_free.
 */
struct nv_posture;
struct nv_snapshots;
int nv_cli_posture(struct nv_store *s, const char *path,
                   const struct nv_policy *p, const char *key, const char *date,
                   struct nv_snapshots *list, struct nv_posture **rows);

void nv_cli_posture_free(struct nv_posture *rows, uint32_t n);

#endif
