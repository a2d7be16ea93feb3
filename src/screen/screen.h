/*
 * screen.h - screening names, and a model's vendors, against lists.
 *
 * A screen is the loaded lists (lists.h) and their index (match.h).
 * Screening a model resolves the vendor strings that exact resolution
 * left unresolved: a match becomes an entity of the model (with its
 * parents, up to the ultimate one), designated as nv_screen_designation
 * says, so that exposure treats a listed subsidiary as its parent's.
 */
#ifndef NV_SCREEN_H
#define NV_SCREEN_H

#include "screen/lists.h"
#include "screen/match.h"
#include "model/model.h"

struct nv_progress;

struct nv_screen {
    struct nv_lists lists;
    struct nv_matcher *mt;
    int has_local; /* some party has a local designation */
    int strict;    /* fuzzy matches become review items, unresolved */
    struct nv_progress *progress; /* borrowed; ticked per name screened */
};

/* Load the list files and index them; release with nv_screen_close. */
enum nv_rc nv_screen_open(struct nv_screen *s, const char *const *paths,
                          size_t n, struct nv_err *err) NV_WUR;

void nv_screen_close(struct nv_screen *s);

/* The designation a hit on party i gives: a local list's designation for
 * a party whose name matches party i's, or its ultimate parent's, wins
 * over the one its list implies (lists.h). */
enum nv_designation nv_screen_designation(const struct nv_screen *s,
                                          uint32_t i);

/* The designation of party i's group (the same company on several
 * lists, match.h): a local designation of any of its listings wins;
 * else the most severe one its lists imply. */
enum nv_designation nv_screen_group_designation(const struct nv_screen *s,
                                                uint32_t i);

/* Resolve the unresolved vendors of m (finished) by screening; matched
 * parties become entities of m.  *matched counts the vendor strings that
 * matched. */
enum nv_rc nv_screen_model(struct nv_screen *s, struct nv_model *m,
                           uint32_t *matched, struct nv_err *err) NV_WUR;

#endif
