/*
 * resolve.h - which entity made an asset: vendor string -> entity.
 *
 * Inventories name vendors as each buyer typed them.  A vendor string is
 * resolved, in this order:
 *
 *   exact       equal to an entity's id, name or alias after light
 *               normalisation (case, blanks, punctuation);
 *   normalised  equal once legal forms are removed as well ("Juniper
 *               Networks" is "Juniper Networks, Inc.");
 *   catalogue   a maker of the built-in catalogue (catalogue.h), added
 *               to the model as an entity with the catalogue's id;
 *   list        a party of a restricted-party list (screen.h), by name;
 *   fuzzy       the screening matcher, above its match band.
 *
 * The first two and the catalogue are done by nv_model_finish; lists and
 * fuzzy matching by screening, through nv_resolve_with.  Every resolution
 * that is not exact is noted in the model (m->vres) with its method and
 * score, so that every report can say which strings were resolved how.
 * Policies and command-line group options resolve the names they are
 * given through the same functions.
 */
#ifndef NV_RESOLVE_H
#define NV_RESOLVE_H

#include "model/model.h"

/* "exact", "normalised", "catalogue", "list", "fuzzy", "review", "none". */
extern const char *const nv_resolve_method_names[NV_RESOLVE_COUNT];

/*
 * The normalised key of a vendor string: ASCII letters lowercased, every
 * run of characters other than letters and digits (ASCII or not) turned
 * into one blank, no blank at either end.  Writes at most size bytes with
 * the NUL; returns the length it needed.
 */
size_t nv_resolve_key(const char *s, char *out, size_t size);

/* The key with legal forms (Co., Ltd., Inc., GmbH, S.A. ...) removed,
 * except when the name is nothing else. */
size_t nv_resolve_legal_key(const char *s, char *out, size_t size);

/* Resolve every asset's vendor: exact, normalised, then the catalogue;
 * note each non-exact resolution, and each string left unresolved. */
enum nv_rc nv_resolve_model(struct nv_model *m, struct nv_err *err) NV_WUR;

/*
 * The entity of m that name s designates, without changing m: by exact
 * then normalised match on the entities' ids, names and aliases.
 * NV_NONE when none; *method (may be NULL) says how it matched.
 */
uint32_t nv_resolve_find(const struct nv_model *m, const char *s,
                         enum nv_resolve_method *method);

/* The catalogue row that name s designates (by id, name or alias,
 * exact or normalised), or -1. */
long nv_resolve_catalogue_row(const char *s);

/*
 * The entity of the catalogue row that name s designates, added to m
 * (with its parents) unless m already has an entity of that id or name.
 * *entity is NV_NONE when the catalogue does not know s.
 */
enum nv_rc nv_resolve_catalogue(struct nv_model *m, const char *s,
                                uint32_t *entity, struct nv_err *err) NV_WUR;

/*
 * Note how vendor string v resolved (replacing an earlier note of v).
 * matched is copied; candidate is the entity a review item would be.
 */
enum nv_rc nv_resolve_note(struct nv_model *m, const char *v, uint32_t entity,
                           enum nv_resolve_method method, double score,
                           const char *matched, struct nv_err *err) NV_WUR;

/* The note of vendor string v, or NULL. */
struct nv_vendor_res *nv_resolve_noted(const struct nv_model *m, const char *v);

/*
 * The names closest to s among the model's entity ids, names and aliases
 * and the catalogue's ids and aliases (by edit distance over their keys,
 * close enough to be a typo), as ids, ", "-separated, into out ("" when
 * none is close).
 */
void nv_resolve_suggest(const struct nv_model *m, const char *s, char *out,
                        size_t size);

/* The Levenshtein distance of a and b (at most 64 bytes are compared). */
size_t nv_resolve_distance(const char *a, const char *b);

/* Whether s is an ISO 3166 alpha-2 code, in any case; *out receives it
 * in upper case (3 bytes). */
int nv_resolve_country(const char *s, char out[3]);

/*
 * A resolver for vendor strings that earlier steps left unresolved: it
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
