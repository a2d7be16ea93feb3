/*
 * match.c - the token index, candidate search and the scorer.
 *
 * Index layout (all CSR, built in two passes: count, then fill):
 *   entry e  -> its tokens, as vocabulary ids (etok[eoff[e] ..])
 *   token t  -> the entries holding it (post[poff[t] ..])
 *   bigram   -> the name-word tokens holding it (tri[toff[h] ..]), h being
 *               a hash of the character bigram into NGRAM buckets
 * Scratch arrays sized by entries and tokens are reused across queries,
 * with epoch stamps instead of clearing.
 */
#include "screen/match.h"

#include "core/alloc.h"
#include "screen/acronym.h"
#include "screen/normalize.h"
#include "core/strmap.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NGRAM 4096          /* character bigram buckets */
#define MAX_CANDIDATES 4000 /* entries scored for one query */
#define FUZZY_MIN                                                              \
    6                    /* shorter words are matched exactly only:            \
                            "intel" is one letter from "inter" */
#define TOUCHED_MAX 8192 /* listed words sharing a bigram with a query word */
#define BRAND_DF 10      /* a brand is a rare word: "Aviation" is none */
#define FOLD_SIM 0.93f   /* another spelling: all else must agree */
#define FOLD_MIN                                                               \
    6                      /* shorter query words fold only for an OCR digit:  \
                              "bayer" is not "bajer", "gr0up" is "group" */
#define TYPO_SIM 0.92      /* one letter added, dropped or changed */
#define NUMBER_SIM 0.97    /* "31" for "31st": the same number */
#define TYPO_MIN 5         /* query words this short only lose a letter */
#define ORDER_COST 1e-6    /* per pair of words in the other order */
#define WEAK_WORD_CAP 0.85 /* see one_weak_word: a review */
#define PLACE_QUERY 0.05f  /* a place of the query: maybe its address */
#define COMMON_DF                                                              \
    3000 /* tokens in more entries do not find                                 \
            candidates on their own */

struct entry {
    uint32_t party;
    const char *name;
};

struct token {
    const char *text;
    uint32_t len, df;
    uint8_t kind;
    float weight;
};

struct nv_matcher {
    const struct nv_lists *l;
    struct nv_normalizer *nz;
    struct nv_arena arena;
    struct entry *e;
    uint32_t ne;
    uint32_t *eoff, *etok;
    double *ewsum; /* per entry: the weight of its tokens */
    struct token *tok;
    uint32_t ntok;
    size_t tokcap;
    struct nv_strmap vocab;
    struct nv_strmap fold;  /* folded spelling -> first token with it */
    struct nv_acronyms acr; /* defined by listed names: "... (CETC)" */
    uint32_t *fnext;        /* per token: next token of its folded spelling */
    uint32_t *poff, *post;
    uint32_t *toff, *tri;
    uint32_t *grp, *gnext;     /* per party: its group (the same company on
                                  several lists) and the next of it */
    uint8_t *gone;             /* per party: every listing of its group was
                                  removed from its list */
    uint32_t *stamp, epoch;    /* per entry: candidate this query */
    uint32_t *tstamp, *tcount; /* per token: bigram hits this query word */
    uint32_t tepoch;
    uint32_t *cand, ncand;
};

double nv_jaro_winkler(const char *a, size_t na, const char *b, size_t nb)
{
    unsigned char ma[64] = {0}, mb[64] = {0};
    size_t window, m = 0, t = 0, prefix = 0, k = 0;
    double jaro;

    if (na == 0 || nb == 0 || na > 64 || nb > 64)
        return na == nb && memcmp(a, b, na) == 0;
    window = (na > nb ? na : nb) / 2;
    window = window ? window - 1 : 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = i > window ? i - window : 0; j < nb && j <= i + window;
             j++)
            if (!mb[j] && a[i] == b[j]) {
                ma[i] = mb[j] = 1;
                m++;
                break;
            }
    if (!m)
        return 0;
    for (size_t i = 0; i < na; i++) {
        if (!ma[i])
            continue;
        while (!mb[k])
            k++;
        t += a[i] != b[k++];
    }
    jaro = ((double)m / na + (double)m / nb + (m - t / 2.0) / m) / 3;
    while (prefix < 4 && prefix < na && prefix < nb && a[prefix] == b[prefix])
        prefix++;
    return jaro + prefix * 0.1 * (1 - jaro);
}

enum nv_band nv_match_band(double score)
{
    return score >= NV_MATCH_BAND    ? NV_BAND_MATCH
           : score >= NV_REVIEW_BAND ? NV_BAND_REVIEW
                                     : NV_BAND_NONE;
}

static uint32_t gram_hash(const char *s)
{
    return ((uint32_t)(unsigned char)s[0] * 64 + (unsigned char)s[1]) % NGRAM;
}

static const float kind_factor[] = {1.0f, 0.25f, 0.05f, 0.2f, 0.2f};

/* The vocabulary id of a token, added if new (the map borrows the
 * arena copy of the text). */
static enum nv_rc vocab_id(struct nv_matcher *mt, const char *s, size_t n,
                           uint8_t kind, uint32_t *id)
{
    int64_t known = nv_strmap_get(&mt->vocab, s, n);
    char *copy;
    int found;

    if (known >= 0) {
        *id = (uint32_t)known;
        return NV_OK;
    }
    copy = nv_arena_strndup(&mt->arena, s, n);
    if (!copy ||
        nv_array_reserve(&mt->tok, &mt->tokcap, (size_t)mt->ntok + 1,
                         sizeof *mt->tok) ||
        nv_strmap_put(&mt->vocab, copy, n, mt->ntok, id, &found))
        return NV_ENOMEM;
    mt->tok[mt->ntok++] = (struct token){copy, (uint32_t)n, 0, kind, 0};
    return NV_OK;
}

/* Growable arrays of the index while it is built. */
struct building {
    size_t ecap, eoffcap, etokcap;
    uint32_t ntoks;
};

/* Index the name of a party as an entry; *nm receives its tokens (none
 * if it cannot be read). */
static enum nv_rc add_entry(struct nv_matcher *mt, struct building *b,
                            uint32_t party, const char *name,
                            struct nv_name *nm)
{
    enum nv_rc rc = nv_normalize(mt->nz, name, nm);

    if (rc || nm->n == 0) {
        nm->n = 0;
        return rc == NV_ENOMEM ? rc : NV_OK; /* unreadable names: skip */
    }
    if (nv_acronyms_add(&mt->acr, nm, NULL) ||
        nv_array_reserve(&mt->e, &b->ecap, (size_t)mt->ne + 1, sizeof *mt->e) ||
        nv_array_reserve(&mt->eoff, &b->eoffcap, (size_t)mt->ne + 2,
                         sizeof *mt->eoff) ||
        nv_array_reserve(&mt->etok, &b->etokcap, (size_t)b->ntoks + nm->n,
                         sizeof *mt->etok))
        return NV_ENOMEM;
    mt->e[mt->ne] = (struct entry){party, name};
    mt->eoff[mt->ne] = b->ntoks;
    for (int i = 0; i < nm->n && !rc; i++)
        rc = vocab_id(mt, nv_name_token(nm, i), nm->len[i], nm->kind[i],
                      &mt->etok[b->ntoks++]);
    mt->eoff[++mt->ne] = b->ntoks;
    return rc;
}

/* Names of one party may be a name and its acronym, either way round
 * ("China Electronics Technology Group Corporation" and "CETC"). */
static enum nv_rc pair_acronym(struct nv_matcher *mt, const struct nv_name *a,
                               const struct nv_name *b)
{
    enum nv_rc rc = nv_acronyms_add(&mt->acr, a, b);
    return rc ? rc : nv_acronyms_add(&mt->acr, b, a);
}

static enum nv_rc add_entries(struct nv_matcher *mt)
{
    struct building b = {0, 0, 0, 0};
    struct nv_name first, other;
    enum nv_rc rc = NV_OK;

    for (uint32_t p = 0; p < mt->l->n && !rc; p++) {
        const struct nv_party *pt = &mt->l->v[p];
        rc = add_entry(mt, &b, p, nv_party_match_name(pt), &first);
        for (uint32_t k = 0; k < pt->naliases && !rc; k++) {
            rc = add_entry(mt, &b, p, pt->aliases[k], &other);
            if (!rc)
                rc = pair_acronym(mt, &first, &other);
        }
    }
    if (!rc && !mt->eoff)
        rc = nv_array_reserve(&mt->eoff, &b.eoffcap, 1, sizeof *mt->eoff);
    return rc;
}

/* The vocabulary id of s[0..n), or NV_NONE. */
static uint32_t known(const struct nv_matcher *mt, const char *s, size_t n)
{
    int64_t id = nv_strmap_get(&mt->vocab, s, n);
    return id < 0 ? NV_NONE : (uint32_t)id;
}

/* Whether token i of nm, in parentheses, only repeats the name before
 * it: one of its words ("(Huawei)") or its initials ("(SMIC)"). */
static int short_form(const struct nv_name *nm, int i)
{
    char all[NV_NAME_TOKENS + 1], some[NV_NAME_TOKENS + 1];
    size_t na = 0, ns = 0;
    const char *t = nv_name_token(nm, i);

    for (int k = 0; k < nm->n; k++) {
        if (nm->segkind[nm->seg[k]] != NV_SEG_MAIN)
            continue;
        if (strcmp(nv_name_token(nm, k), t) == 0)
            return 1;
        all[na++] = nv_name_token(nm, k)[0];
        if (nm->kind[k] != NV_TOKEN_LEGAL)
            some[ns++] = nv_name_token(nm, k)[0];
    }
    all[na] = some[ns] = '\0';
    return strcmp(t, all) == 0 || strcmp(t, some) == 0;
}

/* The key of party p for grouping: the words of its primary name, legal
 * forms and short forms in parentheses aside, as vocabulary ids; *n
 * receives how many.  "Huawei Technologies (UK) Co., Ltd." keeps "uk". */
static enum nv_rc party_key(struct nv_matcher *mt, uint32_t p, uint32_t *key,
                            size_t *n)
{
    const struct nv_party *pt = &mt->l->v[p];
    struct nv_name nm;
    enum nv_rc rc = nv_normalize(mt->nz, nv_party_match_name(pt), &nm);

    *n = 0;
    for (int i = 0; !rc && i < nm.n; i++)
        if (nm.kind[i] != NV_TOKEN_LEGAL &&
            (nm.segkind[nm.seg[i]] == NV_SEG_MAIN || !short_form(&nm, i)))
            key[(*n)++] = known(mt, nv_name_token(&nm, i), nm.len[i]);
    return rc == NV_ENOMEM ? rc : NV_OK;
}

/* Put party p in the group of party g (p's whole ring joins g's). */
static void join_group(struct nv_matcher *mt, uint32_t p, uint32_t g)
{
    uint32_t next;

    for (uint32_t q = p;; q = mt->gnext[q]) {
        mt->grp[q] = g;
        if (mt->gnext[q] == p)
            break;
    }
    next = mt->gnext[g]; /* splice the two rings */
    mt->gnext[g] = mt->gnext[p];
    mt->gnext[p] = next;
}

/* The group of every party: parties whose primary names are the same
 * words (legal forms and parentheses aside) are one company listed
 * several times ("Huawei Technologies Co., Ltd. (Huawei)" on the Entity
 * List, "Huawei Technologies Company" on the FCC list); a branch ("...,
 * Chengdu") or an affiliate is another party. */
static enum nv_rc group_parties(struct nv_matcher *mt, struct nv_strmap *first)
{
    uint32_t key[NV_NAME_TOKENS];
    size_t n;
    enum nv_rc rc = NV_OK;

    mt->grp = nv_calloc((size_t)mt->l->n + 1, sizeof *mt->grp);
    mt->gnext = nv_calloc((size_t)mt->l->n + 1, sizeof *mt->gnext);
    if (!mt->grp || !mt->gnext)
        return NV_ENOMEM;
    for (uint32_t p = 0; p < mt->l->n; p++)
        mt->grp[p] = mt->gnext[p] = p;
    for (uint32_t p = 0; p < mt->l->n && !rc; p++) {
        uint32_t other;
        int found;
        char *copy;
        rc = party_key(mt, p, key, &n);
        if (rc || n == 0)
            continue;
        copy = nv_arena_alloc(&mt->arena, n * sizeof *key);
        if (!copy)
            return NV_ENOMEM;
        memcpy(copy, key, n * sizeof *key);
        if (nv_strmap_put(first, copy, n * sizeof *key, p, &other, &found))
            return NV_ENOMEM;
        if (found && mt->grp[other] != mt->grp[p])
            join_group(mt, p, mt->grp[other]);
    }
    return rc;
}

uint32_t nv_matcher_group(const struct nv_matcher *mt, uint32_t party)
{
    return mt->grp[party];
}

uint32_t nv_matcher_next_listing(const struct nv_matcher *mt, uint32_t party)
{
    return mt->gnext[party];
}

/* The listing of party p's group removed last, when every listing of the
 * group has been removed from its list; NULL while one is in force. */
static const struct nv_party *removed_group(const struct nv_matcher *mt,
                                            uint32_t p)
{
    const struct nv_party *last = &mt->l->v[p];
    uint32_t q = p;

    while ((q = nv_matcher_next_listing(mt, q)) != p && last->removed) {
        const struct nv_party *x = &mt->l->v[q];
        if (!x->removed || strcmp(x->removed, last->removed) > 0)
            last = x;
    }
    return last->removed ? last : NULL;
}

/* Which parties' groups no list holds any more. */
static enum nv_rc mark_removed(struct nv_matcher *mt)
{
    mt->gone = nv_calloc((size_t)mt->l->n + 1, sizeof *mt->gone);
    if (!mt->gone)
        return NV_ENOMEM;
    for (uint32_t p = 0; p < mt->l->n; p++)
        mt->gone[p] = removed_group(mt, p) != NULL;
    return NV_OK;
}

/* Document frequencies, weights and the postings of every token. */
static enum nv_rc index_tokens(struct nv_matcher *mt)
{
    uint32_t *next;

    mt->poff = nv_calloc((size_t)mt->ntok + 2, sizeof *mt->poff);
    mt->post = nv_calloc((size_t)mt->eoff[mt->ne] + 1, sizeof *mt->post);
    mt->ewsum = nv_calloc((size_t)mt->ne + 1, sizeof *mt->ewsum);
    next = nv_calloc((size_t)mt->ntok + 1, sizeof *next);
    if (!mt->poff || !mt->post || !mt->ewsum || !next) {
        nv_free(next);
        return NV_ENOMEM;
    }
    for (uint32_t e = 0; e < mt->ne; e++)
        for (uint32_t k = mt->eoff[e]; k < mt->eoff[e + 1]; k++)
            mt->tok[mt->etok[k]].df++;
    for (uint32_t t = 0; t < mt->ntok; t++) {
        struct token *tk = &mt->tok[t];
        tk->weight =
            kind_factor[tk->kind] * (float)log(1.0 + (double)mt->ne / tk->df);
        mt->poff[t + 1] = mt->poff[t] + tk->df;
        next[t] = mt->poff[t];
    }
    for (uint32_t e = 0; e < mt->ne; e++)
        for (uint32_t k = mt->eoff[e]; k < mt->eoff[e + 1]; k++) {
            mt->post[next[mt->etok[k]]++] = e;
            mt->ewsum[e] += mt->tok[mt->etok[k]].weight;
        }
    nv_free(next);
    return NV_OK;
}

static int foldable(const struct token *tk)
{
    return tk->len >= 4;
}

/* The folded spellings of the vocabulary, chained per key. */
static enum nv_rc index_folds(struct nv_matcher *mt)
{
    mt->fnext = nv_calloc((size_t)mt->ntok + 1, sizeof *mt->fnext);
    if (!mt->fnext)
        return NV_ENOMEM;
    for (uint32_t t = 0; t < mt->ntok; t++) {
        char key[64], *copy;
        size_t n;
        uint32_t first;
        int found;
        mt->fnext[t] = NV_NONE;
        if (!foldable(&mt->tok[t]))
            continue;
        n = nv_fold_key(mt->tok[t].text, mt->tok[t].len, key);
        copy = nv_arena_strndup(&mt->arena, key, n);
        if (!copy || nv_strmap_put(&mt->fold, copy, n, t, &first, &found))
            return NV_ENOMEM;
        if (found) { /* chain t after the first of its key */
            mt->fnext[t] = mt->fnext[first];
            mt->fnext[first] = t;
        }
    }
    return NV_OK;
}

/* Visit each trigram bucket of a token once: count (fill == 0) or fill. */
static void token_trigrams(struct nv_matcher *mt, uint32_t t, uint32_t *count,
                           uint32_t *fill)
{
    const struct token *tk = &mt->tok[t];
    uint32_t seen[64], nseen = 0;

    for (uint32_t i = 0; i + 2 <= tk->len && nseen < 64; i++) {
        uint32_t h = gram_hash(tk->text + i), k = 0;
        while (k < nseen && seen[k] != h)
            k++;
        if (k < nseen)
            continue;
        seen[nseen++] = h;
        if (fill)
            mt->tri[fill[h]++] = t;
        else
            count[h + 1]++;
    }
}

/* Listed words that a misspelt query word is looked for among: name
 * words and places ("Chegdu" is Chengdu). */
static int fuzzy_token(const struct token *tk)
{
    return (tk->kind == NV_TOKEN_NAME || tk->kind == NV_TOKEN_PLACE) &&
           tk->len >= TYPO_MIN + 1;
}

static enum nv_rc index_trigrams(struct nv_matcher *mt)
{
    uint32_t *fill = nv_calloc(NGRAM + 1, sizeof *fill);

    mt->toff = nv_calloc(NGRAM + 2, sizeof *mt->toff);
    if (!fill || !mt->toff) {
        nv_free(fill);
        return NV_ENOMEM;
    }
    for (uint32_t t = 0; t < mt->ntok; t++)
        if (fuzzy_token(&mt->tok[t]))
            token_trigrams(mt, t, mt->toff, NULL);
    for (uint32_t h = 0; h < NGRAM; h++)
        mt->toff[h + 1] += mt->toff[h];
    memcpy(fill, mt->toff, NGRAM * sizeof *fill);
    mt->tri = nv_calloc((size_t)mt->toff[NGRAM] + 1, sizeof *mt->tri);
    if (!mt->tri) {
        nv_free(fill);
        return NV_ENOMEM;
    }
    for (uint32_t t = 0; t < mt->ntok; t++)
        if (fuzzy_token(&mt->tok[t]))
            token_trigrams(mt, t, NULL, fill);
    nv_free(fill);
    return NV_OK;
}

void nv_matcher_free(struct nv_matcher *mt)
{
    if (!mt)
        return;
    nv_normalizer_free(mt->nz);
    nv_arena_release(&mt->arena);
    nv_strmap_release(&mt->vocab);
    nv_strmap_release(&mt->fold);
    nv_acronyms_release(&mt->acr);
    nv_free(mt->fnext);
    nv_free(mt->grp);
    nv_free(mt->gnext);
    nv_free(mt->gone);
    nv_free(mt->e);
    nv_free(mt->eoff);
    nv_free(mt->etok);
    nv_free(mt->ewsum);
    nv_free(mt->tok);
    nv_free(mt->poff);
    nv_free(mt->post);
    nv_free(mt->toff);
    nv_free(mt->tri);
    nv_free(mt->stamp);
    nv_free(mt->tstamp);
    nv_free(mt->tcount);
    nv_free(mt->cand);
    nv_free(mt);
}

enum nv_rc nv_matcher_new(const struct nv_lists *l, struct nv_matcher **out,
                          struct nv_err *err)
{
    struct nv_matcher *mt = nv_calloc(1, sizeof *mt);
    enum nv_rc rc = mt ? NV_OK : NV_ENOMEM;

    if (!rc) {
        mt->l = l;
        nv_arena_init(&mt->arena);
        nv_strmap_init(&mt->vocab);
        nv_strmap_init(&mt->fold);
        nv_acronyms_init(&mt->acr);
        mt->nz = nv_normalizer_new();
        rc = mt->nz ? add_entries(mt) : NV_ENOMEM;
    }
    if (!rc && mt->ne == 0)
        mt->eoff[0] = 0;
    if (!rc)
        rc = index_tokens(mt);
    if (!rc)
        rc = index_trigrams(mt);
    if (!rc)
        rc = index_folds(mt);
    if (!rc) {
        struct nv_strmap first;
        nv_strmap_init(&first);
        rc = group_parties(mt, &first);
        nv_strmap_release(&first);
    }
    if (!rc)
        rc = mark_removed(mt);
    if (!rc) {
        mt->stamp = nv_calloc((size_t)mt->ne + 1, sizeof *mt->stamp);
        mt->tstamp = nv_calloc((size_t)mt->ntok + 1, sizeof *mt->tstamp);
        mt->tcount = nv_calloc((size_t)mt->ntok + 1, sizeof *mt->tcount);
        mt->cand = nv_calloc(MAX_CANDIDATES, sizeof *mt->cand);
        if (!mt->stamp || !mt->tstamp || !mt->tcount || !mt->cand)
            rc = NV_ENOMEM;
    }
    if (rc) {
        nv_matcher_free(mt);
        return nv_err_set(err, rc, "cannot build the screening index: %s",
                          nv_strerror(rc));
    }
    *out = mt;
    return NV_OK;
}

/* ---- queries ---- */

#define MAX_CLOSE 16 /* listed words kept as close to one unknown word */

struct query {
    struct nv_name nm;
    uint32_t id[NV_NAME_TOKENS]; /* vocabulary id, or NV_NONE */
    float w[NV_NAME_TOKENS];
    float idf[NV_NAME_TOKENS]; /* log(1 + entries / entries holding it) */
    float total;
    int brand; /* the query's one name word, or -1 if it has none or more */
    /* For words not in the vocabulary: the listed words close to them. */
    uint32_t close[NV_NAME_TOKENS][MAX_CLOSE];
    float sim[NV_NAME_TOKENS][MAX_CLOSE];
    uint8_t nclose[NV_NAME_TOKENS];
};

static void add_postings(struct nv_matcher *mt, uint32_t t)
{
    for (uint32_t k = mt->poff[t];
         k < mt->poff[t + 1] && mt->ncand < MAX_CANDIDATES; k++) {
        uint32_t e = mt->post[k];
        if (mt->stamp[e] == mt->epoch)
            continue;
        mt->stamp[e] = mt->epoch;
        mt->cand[mt->ncand++] = e;
    }
}

/* Keep listed word t as close to query word qi with similarity sim: in
 * a free place, or instead of the least similar when full.  Whether it
 * was kept. */
static int add_close(struct query *q, int qi, uint32_t t, float sim)
{
    int worst = 0;

    if (q->nclose[qi] < MAX_CLOSE) {
        q->close[qi][q->nclose[qi]] = t;
        q->sim[qi][q->nclose[qi]++] = sim;
        return 1;
    }
    for (int c = 1; c < MAX_CLOSE; c++)
        if (q->sim[qi][c] < q->sim[qi][worst])
            worst = c;
    if (q->sim[qi][worst] >= sim)
        return 0;
    q->close[qi][worst] = t;
    q->sim[qi][worst] = sim;
    return 1;
}

/* Whether words a and b (lengths na, nb) end alike: the same last
 * letter, or the last two transposed.  A word that differs in its ending
 * is as likely another word ("Kenwood" is not "Kenwoo", "Swisscom" not
 * "Swissol"). */
static int same_ends(const char *a, size_t na, const char *b, size_t nb)
{
    return a[0] == b[0] && (a[na - 1] == b[nb - 1] ||
                            (na == nb && na > 2 && a[na - 1] == b[nb - 2] &&
                             a[na - 2] == b[nb - 1]));
}

/* Whether query word a, read from Cyrillic, ends in the Russian plural
 * (-ы, -и) where listed word b ends in the English one: "Platformy" is
 * "Platforms", translated back letter by letter. */
static int plural_ends(const char *a, size_t na, const char *b, size_t nb)
{
    return na >= FUZZY_MIN && a[0] == b[0] && b[nb - 1] == 's' &&
           (a[na - 1] == 'y' || a[na - 1] == 'i');
}

/* How like a typo of listed word b the query word a is, in [0, 1]: the
 * Jaro-Winkler similarity, or TYPO_SIM for one edit (Jaro-Winkler
 * forgives a transposition more than a letter changed in the middle of
 * a word: "avoation" is 0.88 from "aviation"); 0 when they do not start
 * and end alike (but for a plural read from Cyrillic).  A word of five letters
 * is one letter short of b at most ("exprt"): five letters changed are another
 * word ("intel" is not "inter"). */
static double typo_sim(const char *a, size_t na, const char *b, size_t nb,
                       int romanised)
{
    double j;

    if (!(same_ends(a, na, b, nb) ||
          (romanised && plural_ends(a, na, b, nb))) ||
        (na < FUZZY_MIN && nb != na + 1))
        return 0;
    j = nv_jaro_winkler(a, na, b, nb);
    if (j < TYPO_SIM && nv_edit_distance(a, na, b, nb) <= 1)
        j = TYPO_SIM;
    return j;
}

/* Vocabulary tokens close to a query word: those sharing two fifths of
 * its character bigrams (a transposition, "hauwei", keeps that many),
 * then checked by Jaro-Winkler. */
static void fuzzy_candidates(struct nv_matcher *mt, struct query *q, int qi)
{
    const char *s = nv_name_token(&q->nm, qi);
    size_t n = q->nm.len[qi];
    uint32_t touched[TOUCHED_MAX], nt = 0,
                                   ngrams = n >= 2 ? (uint32_t)n - 1 : 0;

    mt->tepoch++; /* bigram counts are per query word */
    for (uint32_t i = 0; i + 2 <= n; i++) {
        uint32_t h = gram_hash(s + i);
        for (uint32_t k = mt->toff[h]; k < mt->toff[h + 1]; k++) {
            uint32_t t = mt->tri[k];
            if (mt->tstamp[t] != mt->tepoch) {
                mt->tstamp[t] = mt->tepoch;
                mt->tcount[t] = 0;
                if (nt < TOUCHED_MAX)
                    touched[nt++] = t;
            }
            mt->tcount[t]++;
        }
    }
    for (uint32_t i = 0; i < nt; i++) {
        const struct token *tk = &mt->tok[touched[i]];
        double j;
        if (5 * mt->tcount[touched[i]] < 2 * ngrams || tk->df > COMMON_DF ||
            tk->len + 1 < n || n + 1 < tk->len)
            continue; /* few bigrams shared, too common, or another word */
        j = typo_sim(s, n, tk->text, tk->len, q->nm.romanised);
        if (j >= NV_MATCH_BAND)
            add_close(q, qi, touched[i], (float)j);
    }
    for (int c = 0; c < q->nclose[qi]; c++) /* the closest ones only */
        add_postings(mt, q->close[qi][c]);
}

/* A listed word or a word of the tables: its vocabulary id (NV_NONE if
 * no list uses it), its kind and its spelling; 0 if neither. */
struct word {
    uint32_t id;
    uint8_t kind;
    const char *s;
    size_t n;
};

static int lookup(const struct nv_matcher *mt, const char *s, size_t n,
                  struct word *w)
{
    const char *canon;

    if (nv_normalizer_stopword(s, n)) {
        /* a stopword run into a word ("andImporters", "Bicentenariodel") */
        *w = (struct word){NV_NONE, NV_TOKEN_LEGAL, "", 0};
        return 1;
    }
    w->id = known(mt, s, n);
    w->s = s;
    w->n = n;
    if (w->id != NV_NONE) {
        w->kind = mt->tok[w->id].kind;
        return 1;
    }
    if (!nv_normalizer_word(mt->nz, s, n, &canon, &w->kind))
        return 0;
    w->s = canon;
    w->n = strlen(canon);
    w->id = known(mt, w->s, w->n);
    return 1;
}

/* The word that tokens i and i+1 of nm make together, as written
 * ("Elec tronics", though "elec" is the token "electronics") or as
 * tokens; 0 if none.  both (128 bytes) holds the concatenation. */
static int together(const struct nv_matcher *mt, const struct nv_name *nm,
                    int i, char *both, struct word *w)
{
    for (int as_written = 1; as_written >= 0; as_written--) {
        const char *a = as_written ? nv_name_raw(nm, i) : nv_name_token(nm, i);
        const char *b =
            as_written ? nv_name_raw(nm, i + 1) : nv_name_token(nm, i + 1);
        size_t na = as_written ? nm->rawlen[i] : nm->len[i];
        size_t nb = as_written ? nm->rawlen[i + 1] : nm->len[i + 1];
        memcpy(both, a, na);
        memcpy(both + na, b, nb);
        if (lookup(mt, both, na + nb, w)) {
            if (w->s == both) /* a listed word: not the stack copy */
                w->s = mt->tok[w->id].text;
            return 1;
        }
        if (as_written &&
            nv_normalizer_word_like(mt->nz, both, na + nb, &w->s, &w->kind)) {
            w->n = strlen(w->s); /* "Nac ional": nacional is national */
            w->id = known(mt, w->s, w->n);
            return 1;
        }
    }
    return 0;
}

enum join { JOIN_NONE, JOIN_MEND, JOIN_MAYBE };

/* Whether tokens i and i+1 of nm are one word written apart ("Hik
 * Vision", "Corpora tion", "Elec tronics"): their concatenation is a
 * listed word or a word of the tables, and one half is unknown
 * (JOIN_MEND); a word of the tables from a name word and another ("Elec
 * tronics"; "Information Technology" are two words).  JOIN_MAYBE when
 * both halves are listed words, one a name word, neither a legal form
 * ("Co PA" is not Copa): "Sber Bank" is Sberbank and a listed alias SBER
 * BANK, "Sky One" a listed name and Skyone; the name is screened both
 * ways. */
static enum join joined(const struct nv_matcher *mt, const struct nv_name *nm,
                        int i, struct word *w)
{
    char both[128];
    struct word wa, wb;

    if (nm->seg[i] != nm->seg[i + 1] || nm->len[i] < 2 || nm->len[i + 1] < 2 ||
        !together(mt, nm, i, both, w))
        return JOIN_NONE;
    if (!lookup(mt, nv_name_raw(nm, i), nm->rawlen[i], &wa) ||
        !lookup(mt, nv_name_raw(nm, i + 1), nm->rawlen[i + 1], &wb))
        return JOIN_MEND;
    if (w->kind != NV_TOKEN_NAME) /* "Elec tronics": not two table words */
        return wa.kind == NV_TOKEN_NAME || wb.kind == NV_TOKEN_NAME;
    if ((wa.kind != NV_TOKEN_NAME && wb.kind != NV_TOKEN_NAME) ||
        wa.kind == NV_TOKEN_LEGAL || wb.kind == NV_TOKEN_LEGAL)
        return JOIN_NONE;
    return JOIN_MAYBE;
}

/* Whether a half of a split word can stand alone: a word of the tables
 * ("inc", "and"), a number ("360"), or a name word of three letters or
 * more.  (A split may still be wrong, "huawai" is not "hua wai": the
 * name is screened unsplit too.) */
static int half_ok(const struct word *w, const char *s, size_t n)
{
    return w->kind != NV_TOKEN_NAME || w->id == NV_NONE || n >= 3 ||
           (s[0] >= '0' && s[0] <= '9');
}

/* Where to split an unknown word into two known ones ("skygulf" -> "sky
 * gulf", "holdinglimited"), one of them a name word or both words of
 * the tables; 0 if nowhere.  wa and wb receive the halves. */
static size_t split_at(const struct nv_matcher *mt, const char *s, size_t n,
                       struct word *wa, struct word *wb)
{
    size_t best = 0, bestmin = 0;
    struct word a, b;

    if (n < 6 || lookup(mt, s, n, &a))
        return 0;
    for (size_t k = 2; k + 2 <= n; k++) {
        size_t shorter = k < n - k ? k : n - k;
        if (shorter <= bestmin || !lookup(mt, s, k, &a) ||
            !lookup(mt, s + k, n - k, &b) || !half_ok(&a, s, k) ||
            !half_ok(&b, s + k, n - k) ||
            (a.kind == NV_TOKEN_NAME && b.kind == NV_TOKEN_NAME &&
             (k < 3 || n - k < 3)))
            continue;
        best = k;
        bestmin = shorter;
        *wa = a;
        *wb = b;
    }
    return best;
}

/* The query's words with words written apart joined (with maybe set,
 * the doubtful ones too), and unknown words that are two known ones run
 * together split. */
static void rejoin(const struct nv_matcher *mt, const struct nv_name *in,
                   int maybe, struct nv_name *out)
{
    out->n = 0;
    out->nseg = in->nseg;
    out->romanised = in->romanised;
    memcpy(out->segkind, in->segkind, sizeof out->segkind);
    for (int i = 0; i < in->n; i++) {
        const char *s = nv_name_token(in, i);
        struct word w = {NV_NONE, 0, NULL, 0}, wb = w;
        enum join j = i + 1 < in->n ? joined(mt, in, i, &w) : JOIN_NONE;
        if (j == JOIN_MEND || (maybe && j == JOIN_MAYBE)) {
            nv_name_add(out, w.s, w.n, w.kind, in->seg[i]);
            i++;
        } else if (split_at(mt, s, in->len[i], &w, &wb)) {
            nv_name_add(out, w.s, w.n, w.kind, in->seg[i]);
            nv_name_add(out, wb.s, wb.n, wb.kind, in->seg[i]);
        } else
            nv_name_add(out, s, in->len[i], in->kind[i], in->seg[i]);
    }
}

/* Weight of query token i: as listed, except that a place or a number
 * that no list uses (an address) weighs little. */
static float query_weight(const struct query *q, int i)
{
    const char *s = nv_name_token(&q->nm, i);
    float w = q->idf[i];

    if (q->nm.kind[i] == NV_TOKEN_PLACE || q->nm.kind[i] == NV_TOKEN_ADDRESS)
        return PLACE_QUERY * w;
    if (q->id[i] == NV_NONE && s[0] >= '0' && s[0] <= '9')
        return PLACE_QUERY * w;
    return kind_factor[q->nm.kind[i]] * w;
}

/* The query q for the tokens of nm in mask. */
static void read_query(const struct nv_matcher *mt, const struct nv_name *nm,
                       uint64_t mask, struct query *q)
{
    int names = 0;

    q->nm.n = 0;
    q->nm.nseg = nm->nseg;
    q->nm.romanised = nm->romanised;
    memcpy(q->nm.segkind, nm->segkind, sizeof q->nm.segkind);
    for (int i = 0; i < nm->n; i++)
        if (mask >> i & 1)
            nv_name_add(&q->nm, nv_name_token(nm, i), nm->len[i], nm->kind[i],
                        nm->seg[i]);
    q->total = 0;
    q->brand = -1;
    for (int i = 0; i < q->nm.n; i++)
        if (q->nm.kind[i] == NV_TOKEN_NAME) {
            names++;
            q->brand = i;
        }
    if (names != 1)
        q->brand = -1;
    for (int i = 0; i < q->nm.n; i++) {
        uint32_t df;
        q->id[i] = known(mt, nv_name_token(&q->nm, i), q->nm.len[i]);
        df = q->id[i] == NV_NONE ? 1 : mt->tok[q->id[i]].df;
        q->idf[i] = (float)log(1.0 + (double)mt->ne / df);
        q->w[i] = query_weight(q, i);
        q->total += q->w[i];
    }
}

/* Listed words that fold to the same key as query word qi (another
 * romanisation, an OCR confusion) are close to it.  A short Latin word
 * (four or five letters, no digit) only meets listed words of about its
 * length: its folded key is too loose ("Elisa" and "Ellissa" both fold
 * to eisa) to bridge doubled letters as well. */
static void fold_candidates(struct nv_matcher *mt, struct query *q, int qi)
{
    const char *s = nv_name_token(&q->nm, qi);
    size_t len = q->nm.len[qi], n;
    int loose = len >= FOLD_MIN || q->nm.romanised || strpbrk(s, "0158");
    char key[64];
    int64_t first;

    if (len < 4)
        return;
    n = nv_fold_key(s, len, key);
    first = nv_strmap_get(&mt->fold, key, n);
    for (uint32_t t = first < 0 ? NV_NONE : (uint32_t)first;
         t != NV_NONE && q->nclose[qi] < MAX_CLOSE; t = mt->fnext[t]) {
        if (t == q->id[qi] ||
            (!loose && (mt->tok[t].len > len + 1 || mt->tok[t].len + 1 < len)))
            continue;
        q->close[qi][q->nclose[qi]] = t;
        q->sim[qi][q->nclose[qi]++] = FOLD_SIM;
        if (mt->tok[t].kind == NV_TOKEN_NAME && mt->tok[t].df <= COMMON_DF)
            add_postings(mt, t);
    }
}

/* Listed words that an unknown query word is with one OCR confusion
 * undone ("SlMON" is simon, "AlR" air, "LAC5" lacs) are close to it:
 * short words too, which the folded keys leave alone. */
static void ocr_candidates(struct nv_matcher *mt, struct query *q, int qi)
{
    static const struct {
        const char *seen, *meant;
    } ocr[] = {{"l", "i"}, {"i", "l"}, {"1", "i"},  {"1", "l"},  {"0", "o"},
               {"5", "s"}, {"8", "b"}, {"rn", "m"}, {"m", "rn"}, {"vv", "w"}};
    const char *s = nv_name_token(&q->nm, qi);
    size_t n = q->nm.len[qi];
    char v[72];

    for (size_t i = 0; i < n && n < 64; i++)
        for (size_t r = 0; r < sizeof ocr / sizeof ocr[0]; r++) {
            size_t ks = strlen(ocr[r].seen), km = strlen(ocr[r].meant);
            uint32_t t;
            if (i + ks > n || memcmp(s + i, ocr[r].seen, ks) != 0)
                continue;
            memcpy(v, s, i);
            memcpy(v + i, ocr[r].meant, km);
            memcpy(v + i + km, s + i + ks, n - i - ks);
            t = known(mt, v, n - ks + km);
            if (t == NV_NONE || !add_close(q, qi, t, FOLD_SIM))
                continue;
            if (mt->tok[t].kind == NV_TOKEN_NAME && mt->tok[t].df <= COMMON_DF)
                add_postings(mt, t);
        }
}

/* A number of the query is close to the listed ordinal of it, and an
 * ordinal to the listed number ("703" to "703rd"): lists and inventories
 * write an institute's number both ways.  Each form keeps its own
 * rarity, so "711 Aircraft Repair Plant" stays apart from the 711th
 * Research Institute. */
static void number_candidates(struct nv_matcher *mt, struct query *q, int qi)
{
    char other[32];
    size_t n = nv_number_other(nv_name_token(&q->nm, qi), q->nm.len[qi], other);
    uint32_t t = n ? known(mt, other, n) : NV_NONE;

    if (t == NV_NONE || !add_close(q, qi, t, NUMBER_SIM))
        return;
    if (q->id[qi] == NV_NONE) { /* a listed number, not an address's */
        float w = kind_factor[NV_TOKEN_NAME] * q->idf[qi];
        q->total += w - q->w[qi];
        q->w[qi] = w;
    }
    if (mt->tok[t].df <= COMMON_DF)
        add_postings(mt, t);
}

/* Whether listed token t is in a candidate entry. */
static int in_candidates(const struct nv_matcher *mt, uint32_t t)
{
    if (mt->tok[t].df <= mt->ncand) {
        for (uint32_t k = mt->poff[t]; k < mt->poff[t + 1]; k++)
            if (mt->stamp[mt->post[k]] == mt->epoch)
                return 1;
        return 0;
    }
    for (uint32_t c = 0; c < mt->ncand; c++)
        for (uint32_t k = mt->eoff[mt->cand[c]]; k < mt->eoff[mt->cand[c] + 1];
             k++)
            if (mt->etok[k] == t)
                return 1;
    return 0;
}

/* A place of the query weighs little, as it may be its address; but a
 * place that a listed name found for the query holds too is a part of
 * names ("Huawei Thailand" is Huawei Technologies (Thailand), a company
 * of its own): it weighs as listed places do, against every candidate. */
static void weigh_places(const struct nv_matcher *mt, struct query *q)
{
    for (int i = 0; i < q->nm.n; i++)
        if (q->nm.kind[i] == NV_TOKEN_PLACE && q->id[i] != NV_NONE &&
            in_candidates(mt, q->id[i])) {
            float w = kind_factor[NV_TOKEN_PLACE] * q->idf[i];
            q->total += w - q->w[i];
            q->w[i] = w;
        }
}

/* Candidates: entries sharing a name word with the query (rare words
 * first would be better still; common ones are skipped), or a word close
 * to one of its name words. */
static void find_candidates(struct nv_matcher *mt, struct query *q)
{
    int names = 0;

    mt->epoch++;
    mt->ncand = 0;

    for (int i = 0; i < q->nm.n; i++)
        names += q->nm.kind[i] == NV_TOKEN_NAME;
    for (int i = 0; i < q->nm.n; i++) {
        /* Places and generic words find candidates only for names made
         * of them ("China Mobile", "International Investments
         * Holding"); legal forms never do. */
        int finder = q->nm.kind[i] == NV_TOKEN_NAME ||
                     (!names && (q->nm.kind[i] == NV_TOKEN_PLACE ||
                                 q->nm.kind[i] == NV_TOKEN_GENERIC));
        if (q->id[i] != NV_NONE && mt->tok[q->id[i]].df <= COMMON_DF && finder)
            add_postings(mt, q->id[i]);
        /* A listed word is not a misspelling: only unknown words are
         * looked for among their neighbours; but any word may be another
         * romanisation of a listed one. */
        q->nclose[i] = 0;
        if (q->nm.kind[i] == NV_TOKEN_NAME || q->nm.kind[i] == NV_TOKEN_GENERIC)
            fold_candidates(mt, q, i);
        if (q->nm.kind[i] == NV_TOKEN_NAME)
            number_candidates(mt, q, i);
        if (q->id[i] == NV_NONE && q->nm.kind[i] == NV_TOKEN_NAME)
            ocr_candidates(mt, q, i);
        if (q->id[i] == NV_NONE && q->nm.kind[i] == NV_TOKEN_NAME &&
            q->nm.len[i] >= TYPO_MIN)
            fuzzy_candidates(mt, q, i);
    }
    weigh_places(mt, q);
}

/* Lists in the order their hits are preferred when scores tie: the
 * Entity List and the telecom lists name the parties that matter here. */
static int list_rank(const char *list)
{
    static const char *const order[] = {"local", "us-entity-list",
                                        "fcc-covered", "ndaa-889", "dod-1260h"};
    for (int i = 0; i < (int)(sizeof order / sizeof order[0]); i++)
        if (strcmp(list, order[i]) == 0)
            return i;
    return 5;
}

struct alignment {
    int pair[NV_NAME_TOKENS]; /* entry token (relative) of each query
                                 token, or -1 */
    double sim[NV_NAME_TOKENS];
};

/* The unused entry token among et[0..n) closest to query word qi (one of
 * the listed words found close to it), or -1; *sim its similarity. */
static int closest(const struct query *q, int qi, const uint32_t *et,
                   uint32_t n, const unsigned char *used, double *sim)
{
    int best = -1;

    *sim = 0;
    for (uint32_t k = 0; k < n; k++)
        for (int c = 0; !used[k] && c < q->nclose[qi]; c++)
            if (q->close[qi][c] == et[k] && q->sim[qi][c] > *sim) {
                *sim = q->sim[qi][c];
                best = (int)k;
            }
    return best;
}

/* Whether entry token k is aligned with some query token. */
static int aligned(const struct alignment *al, const struct query *q,
                   uint32_t k)
{
    for (int i = 0; i < q->nm.n; i++)
        if (al->pair[i] == (int)k)
            return 1;
    return 0;
}

/*
 * An inventory often names a company by its brand alone: "Quectel" for
 * Quectel Wireless Solutions.  When the query is a single name word (and
 * legal forms), and it is the listed name's first name word, the listed
 * name's other words weigh a fifth, on the export-control and telecom
 * lists: on all lists, "Orange SA" would be Orange Volunteers and
 * "Leonardo SpA" a person.  (With two or more name words in the query,
 * no discount: "New H3C Technologies" is not New H3C Semiconductor.)
 * Returns what to take off the denominator.
 */
static double brand_discount(const struct nv_matcher *mt, const struct query *q,
                             uint32_t party, const uint32_t *et, uint32_t n,
                             const struct alignment *al)
{
    int brand = q->brand;
    uint32_t first = n;
    double off = 0;

    if (brand < 0)
        return 0;
    for (uint32_t k = 0; k < n && first == n; k++)
        if (mt->tok[et[k]].kind == NV_TOKEN_NAME)
            first = k;
    if (al->pair[brand] != (int)first || al->sim[brand] < 1 ||
        list_rank(mt->l->v[party].list) > 4 || mt->tok[et[first]].df > BRAND_DF)
        return 0;
    for (int i = 0; i < q->nm.n; i++)
        if (al->pair[i] < 0 && q->nm.kind[i] != NV_TOKEN_LEGAL)
            return 0; /* the query says more than the brand */
    for (uint32_t k = first + 1; k < n; k++)
        if (mt->tok[et[k]].kind != NV_TOKEN_LEGAL && !aligned(al, q, k))
            off += 0.8 * mt->tok[et[k]].weight;
    return off;
}

/* A place only the query names and a place only the listed name names
 * contradict each other ("Germany Air" is not "Iran Air"): the listed
 * name's place then weighs as a name word.  And when no name word aligns
 * (the listed name is generic words, "Semiconductor Manufacturing
 * International (SMIC)", or an alias is, "Information Technology"), a
 * place in the query's first segment tells another company ("Wuhan
 * Semiconductor Manufacturing"): that place weighs as a name word.  Returns
 * what to add to the denominator. */
static double place_conflict(const struct nv_matcher *mt, const struct query *q,
                             const uint32_t *et, uint32_t n,
                             const struct alignment *al)
{
    int theirs = 0, names = 0;
    double add = 0;

    for (uint32_t k = 0; k < n && !names; k++)
        names = mt->tok[et[k]].kind == NV_TOKEN_NAME && aligned(al, q, k);
    for (int i = 0; i < q->nm.n; i++)
        if (al->pair[i] < 0 && q->nm.kind[i] == NV_TOKEN_PLACE) {
            theirs = 1;
            if (!names && q->nm.seg[i] == 0)
                add += q->idf[i] - q->w[i];
        }
    for (uint32_t k = 0; theirs && k < n; k++)
        if (mt->tok[et[k]].kind == NV_TOKEN_PLACE && !aligned(al, q, k))
            add +=
                mt->tok[et[k]].weight * (1 / kind_factor[NV_TOKEN_PLACE] - 1);
    return add;
}

/* What makes the one word two names share too weak to tell a company. */
enum weak_word { WEAK_NONE, WEAK_SHORT, WEAK_COMMON };

/* Whether all the two names share of their name words and places is one
 * weak word.  A short word (three letters: "NEC") is many companies'
 * initials: weak while the listed name says more than the query does (a
 * word not aligned that is no legal form nor place), as "NEC
 * Corporation" is not NEC Engineers Private, or when the listed name is
 * only another name of its party, its short form, and the query says
 * more: "TCL Technology Group" is not the party whose alias is TCL (but
 * "BYD Group" is BYD Company Limited).  A listed name that is one common
 * word (in more than BRAND_DF listed names) and legal forms is weak when
 * the query says more: "United Technologies Corporation" is not United
 * Company OJSC.  Such an alignment is for review at most.  (Two short
 * words together, "Yun Li Da", or one with a place, "Guangzhou GCI",
 * tell a company.) */
static enum weak_word one_weak_word(const struct nv_matcher *mt,
                                    const struct query *q, uint32_t e,
                                    const struct alignment *al)
{
    const uint32_t *et = mt->etok + mt->eoff[e];
    uint32_t n = mt->eoff[e + 1] - mt->eoff[e];
    const struct nv_party *p = &mt->l->v[mt->e[e].party];
    int shared = 0, more = 0, longer = 0, words = 0, common = 0, adds = 0;

    for (uint32_t k = 0; k < n; k++) {
        const struct token *tk = &mt->tok[et[k]];
        int a = aligned(al, q, k), word = tk->kind != NV_TOKEN_LEGAL;
        shared +=
            a && (tk->kind == NV_TOKEN_NAME || tk->kind == NV_TOKEN_PLACE);
        longer += a && tk->len > 3 && word;
        more +=
            !a && (tk->kind == NV_TOKEN_NAME || tk->kind == NV_TOKEN_GENERIC);
        words += word;
        common += a && tk->kind == NV_TOKEN_NAME && tk->df > BRAND_DF;
    }
    for (int i = 0; i < q->nm.n; i++)
        adds += al->pair[i] < 0 && (q->nm.kind[i] == NV_TOKEN_NAME ||
                                    q->nm.kind[i] == NV_TOKEN_GENERIC);
    if (mt->e[e].name != nv_party_match_name(p))
        more += adds; /* an alias: what the query adds */
    if (shared != 1)
        return WEAK_NONE;
    if (!longer && more)
        return WEAK_SHORT;
    return words == 1 && common && adds ? WEAK_COMMON : WEAK_NONE;
}

/* The pairs of aligned query tokens whose listed words come in the
 * other order.  Costing a hair each, they only decide between listed
 * names of the same words: "Jin Zhongda" is the party listed as "JIN,
 * ZHONGDA", not "ZHONGDA JIN". */
static int inversions(const struct query *q, const struct alignment *al)
{
    int n = 0;

    for (int i = 0; i < q->nm.n; i++)
        for (int j = i + 1; al->pair[i] >= 0 && j < q->nm.n; j++)
            n += al->pair[j] >= 0 && al->pair[j] < al->pair[i];
    return n;
}

/* Align the query's tokens with entry e's, one to one (equal tokens
 * first, then close name words), and score the alignment. */
static double align(const struct nv_matcher *mt, const struct query *q,
                    uint32_t e, struct alignment *al)
{
    const uint32_t *et = mt->etok + mt->eoff[e];
    uint32_t n = mt->eoff[e + 1] - mt->eoff[e];
    unsigned char used[NV_NAME_TOKENS] = {0};
    double num = 0, den = q->total + mt->ewsum[e], score;

    for (int i = 0; i < q->nm.n; i++) {
        al->pair[i] = -1;
        for (uint32_t k = 0; k < n && al->pair[i] < 0 && q->id[i] != NV_NONE;
             k++)
            if (!used[k] && q->id[i] == et[k]) {
                al->pair[i] = (int)k;
                al->sim[i] = 1;
                used[k] = 1;
            }
    }
    for (int i = 0; i < q->nm.n; i++) {
        if (al->pair[i] >= 0 || !q->nclose[i])
            continue;
        al->pair[i] = closest(q, i, et, n, used, &al->sim[i]);
        if (al->pair[i] >= 0)
            used[al->pair[i]] = 1;
    }
    for (int i = 0; i < q->nm.n; i++)
        if (al->pair[i] >= 0)
            num += al->sim[i] * (q->w[i] + mt->tok[et[al->pair[i]]].weight);
    den -= brand_discount(mt, q, mt->e[e].party, et, n, al);
    den += place_conflict(mt, q, et, n, al);
    score = den > 0 ? num / den - ORDER_COST * inversions(q, al) : 0;
    return score >= NV_MATCH_BAND && one_weak_word(mt, q, e, al) ? WEAK_WORD_CAP
                                                                 : score;
}

/* Append formatted text to out (size bytes, *len used), truncating. */
static void put(char *out, size_t size, size_t *len, const char *fmt, ...)
    NV_PRINTF(4, 5);

static void put(char *out, size_t size, size_t *len, const char *fmt, ...)
{
    va_list ap;

    if (*len >= size)
        return;
    va_start(ap, fmt);
    *len += (size_t)vsnprintf(out + *len, size - *len, fmt, ap);
    va_end(ap);
}

/* Text of len bytes put into out (size bytes) ends in "..." if it was cut
 * short. */
static void cut_off(char *out, size_t size, size_t len)
{
    if (len >= size && size > 4)
        memcpy(out + size - 4, "...", 4);
}

/* "huawei=huawei tech=tech hauwei~huawei(0.93); only in query: garden;
 * only in name: ltd" */
static void explain(const struct nv_matcher *mt, const struct query *q,
                    uint32_t e, const struct alignment *al, char *out,
                    size_t size)
{
    const uint32_t *et = mt->etok + mt->eoff[e];
    uint32_t n = mt->eoff[e + 1] - mt->eoff[e];
    unsigned char used[NV_NAME_TOKENS] = {0};
    size_t len = 0;
    enum weak_word weak;

    for (int i = 0; i < q->nm.n; i++)
        if (al->pair[i] >= 0) {
            used[al->pair[i]] = 1;
            if (al->sim[i] >= 1)
                put(out, size, &len, "%s%s", len ? " " : "",
                    nv_name_token(&q->nm, i));
            else
                put(out, size, &len, "%s%s~%s(%.2f)", len ? " " : "",
                    nv_name_token(&q->nm, i), mt->tok[et[al->pair[i]]].text,
                    al->sim[i]);
        }
    put(out, size, &len, "%s", len ? " aligned" : "nothing aligned");
    for (int i = 0, first = 1; i < q->nm.n; i++)
        if (al->pair[i] < 0) {
            put(out, size, &len, "%s%s", first ? "; only in query: " : " ",
                nv_name_token(&q->nm, i));
            first = 0;
        }
    for (uint32_t k = 0, first = 1; k < n; k++)
        if (!used[k]) {
            put(out, size, &len, "%s%s", first ? "; only in name: " : " ",
                mt->tok[et[k]].text);
            first = 0;
        }
    weak = one_weak_word(mt, q, e, al);
    if (weak != WEAK_NONE)
        put(out, size, &len, "; one %s word shared: a review at most",
            weak == WEAK_SHORT ? "short" : "common");
    cut_off(out, size, len);
}

/* Whether hit a (party pa) ranks before hit b (party pb): a match before
 * a party whose every listing was removed (a review at most), then higher
 * score, then a listing not removed, then a preferred list, then the
 * party with more names (the principal listing), then the shorter
 * primary name (no location). */
static int before(const struct nv_matcher *mt, double sa, uint32_t pa,
                  double sb, uint32_t pb)
{
    const struct nv_party *a = &mt->l->v[pa], *b = &mt->l->v[pb];
    int ra = list_rank(a->list), rb = list_rank(b->list);
    int ma = nv_match_band(sa) == NV_BAND_MATCH && !mt->gone[pa];
    int mb = nv_match_band(sb) == NV_BAND_MATCH && !mt->gone[pb];

    if (ma != mb) /* a match outranks a party no list holds any more */
        return ma;
    if (sa != sb)
        return sa > sb;
    if (!a->removed != !b->removed) /* a listing still in force */
        return !a->removed;
    if (ra != rb)
        return ra < rb;
    if (a->naliases != b->naliases) /* the principal listing has most */
        return a->naliases > b->naliases;
    return strlen(a->name) < strlen(b->name);
}

#define MAX_SUBQUERIES 8
#define SUBQUERY_PENALTY 0.02 /* the whole name, when it scores, wins */

/* The token sets of a name to screen: the whole name; its main segments
 * without what is in parentheses or after "formerly"; the main segments
 * up to each comma (a name followed by an address); and each part in
 * parentheses or after "formerly" alone (a short name, a former name).
 * Returns how many masks; each holds a word that is not a legal form. */
static int subqueries(const struct nv_name *nm, uint64_t *masks)
{
    uint64_t main = 0, prefix = 0, part[NV_NAME_SEGS] = {0};
    int n = 0;

    for (int i = 0; i < nm->n; i++) {
        part[nm->seg[i]] |= (uint64_t)1 << i;
        if (nm->segkind[nm->seg[i]] == NV_SEG_MAIN)
            main |= (uint64_t)1 << i;
    }
    masks[n++] = main | ~main; /* everything */
    masks[n++] = main;
    for (int s = 0; s + 1 < nm->nseg && n < MAX_SUBQUERIES; s++) {
        if (nm->segkind[s] == NV_SEG_MAIN)
            prefix |= part[s];
        if (nm->segkind[s] == NV_SEG_MAIN && prefix != main)
            masks[n++] = prefix;
        else if (nm->segkind[s] != NV_SEG_MAIN)
            masks[n++] = part[s];
    }
    if (nm->nseg && nm->segkind[nm->nseg - 1] != NV_SEG_MAIN &&
        n < MAX_SUBQUERIES)
        masks[n++] = part[nm->nseg - 1];
    return n;
}

/* Whether the tokens of nm in mask hold a word other than a legal form,
 * and are not the tokens of an earlier mask. */
static int worth(const struct nv_name *nm, const uint64_t *masks, int k)
{
    uint64_t all = nm->n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << nm->n) - 1;
    uint64_t m = masks[k] & all;

    for (int j = 0; j < k; j++)
        if ((masks[j] & all) == m)
            return 0;
    for (int i = 0; i < nm->n; i++)
        if ((m >> i & 1) && nm->kind[i] != NV_TOKEN_LEGAL)
            return 1;
    return 0;
}

#define MAX_FOUND 64

/* The hits kept so far: per hit, its entry and the sub-query that found
 * it; and the groups that a part of the name found at the review band
 * or above (not the whole name, not an acronym alone), whether or not
 * their hits are kept. */
struct found {
    uint32_t entry[MAX_FOUND];
    uint8_t sub[MAX_FOUND];
    uint32_t n, max;
    uint32_t rest[MAX_FOUND], nrest;
};

/* Keep the best entry per party, best first, at most f->max. */
static void keep_hit(const struct nv_matcher *mt, struct nv_match_hit *hits,
                     struct found *f, uint32_t e, double score, int sub)
{
    uint32_t party = mt->e[e].party, i = 0, n = f->n;

    while (i < n && mt->grp[hits[i].party] != mt->grp[party])
        i++;
    if (i < n && !before(mt, score, party, hits[i].score, hits[i].party))
        return; /* its group has as good a hit */
    if (i == n && n < f->max)
        f->n = ++n;
    else if (i == n &&
             !before(mt, score, party, hits[n - 1].score, hits[n - 1].party))
        return;
    else if (i == n)
        i = n - 1;
    for (; i > 0 &&
           before(mt, score, party, hits[i - 1].score, hits[i - 1].party);
         i--) {
        hits[i] = hits[i - 1];
        f->entry[i] = f->entry[i - 1];
        f->sub[i] = f->sub[i - 1];
    }
    hits[i].party = party;
    hits[i].score = score;
    f->entry[i] = e;
    f->sub[i] = (uint8_t)sub;
}

/* Whether segment g of nm is an address: it holds a word of a street
 * address ("Unit 7", "12 Lenina Street") or only places. */
static int address_segment(const struct nv_name *nm, int g)
{
    int other = 0;

    for (int i = 0; i < nm->n; i++) {
        if (nm->seg[i] != g)
            continue;
        if (nm->kind[i] == NV_TOKEN_ADDRESS)
            return 1;
        other |= nm->kind[i] != NV_TOKEN_PLACE && nm->kind[i] != NV_TOKEN_LEGAL;
    }
    return !other;
}

/* What screening only the tokens of nm in mask costs: nothing for the
 * whole name; a little for the name without its parentheses or former
 * name; and for a name cut at a comma, also half the share of the
 * weight of the listed words it leaves out, addresses aside ("X
 * Corporation, 724th Research Institute" is not X Corporation; "X, 5
 * Qianmo Road" is X). */
static double penalty(const struct nv_matcher *mt, const struct nv_name *nm,
                      const uint64_t *masks, int k)
{
    double all = 0, left = 0;

    if (k < 2 || (masks[k] & ~masks[1]))
        return k ? SUBQUERY_PENALTY : 0; /* whole, or not a prefix */
    for (int i = 0; i < nm->n; i++) {
        uint32_t id = known(mt, nv_name_token(nm, i), nm->len[i]);
        double w = id == NV_NONE ? 0 : mt->tok[id].weight;
        if (!(masks[1] >> i & 1))
            continue; /* not in the main segments */
        all += w;
        if (!(masks[k] >> i & 1) && !address_segment(nm, nm->seg[i]))
            left += w;
    }
    return SUBQUERY_PENALTY + (all > 0 ? 0.5 * left / all : 0);
}

/* Whether a part of the name found the group of entry e; if not and
 * add, record that it did. */
static int found_group(const struct nv_matcher *mt, struct found *f, uint32_t e,
                       int add)
{
    uint32_t g = mt->grp[mt->e[e].party];

    for (uint32_t i = 0; i < f->nrest; i++)
        if (f->rest[i] == g)
            return 1;
    if (add && f->nrest < MAX_FOUND)
        f->rest[f->nrest++] = g;
    return 0;
}

/* Score every candidate of one sub-query, keeping the best per party.
 * A part that is one word in parentheses (an acronym: "(HTS)") only
 * confirms a party that the rest of the name found (not the whole name,
 * which holds the acronym: "Shanghai Aircraft Manufacturing (SAM)" is
 * not the party whose alias is SAM): alone it could be
 * anybody's. */
static void screen_sub(struct nv_matcher *mt, struct query *q, int sub,
                       double penalty, struct nv_match_hit *hits,
                       struct found *f)
{
    struct alignment al;
    int confirm = sub % MAX_SUBQUERIES >= 2 && q->nm.n == 1 &&
                  q->nm.segkind[q->nm.seg[0]] == NV_SEG_PAREN;

    find_candidates(mt, q);
    for (uint32_t c = 0; c < mt->ncand; c++) {
        double score = align(mt, q, mt->cand[c], &al) - penalty;
        if (score < NV_REVIEW_BAND ||
            (confirm && !found_group(mt, f, mt->cand[c], 0)))
            continue;
        if (!confirm && sub % MAX_SUBQUERIES)
            found_group(mt, f, mt->cand[c], 1);
        keep_hit(mt, hits, f, mt->cand[c], score, sub);
    }
}

/* Whether two names have the same tokens. */
static int same_tokens(const struct nv_name *a, const struct nv_name *b)
{
    if (a->n != b->n)
        return 0;
    for (int i = 0; i < a->n; i++)
        if (a->len[i] != b->len[i] ||
            memcmp(nv_name_token(a, i), nv_name_token(b, i), a->len[i]) != 0)
            return 0;
    return 1;
}

/* A name is screened in up to four versions, each party keeping its
 * best: mended (joins, splits), as read, mended with the doubtful joins
 * too, and as read with the expansions of listed acronyms contracted
 * ("15th Research Institute of China Electronics Technology Group
 * Corporation" as "... of CETC"). */
#define VERSIONS 4
#define CONTRACTED 3 /* the version with acronyms for expansions */
/* What the contracted version costs: the name as written, when it scores
 * as well, explains itself. */
#define CONTRACT_COST 0.005

/* A party no list holds any more is a review at most, and says so first:
 * the analyst decides what a past listing means for a supplier. */
static void cap_removed(const struct nv_matcher *mt, struct nv_match_hit *h)
{
    const struct nv_party *gone;
    char was[NV_MATCH_EXPLAIN];

    if (!mt->gone[h->party] || !(gone = removed_group(mt, h->party)))
        return;
    if (h->band == NV_BAND_MATCH)
        h->band = NV_BAND_REVIEW;
    size_t len = 0;
    memcpy(was, h->explain, sizeof was);
    put(h->explain, sizeof h->explain, &len,
        "no longer listed: removed from %s on %s, a review at most; %s",
        gone->list, gone->removed, was);
    cut_off(h->explain, sizeof h->explain, len);
}

/* A hit of the name with acronyms read for their expansions says so. */
static void say_contracted(struct nv_match_hit *h)
{
    size_t len = strlen(h->explain);

    put(h->explain, sizeof h->explain, &len,
        "; a listed acronym read for its expansion");
    cut_off(h->explain, sizeof h->explain, len);
}

/* Fill in the hits kept: the name that matched, the band and how the
 * words aligned, reading each sub-query that found some once. */
static void explain_hits(struct nv_matcher *mt, const struct nv_name *nm,
                         uint64_t (*masks)[MAX_SUBQUERIES],
                         const struct found *f, struct nv_match_hit *hits)
{
    struct query q;
    struct alignment al;
    uint64_t done = 0; /* the sub-queries read */

    for (uint32_t i = 0; i < f->n; i++) {
        int v = f->sub[i] / MAX_SUBQUERIES, k = f->sub[i] % MAX_SUBQUERIES;
        if (done >> f->sub[i] & 1)
            continue;
        done |= (uint64_t)1 << f->sub[i];
        read_query(mt, &nm[v], masks[v][k], &q);
        find_candidates(mt, &q);
        for (uint32_t j = i; j < f->n; j++) {
            if (f->sub[j] != f->sub[i])
                continue;
            align(mt, &q, f->entry[j], &al);
            hits[j].matched = mt->e[f->entry[j]].name;
            hits[j].band = nv_match_band(hits[j].score);
            explain(mt, &q, f->entry[j], &al, hits[j].explain,
                    sizeof hits[j].explain);
            if (v == CONTRACTED)
                say_contracted(&hits[j]);
            cap_removed(mt, &hits[j]);
        }
    }
}

enum nv_rc nv_matcher_screen(struct nv_matcher *mt, const char *name,
                             struct nv_match_hit *hits, uint32_t max,
                             uint32_t *n, struct nv_err *err)
{
    struct query q;
    struct nv_name nm[VERSIONS];
    struct found f = {{0}, {0}, 0, max > MAX_FOUND ? MAX_FOUND : max, {0}, 0};
    uint64_t masks[VERSIONS][MAX_SUBQUERIES];
    enum nv_rc rc = nv_normalize(mt->nz, name, &nm[1]);
    int nmasks[VERSIONS] = {0}, contracted;

    *n = 0;
    if (rc)
        return nv_err_set(err, rc, "cannot read the name: %s", nv_strerror(rc));
    rejoin(mt, &nm[1], 0, &nm[0]);
    rejoin(mt, &nm[1], 1, &nm[2]);
    contracted = nv_acronyms_contract(&mt->acr, &nm[1], &nm[CONTRACTED]);
    for (int v = 0; v < VERSIONS; v++) {
        if ((v >= 1 && v <= 2 && same_tokens(&nm[v], &nm[0])) ||
            (v == 2 && same_tokens(&nm[2], &nm[1])) ||
            (v == CONTRACTED && !contracted))
            continue; /* screened already, or no other version */
        nmasks[v] = subqueries(&nm[v], masks[v]);
        for (int k = 0; k < nmasks[v] && f.max; k++)
            if (worth(&nm[v], masks[v], k)) {
                read_query(mt, &nm[v], masks[v][k], &q);
                screen_sub(mt, &q, v * MAX_SUBQUERIES + k,
                           penalty(mt, &nm[v], masks[v], k) +
                               (v == CONTRACTED ? CONTRACT_COST : 0),
                           hits, &f);
            }
    }
    explain_hits(mt, nm, masks, &f, hits);
    *n = f.n;
    return NV_OK;
}
