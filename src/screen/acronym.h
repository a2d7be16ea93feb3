/*
 * acronym.h - the acronyms that listed names define, to read their
 * expansions in a query as the acronym.
 *
 * A list writes "China Electronics Technology Group Corporation (CETC)"
 * once and then "15th Research Institute of CETC"; an inventory writes
 * the company out in full.  Each listed name "NAME (ACR)" whose acronym
 * is an abbreviation of NAME defines ACR; a query holding NAME (its
 * words other than legal forms, in order) can then also be screened
 * with ACR in its place.
 */
#ifndef NV_ACRONYM_H
#define NV_ACRONYM_H

#include "core/arena.h"
#include "core/strmap.h"
#include "screen/normalize.h"

struct nv_acronyms {
    struct nv_arena a;       /* the expansions' keys and the acronyms */
    struct nv_strmap by;     /* expansion words "china elec tech group" ->
                                index into acr */
    struct nv_strmap by_acr; /* acronym -> its first expansion */
    const char **acr;        /* the acronym of each expansion */
    unsigned char *flag;     /* per expansion: ACR_* of acronym.c */
    size_t n, cap, flagcap;
    int longest; /* words of the longest expansion */
};

void nv_acronyms_init(struct nv_acronyms *t);
void nv_acronyms_release(struct nv_acronyms *t);

/* Record the acronym that a listed name defines, if it does: with alias
 * NULL, name's last segment, in parentheses after the name ("China
 * Electronics Technology Group Corporation (CETC)"); else alias, another
 * name of the same party, when it is one word.  The acronym is a name
 * word of 2 to 8 letters that is no word of the name; it starts with the
 * name's first letter, takes its other letters in order from the name's
 * words, and half of them or more where a word starts ("AVIC" of
 * "Aviation Industry Corporation of China", not "Infotec" of "Information
 * Technology Centre").  The expansion is the name's words other than
 * legal forms, 3 to 12 of them in one segment, a name word or a place
 * among them (generic words alone, "International Investments Holding",
 * are many companies' names).  The first acronym recorded for an
 * expansion keeps it, and an acronym recorded for two expansions is read
 * for neither. */
enum nv_rc nv_acronyms_add(struct nv_acronyms *t, const struct nv_name *name,
                           const struct nv_name *alias) NV_WUR;

/* Write into out the name in with each expansion of a recorded acronym,
 * and the legal forms right after it, replaced by the acronym (the
 * longest expansion first at each word).  Returns whether it replaced
 * any. */
int nv_acronyms_contract(const struct nv_acronyms *t, const struct nv_name *in,
                         struct nv_name *out);

#endif
