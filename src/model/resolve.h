/*
 * resolve.h - which entity made an asset: vendor string -> entity.
 *
 * Inventories name vendors as each buyer typed them.  Exact resolution
 * compares vendor strings with every entity's id, name and aliases after
 * light normalisation (case, blanks, punctuation).  Fuzzy screening against
 * restricted-party lists plugs in behind nv_resolve_with.
 */
#ifndef NV_RESOLVE_H
#define NV_RESOLVE_H

#include "model/model.h"

/*
 * The normalised key of a vendor string: ASCII letters lowercased, every
 * run of characters other than letters and digits (ASCII or not) turned
 * into one blank, no blank at either end.  Writes at most size bytes with
 * the NUL; returns the length it needed.
 */
size_t nv_resolve_key(const char *s, char *out, size_t size);

/* Resolve every asset's vendor by exact normalised match (first entity
 * wins when two share a name). */
enum nv_rc nv_resolve_exact(struct nv_model *m, struct nv_err *err) NV_WUR;

/*
 * A resolver for vendor strings that exact matching left unresolved: it
 * returns an entity index of m, which it may add to m (so it gets m
 * writable), or NV_NONE.
 */
typedef enum nv_rc (*nv_resolve_fn)(void *ctx, struct nv_model *m,
                                    const char *vendor, uint32_t *entity,
                                    struct nv_err *err);

/* Ask fn about each distinct unresolved vendor string, once. */
enum nv_rc nv_resolve_with(struct nv_model *m, nv_resolve_fn fn, void *ctx,
                           struct nv_err *err) NV_WUR;

#endif
