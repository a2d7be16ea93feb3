/*
 * match.h - fuzzy screening of names against restricted-party lists.
 *
 * Every name and alias of every listed party is normalised (normalize.h)
 * and indexed by token, and each token's distinct character trigrams
 * index the vocabulary, so that misspelt tokens ("huawai") still find
 * their candidates.  A candidate's score in [0, 1] is the weighted share
 * of tokens, on both sides, that align one to one:
 *
 *   score = sum over aligned pairs of sim(q, e) * (w(q) + w(e))
 *           / (sum of w over the query's tokens + over the name's tokens)
 *
 * sim is 1 for equal tokens and, for a query word no list uses, the
 * Jaro-Winkler similarity to a close listed name word (at least 0.88,
 * both at least 6 letters, lengths within 1).  A token's weight w is its
 * inverse document frequency over all listed names, times 1 for name
 * words, 0.2 for places, 0.25 for generic words and 0.1 for legal forms.
 * A query that is a brand alone ("Quectel") is not marked down for the
 * rest of a listed technology company's name (see match.c).  A word on
 * either side that the other lacks therefore lowers the score, so a
 * sister company ("Huawei Device") scores below its own listing.  Bands:
 * match >= 0.88, review >= 0.70, else no match (docs/screening.md).
 */
#ifndef NV_MATCH_H
#define NV_MATCH_H

#include "screen/lists.h"

#define NV_MATCH_BAND 0.88
#define NV_REVIEW_BAND 0.70
#define NV_MATCH_EXPLAIN 320

enum nv_band { NV_BAND_NONE, NV_BAND_REVIEW, NV_BAND_MATCH };

struct nv_match_hit {
    uint32_t party;
    const char *matched; /* the name or alias that scored best */
    double score;
    enum nv_band band;
    char explain[NV_MATCH_EXPLAIN];
};

struct nv_matcher;

/* Index the parties of l (which must outlive the matcher). */
enum nv_rc nv_matcher_new(const struct nv_lists *l, struct nv_matcher **out,
                          struct nv_err *err) NV_WUR;

void nv_matcher_free(struct nv_matcher *mt);

/*
 * Screen one name: up to max hits at the review band or above, best
 * first, one per group of parties (below), into hits; *n receives how
 * many.
 */
enum nv_rc nv_matcher_screen(struct nv_matcher *mt, const char *name,
                             struct nv_match_hit *hits, uint32_t max,
                             uint32_t *n, struct nv_err *err) NV_WUR;

/*
 * The same company is often on several lists ("Huawei Technologies Co.,
 * Ltd." on the Entity List, "Huawei Technologies Company" on the FCC
 * Covered List): parties whose primary names are the same words (legal
 * forms aside), or one's primary name another's alias of two words or
 * more, form a group, and a screen gives one hit per group (its best
 * listing).  nv_matcher_group is a party's group id (one of its
 * parties); nv_matcher_next_listing the next party of its group, round
 * the ring back to party.
 */
uint32_t nv_matcher_group(const struct nv_matcher *mt, uint32_t party);
uint32_t nv_matcher_next_listing(const struct nv_matcher *mt, uint32_t party);

/* The Jaro-Winkler similarity of two strings, in [0, 1]. */
double nv_jaro_winkler(const char *a, size_t na, const char *b, size_t nb);

/* The band of a score. */
enum nv_band nv_match_band(double score);

#endif
