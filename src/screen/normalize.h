/*
 * normalize.h - vendor and party names reduced to comparable tokens.
 *
 * "HUAWEI TECHNOLOGIES CO.,LTD", "Huawei Tech. Co" and "华为技术有限公司"
 * all become the tokens huawei, tech, co, ltd.  Steps: Unicode NFKC, case
 * folding and accent stripping (utf8proc); other scripts to Latin
 * (translit.h), with Han syllables merged into words and common Chinese
 * words translated; splitting on anything but letters and digits;
 * spelling variants and abbreviations mapped to one form; and each token
 * classed as a name word, a generic word (company, group, network ...),
 * a legal form (co, ltd, gmbh ...) or a place (usa, beijing ...), which
 * weigh less when matching: "Hikvision USA" is Hikvision's.
 * The tables are data in normalize.c.
 */
#ifndef NV_NORMALIZE_H
#define NV_NORMALIZE_H

#include "core/err.h"

#include <stdint.h>

#define NV_NAME_TOKENS 40
#define NV_NAME_TEXT 640
#define NV_NAME_SEGS 16

enum nv_token_kind {
    NV_TOKEN_NAME,
    NV_TOKEN_GENERIC,
    NV_TOKEN_LEGAL,
    NV_TOKEN_PLACE,
    NV_TOKEN_ADDRESS /* a word of a street address: road, unit, box ... */
};

/* Segments of a name: commas and semicolons separate main segments
 * ("Acme Ltd, Dubai"); parentheses hold another ("Acme (AMC)"), and a
 * former name follows "formerly", "f.k.a." ... */
enum nv_seg_kind { NV_SEG_MAIN, NV_SEG_PAREN, NV_SEG_FORMER };

struct nv_name {
    char text[NV_NAME_TEXT];      /* the tokens, each NUL-terminated */
    uint16_t off[NV_NAME_TOKENS]; /* where token i starts in text */
    uint8_t len[NV_NAME_TOKENS];
    uint16_t raw[NV_NAME_TOKENS]; /* where token i as written starts */
    uint8_t rawlen[NV_NAME_TOKENS];
    uint8_t kind[NV_NAME_TOKENS];  /* enum nv_token_kind */
    uint8_t seg[NV_NAME_TOKENS];   /* segment of token i */
    uint8_t segkind[NV_NAME_SEGS]; /* enum nv_seg_kind of each segment */
    int n, nseg;
    int romanised; /* written in another script (Cyrillic, Greek, Arabic
                      ...): each word is a romanisation */
};

struct nv_normalizer;

/* A normalizer (it holds a transliterator); NULL when out of memory or
 * when ICU cannot transliterate. */
struct nv_normalizer *nv_normalizer_new(void);

void nv_normalizer_free(struct nv_normalizer *nz);

/*
 * The tokens of the UTF-8 name s.  Tokens beyond NV_NAME_TOKENS or text
 * beyond NV_NAME_TEXT are dropped (names are short; inputs are not
 * trusted).  NV_EPARSE when s is not UTF-8.
 */
enum nv_rc nv_normalize(struct nv_normalizer *nz, const char *s,
                        struct nv_name *out) NV_WUR;

/* Whether s[0..n) is a word of the tables (legal form, generic word,
 * place); if so its one spelling and its kind. */
int nv_normalizer_word(const struct nv_normalizer *nz, const char *s, size_t n,
                       const char **canonical, uint8_t *kind);

/* Whether s[0..n), no word of the tables, is one written otherwise
 * (digits for letters, another romanisation, a typo: "nacional" is
 * national); if so its one spelling and its kind. */
int nv_normalizer_word_like(const struct nv_normalizer *nz, const char *s,
                            size_t n, const char **canonical, uint8_t *kind);

/* Whether s[0..n) is a word that names drop ("and", "of", "del" ...). */
int nv_normalizer_stopword(const char *s, size_t n);

/* Token i of a name, NUL-terminated. */
static inline const char *nv_name_token(const struct nv_name *nm, int i)
{
    return nm->text + nm->off[i];
}

/* Append token s[0..n) of the given kind and segment to nm; dropped when
 * nm is full. */
void nv_name_add(struct nv_name *nm, const char *s, size_t n, uint8_t kind,
                 uint8_t seg);

/* Record s[0..n) as the last token as written, when the tables gave it
 * another spelling ("Elec" is the token "electronics"): a word written
 * apart is joined from what was written ("Elec tronics").  Left as the
 * token when nm is full. */
void nv_name_set_raw(struct nv_name *nm, const char *s, size_t n);

/* Token i of a name as written, NUL-terminated. */
static inline const char *nv_name_raw(const struct nv_name *nm, int i)
{
    return nm->text + nm->raw[i];
}

/* The folded key of token s[0..n) (lower-case ASCII) into out (64
 * bytes); returns its length.  Spellings of one word in different
 * romanisations and OCR readings fold to one key: "Baykal" and "Bajkal"
 * are "baikai", "Micron" and "Mikron" "mikrom", "HUAWE1" and "huawei"
 * "huavei".  A token of digits only is left alone. */
size_t nv_fold_key(const char *s, size_t n, char *out);

/* The other way of writing the number token s[0..n) (lower-case ASCII)
 * into out (32 bytes): digits alone as their ordinal ("31" is "31st",
 * "12" "12th"), an ordinal as its digits ("703rd" is "703").  Lists write
 * one institute both ways ("CASIC 3rd Academy, 31 Research Institute").
 * Returns its length, or 0 if s is no number. */
size_t nv_number_other(const char *s, size_t n, char *out);

/* The optimal string alignment distance of a and b (edits and adjacent
 * transpositions); strings over 64 bytes are as far as their length. */
size_t nv_edit_distance(const char *a, size_t na, const char *b, size_t nb);

/* The tokens joined by blanks into out (size bytes). */
void nv_name_join(const struct nv_name *nm, char *out, size_t size);

#endif
