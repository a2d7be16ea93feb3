/*
 * normalize.c - names to tokens, driven by the tables below.
 *
 * Invariant of struct nv_name: token i occupies text[off[i] ..
 * off[i] + len[i]) followed by a NUL, and no token is empty; its form as
 * written is text[raw[i] .. raw[i] + rawlen[i]), the token itself or a
 * copy after it.
 */
#include "screen/normalize.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/strmap.h"
#include "screen/translit.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct pair {
    const char *from, *to;
};

/* A word of the tables in data/screen/ (legal forms, generic words and
 * places, each row with its source): its one spelling and its class. */
struct table_word {
    const char *word, *canonical;
    uint8_t kind;
};

static const struct table_word table_words[] = {
#include "screen/tables.inc"
};

/* Words dropped altogether. */
static const char *const stopwords[] = {
    "and",   "of",  "the",   "de",    "des",   "du", "la",
    "le",    "del", "et",    "und",   "for",   "y",  "i",
    "imeni", "im",  "named", "after", "known", "a",  "an"};

/* Places of two words, written as one ("Abu Dhabi" is a place; "Abu"
 * alone may be a name). */
static const struct pair places2[] = {{"abu dhabi", "abudhabi"},
                                      {"hong kong", "hongkong"},
                                      {"new york", "newyork"},
                                      {"new delhi", "delhi"},
                                      {"st petersburg", "petersburg"},
                                      {"saint petersburg", "petersburg"},
                                      {"sankt peterburg", "petersburg"},
                                      {"ras khaimah", "khaimah"},
                                      {"nizhny novgorod", "novgorod"},
                                      {"united kingdom", "uk"},
                                      {"united states", "usa"},
                                      {"arab emirates", "uae"},
                                      {"united uae", "uae"},
                                      {"russian federation", "russia"},
                                      {"peoples republic", "prc"},
                                      {"south korea", "korea"},
                                      {"north korea", "korea"},
                                      {"saudi arabia", "ksa"},
                                      {"sri lanka", "lanka"}};

/* Words that start a former name: "X (formerly Y)", "X f.k.a. Y". */
static const char *const former[] = {"formerly", "fka", "previously",
                                     "aka",      "dba", "nee"};

/* Chinese words by their pinyin syllables, translated, so that Chinese
 * names meet their English forms; other syllables of a Han run are joined
 * into one word ("hua wei" -> "huawei"). */
static const struct pair chinese[] = {
    {"you xian gong si", "co ltd"},
    {"you xian ze ren gong si", "co ltd"},
    {"gong si", "co"},
    {"ji shu", "tech"},
    {"ke ji", "tech"},
    {"ji tuan", "group"},
    {"tong xin", "comm"},
    {"tong xun", "comm"},
    {"gu fen", "shares"},
    {"dian zi", "elec"},
    {"wang luo", "network"},
    {"she bei", "equipment"},
    {"xin xi", "info"},
    {"shu zi", "digital"},
    {"guo ji", "intl"},
    {"zhong guo", "china"},
    {"dian xin", "telecom"},
    {"yi dong", "mobile"},
    {"lian tong", "unicom"},
    {"yan jiu suo", "inst"},
    {"fen gong si", "branch"},
    {"kong gu", "holding"},
    {"shi ye", "industry"},
    {"zhong duan", "device"},
};

#define COUNT(a) (sizeof a / sizeof a[0])

struct nv_normalizer {
    struct nv_translit *tr;
    struct nv_strmap words;  /* word -> index in table_words */
    struct nv_strmap folded; /* folded word -> index in table_words */
    char *keys;              /* the folded keys, 64 bytes each */
    uint16_t *typo;          /* table words but places, by first letter */
    uint16_t typo_start[27]; /* where words of letter a, b ... start */
    struct nv_buf work;      /* the name as ASCII words */
    struct nv_buf han;       /* one Han run, transliterated */
    int romanised;           /* letters of another script were read */
};

/* The table words that a misspelt word may be (places aside: a place
 * misspelt is as likely another place), by first letter. */
static void index_typos(struct nv_normalizer *nz)
{
    uint16_t next[27] = {0};

    for (size_t i = 0; i < COUNT(table_words); i++) {
        unsigned c = (unsigned char)table_words[i].word[0] - 'a';
        if (c < 26 && table_words[i].kind != NV_TOKEN_PLACE)
            nz->typo_start[c + 1]++;
    }
    for (int c = 0; c < 26; c++) {
        nz->typo_start[c + 1] += nz->typo_start[c];
        next[c] = nz->typo_start[c];
    }
    for (size_t i = 0; i < COUNT(table_words); i++) {
        unsigned c = (unsigned char)table_words[i].word[0] - 'a';
        if (c < 26 && table_words[i].kind != NV_TOKEN_PLACE)
            nz->typo[next[c]++] = (uint16_t)i;
    }
}

/* The table words by spelling and by folded key (a word whose OCR
 * reading or romanisation differs, "lnstitute", "Compani", is found). */
static enum nv_rc index_words(struct nv_normalizer *nz)
{
    index_typos(nz);
    for (size_t i = 0; i < COUNT(table_words); i++) {
        const char *w = table_words[i].word;
        char *key = nz->keys + 64 * i;
        size_t n = nv_fold_key(w, strlen(w), key);
        uint32_t v;
        int found;
        if (nv_strmap_put(&nz->words, w, strlen(w), (uint32_t)i, &v, &found) ||
            nv_strmap_put(&nz->folded, key, n, (uint32_t)i, &v, &found))
            return NV_ENOMEM;
    }
    return NV_OK;
}

struct nv_normalizer *nv_normalizer_new(void)
{
    struct nv_normalizer *nz = nv_calloc(1, sizeof *nz);

    if (!nz)
        return NULL;
    nz->tr = nv_translit_new();
    if (!nz->tr) {
        nv_free(nz);
        return NULL;
    }
    nv_buf_init(&nz->work, 4 * NV_NAME_TEXT);
    nv_buf_init(&nz->han, 4 * NV_NAME_TEXT);
    nv_strmap_init(&nz->words);
    nv_strmap_init(&nz->folded);
    nz->keys = nv_malloc(COUNT(table_words) * 64);
    nz->typo = nv_calloc(COUNT(table_words), sizeof *nz->typo);
    if (!nz->keys || !nz->typo || index_words(nz)) {
        nv_normalizer_free(nz);
        return NULL;
    }
    return nz;
}

void nv_normalizer_free(struct nv_normalizer *nz)
{
    if (!nz)
        return;
    nv_translit_free(nz->tr);
    nv_strmap_release(&nz->words);
    nv_strmap_release(&nz->folded);
    nv_free(nz->keys);
    nv_free(nz->typo);
    nv_buf_release(&nz->work);
    nv_buf_release(&nz->han);
    nv_free(nz);
}

static int in_list(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0)
            return 1;
    return 0;
}

static int is_han(utf8proc_int32_t c)
{
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FA1F);
}

/* The bytes of nm->text in use. */
static size_t name_used(const struct nv_name *nm)
{
    size_t a, b;

    if (!nm->n)
        return 0;
    a = (size_t)nm->off[nm->n - 1] + nm->len[nm->n - 1];
    b = (size_t)nm->raw[nm->n - 1] + nm->rawlen[nm->n - 1];
    return (a > b ? a : b) + 1;
}

void nv_name_set_raw(struct nv_name *nm, const char *s, size_t n)
{
    size_t used = name_used(nm);

    if (!nm->n || n == 0 || n > 255 || used + n + 1 > NV_NAME_TEXT)
        return;
    nm->raw[nm->n - 1] = (uint16_t)used;
    nm->rawlen[nm->n - 1] = (uint8_t)n;
    memcpy(nm->text + used, s, n);
    nm->text[used + n] = '\0';
}

void nv_name_add(struct nv_name *nm, const char *s, size_t n, uint8_t kind,
                 uint8_t seg)
{
    size_t used = name_used(nm);

    if (n == 0 || n > 255 || nm->n == NV_NAME_TOKENS ||
        used + n + 1 > NV_NAME_TEXT)
        return;
    nm->off[nm->n] = nm->raw[nm->n] = (uint16_t)used;
    nm->len[nm->n] = nm->rawlen[nm->n] = (uint8_t)n;
    nm->kind[nm->n] = kind;
    nm->seg[nm->n] = seg;
    memcpy(nm->text + used, s, n);
    nm->text[used + n] = '\0';
    nm->n++;
}

/* The state of tokenising one name: which segment the next token is in,
 * and what kind of segment that is. */
struct splitter {
    struct nv_name *out;
    const struct nv_normalizer *nz;
    uint8_t seg;
    int paren; /* how deep inside parentheses */
};

static void new_segment(struct splitter *sp, uint8_t kind)
{
    struct nv_name *nm = sp->out;

    if (nm->n && nm->seg[nm->n - 1] == sp->seg && sp->seg + 1 < NV_NAME_SEGS)
        sp->seg++;
    nm->segkind[sp->seg] = kind;
    nm->nseg = sp->seg + 1;
}

size_t nv_edit_distance(const char *a, size_t na, const char *b, size_t nb)
{
    size_t d[3][65];

    if (na > 64 || nb > 64)
        return na > nb ? na : nb;
    for (size_t j = 0; j <= nb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t *cur = d[i % 3], *prev = d[(i - 1) % 3], *pp = d[(i + 1) % 3];
        cur[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t c = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < c)
                c = prev[j] + 1;
            if (cur[j - 1] + 1 < c)
                c = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && pp[j - 2] + 1 < c)
                c = pp[j - 2] + 1; /* a transposition */
            cur[j] = c;
        }
    }
    return d[na % 3][nb];
}

/* Whether s[0..n) is a one-letter typo of word w[0..k): only a long
 * word (six letters, or five of six with one dropped: "Cnter"), and not
 * at either end: a short word, or one that differs in its ending
 * ("Generale", "Electronica"), is as likely another word. */
static int typo_like(const char *w, size_t k, const char *s, size_t n)
{
    if ((n > k ? n : k) < 6 || n < 5 || s[0] != w[0] || k + 1 < n ||
        n + 1 < k ||
        (w[k - 1] != s[n - 1] &&
         !(k == n && w[k - 1] == s[n - 2] && w[k - 2] == s[n - 1])))
        return 0; /* another ending, not an end transposed */
    return nv_edit_distance(s, n, w, k) <= 1;
}

/* The generic word or legal form that the unknown word s[0..n) is a
 * one-letter typo of ("Electornics", "Technolgy"), or -1. */
static int64_t typo_of(const struct nv_normalizer *nz, const char *s, size_t n)
{
    unsigned c = (unsigned char)s[0] - 'a';

    for (size_t j = c < 26 ? nz->typo_start[c] : 0;
         c < 26 && j < nz->typo_start[c + 1]; j++) {
        const char *w = table_words[nz->typo[j]].word;
        if (typo_like(w, strlen(w), s, n))
            return (int64_t)nz->typo[j];
    }
    return -1;
}

/* Token s[0..n) with its digits read as the letters they are mistaken
 * for ("c0" is "co", "1td" "ltd") into fixed; whether it holds both. */
static int digits_as_letters(const char *s, size_t n, char *fixed)
{
    static const char from[] = "0158", to[] = "olsb";
    int letters = 0, digits = 0;

    for (size_t i = 0; i < n; i++) {
        const char *d = strchr(from, s[i]);
        letters += s[i] >= 'a' && s[i] <= 'z';
        digits += s[i] >= '0' && s[i] <= '9';
        fixed[i] = d && *d ? to[d - from] : s[i];
    }
    return letters && digits;
}

/* Whether token s[0..n) is word w[0..k) of a place of two words, as
 * written, with digits for letters or with a typo, as a table word is
 * read: "Russain Federation" and "Russian Federati0n" are the place
 * (alone, "federation" is no table word to be read so). */
static int place_word(const char *w, size_t k, const char *s, size_t n)
{
    char fixed[64];

    if (n + 1 < k || k + 1 < n || (s[0] != w[0] && (s[0] < '0' || s[0] > '9')))
        return 0; /* the common case, cheaply */
    if (n == k && memcmp(w, s, n) == 0)
        return 1;
    if (n == k && n < sizeof fixed && digits_as_letters(s, n, fixed) &&
        memcmp(w, fixed, n) == 0)
        return 1;
    return typo_like(w, k, s, n);
}

/* If the last token of nm and tok form a place of two words, make them
 * one place token, and that one with the token before it if they are a
 * place again ("United Arab Emirates": united, then arab emirates);
 * whether they did. */
static int place2(struct nv_name *nm, const char *tok, size_t n)
{
    const char *last = nv_name_token(nm, nm->n - 1);
    size_t nl = nm->len[nm->n - 1];

    for (size_t i = 0; i < COUNT(places2); i++) {
        const char *p = places2[i].from;
        size_t k = (size_t)(strchr(p, ' ') - p);
        if (!place_word(p, k, last, nl) ||
            !place_word(p + k + 1, strlen(p + k + 1), tok, n))
            continue;
        nm->n--;
        if (nm->n && nm->seg[nm->n - 1] == nm->seg[nm->n] &&
            place2(nm, places2[i].to, strlen(places2[i].to)))
            return 1;
        nv_name_add(nm, places2[i].to, strlen(places2[i].to), NV_TOKEN_PLACE,
                    nm->seg[nm->n]);
        return 1;
    }
    return 0;
}

/* Spellings that differ by romanisation or OCR fold to one key.
 * Multi-letter rules first (lookahead), then letter by letter; a doubled
 * letter of the result is written once.  BGN/PCGN writes Russian "дж"
 * (an English j) as "dzh", and "е" after a vowel or at the start as "ye":
 * "Dzhoint" is joint, "Nyerpa" Nerpa. */
static const struct {
    const char *from, *to;
} fold_rules[] = {{"shch", "sh"}, {"sch", "sh"}, {"tch", "ch"}, {"dzh", "i"},
                  {"kh", "h"},    {"zh", "z"},   {"ck", "k"},   {"ks", "x"},
                  {"cs", "x"},    {"ph", "f"},   {"tz", "ts"},  {"rn", "m"},
                  {"ye", "e"},    {"yo", "e"}};

/* The first letters of the rules above: other letters skip them. */
#define FOLD_FIRST "sctdkzpry"

/* Word endings written two ways, folded before the rules above: a final
 * Russian "-ов" or "-ев" in the old French and German style ("Smirnoff",
 * "Kalashnikoff"), and Russian loanwords against the English words they
 * come from ("servis" and "service", "pozitiv" and "positive"). */
static const struct {
    const char *from, *to;
} fold_endings[] = {{"off", "ov"}, {"eff", "ev"}, {"ice", "is"}, {"ive", "iv"}};

static char fold_letter(char c, char next)
{
    switch (c) {
    case '0':
        return 'o';
    case '1':
    case 'l':
    case 'y':
    case 'j':
        return 'i';
    case '5':
        return 's';
    case '8':
        return 'b';
    case 'w':
        return 'v';
    case 'q':
        return 'k';
    case 'c':
        return next == 'h' ? 'c' : 'k';
    default:
        return c;
    }
}

/* nv_fold_key once the ending is folded. */
static size_t fold_rest(const char *s, size_t n, char *out)
{
    size_t i = 0, len = 0, digits = 0;

    for (size_t k = 0; k < n; k++)
        digits += s[k] >= '0' && s[k] <= '9';
    while (i < n && len < 63) {
        const char *to = NULL;
        size_t r = 0;
        for (; digits < n && strchr(FOLD_FIRST, s[i]) &&
               r < sizeof fold_rules / sizeof fold_rules[0];
             r++) {
            size_t k = strlen(fold_rules[r].from);
            if (i + k <= n && memcmp(s + i, fold_rules[r].from, k) == 0) {
                to = fold_rules[r].to;
                i += k;
                break;
            }
        }
        for (; to && *to && len < 63; to++)
            if (!len || out[len - 1] != *to)
                out[len++] = *to;
        if (to)
            continue;
        char c =
            digits < n ? fold_letter(s[i], i + 1 < n ? s[i + 1] : 0) : s[i];
        if (!len || out[len - 1] != c)
            out[len++] = c;
        i++;
    }
    return len;
}

size_t nv_fold_key(const char *s, size_t n, char *out)
{
    char word[64];

    for (size_t r = 0; n < sizeof word && r < COUNT(fold_endings); r++) {
        size_t k = strlen(fold_endings[r].from), t = strlen(fold_endings[r].to);
        if (n < k + 3 || memcmp(s + n - k, fold_endings[r].from, k) != 0)
            continue;
        memcpy(word, s, n - k);
        memcpy(word + n - k, fold_endings[r].to, t);
        return fold_rest(word, n - k + t, out);
    }
    return fold_rest(s, n, out);
}

int nv_normalizer_stopword(const char *s, size_t n)
{
    for (size_t i = 0; n && i < COUNT(stopwords); i++)
        if (stopwords[i][0] == s[0] && strlen(stopwords[i]) == n &&
            memcmp(s, stopwords[i], n) == 0)
            return 1;
    return 0;
}

int nv_normalizer_word(const struct nv_normalizer *nz, const char *s, size_t n,
                       const char **canonical, uint8_t *kind)
{
    int64_t w = nv_strmap_get(&nz->words, s, n);

    if (w < 0)
        return 0;
    *canonical = table_words[w].canonical;
    *kind = table_words[w].kind;
    return 1;
}

/* The table word that token tok (n letters and digits) is with its
 * digits read as the letters they are mistaken for ("c0" is "co", "1td"
 * "ltd"), or -1. */
static int64_t ocr_word(const struct nv_normalizer *nz, const char *tok,
                        size_t n)
{
    char fixed[64];

    if (!digits_as_letters(tok, n, fixed))
        return -1;
    return nv_strmap_get(&nz->words, fixed, n);
}

/* The table word that the unknown word s[0..n) is written otherwise:
 * with digits for letters, in another romanisation, or with a typo; or
 * -1. */
static int64_t table_word(const struct nv_normalizer *nz, const char *s,
                          size_t n)
{
    int64_t w = ocr_word(nz, s, n);

    if (w < 0 && n >= 5) { /* another spelling of a table word; not a
                              short one: "sky" is not "sci" */
        char key[64];
        size_t k = nv_fold_key(s, n, key);
        w = nv_strmap_get(&nz->folded, key, k);
    }
    return w < 0 ? typo_of(nz, s, n) : w;
}

int nv_normalizer_word_like(const struct nv_normalizer *nz, const char *s,
                            size_t n, const char **canonical, uint8_t *kind)
{
    int64_t w = n < 64 ? table_word(nz, s, n) : -1;

    if (w < 0)
        return 0;
    *canonical = table_words[w].canonical;
    *kind = table_words[w].kind;
    return 1;
}

/* The length of the number that word tok (n letters and digits) writes
 * as digits with an ordinal ending ("14th", "2nd", "2th"), or 0. */
static size_t ordinal(const char *tok, size_t n)
{
    size_t d = 0;

    while (d < n && tok[d] >= '0' && tok[d] <= '9')
        d++;
    if (d && d + 2 == n &&
        (strcmp(tok + d, "st") == 0 || strcmp(tok + d, "nd") == 0 ||
         strcmp(tok + d, "rd") == 0 || strcmp(tok + d, "th") == 0))
        return d;
    return 0;
}

/* Whether the last token of the current segment is the word before a
 * number that says it is one ("No. 14", "Nr 5", "Number 3"; "N0. 2" as
 * read by OCR). */
static int number_sign(const struct splitter *sp)
{
    const struct nv_name *nm = sp->out;
    const char *t;

    if (!nm->n || nm->seg[nm->n - 1] != sp->seg)
        return 0;
    t = nv_name_token(nm, nm->n - 1);
    return strcmp(t, "no") == 0 || strcmp(t, "n0") == 0 ||
           strcmp(t, "nr") == 0 || strcmp(t, "number") == 0;
}

/* digits[0..d) with its English ordinal ending into out (d + 3 bytes):
 * "1st", "12th", "22nd", "2th" mended to "2nd".  Returns its length. */
static size_t with_ending(const char *digits, size_t d, char *out)
{
    static const char *const end[] = {"th", "st", "nd", "rd"};
    int last = digits[d - 1] - '0';

    if (last > 3 || (d > 1 && digits[d - 2] == '1'))
        last = 0; /* 4th to 9th, 0th, 11th to 13th */
    memcpy(out, digits, d);
    memcpy(out + d, end[last], 3);
    return d + 2;
}

size_t nv_number_other(const char *s, size_t n, char *out)
{
    size_t d = ordinal(s, n);

    if (d >= 32)
        return 0;
    if (d) {
        memcpy(out, s, d);
        out[d] = '\0';
        return d;
    }
    if (!n || n + 3 > 32 || strspn(s, "0123456789") != n)
        return 0;
    return with_ending(s, n, out);
}

/* Add token tok (n letters and digits) if it is an ordinal or a number
 * after its sign, as the ordinal with its English ending: "No. 14
 * Research Institute" is the 14th Research Institute, and "2th" the
 * 2nd.  Returns whether it did. */
static int emit_number(struct splitter *sp, const char *tok, size_t n)
{
    size_t d = ordinal(tok, n);
    int sign = number_sign(sp), before;
    char num[64];

    if (!d && sign && strspn(tok, "0123456789") == n)
        d = n;
    if (!d || d + 3 > sizeof num)
        return 0;
    if (sign)
        sp->out->n--; /* "No. 14" is the 14th */
    before = sp->out->n;
    nv_name_add(sp->out, num, with_ending(tok, d, num), NV_TOKEN_NAME, sp->seg);
    if (sp->out->n > before && strcmp(num, tok) != 0)
        nv_name_set_raw(sp->out, tok, n);
    return 1;
}

/* Add one token (ASCII, lowercase) in its one spelling and class, unless
 * it is a stopword.  A word naming a former name starts a segment. */
static void emit(struct splitter *sp, const char *s, size_t n)
{
    int64_t w = nv_strmap_get(&sp->nz->words, s, n);
    uint8_t kind = n == 1 ? NV_TOKEN_LEGAL : NV_TOKEN_NAME;
    char tok[64];
    int before;

    if (n == 0 || n >= sizeof tok)
        return;
    memcpy(tok, s, n);
    tok[n] = '\0';
    if (in_list(former, COUNT(former), tok)) {
        new_segment(sp, NV_SEG_FORMER);
        return;
    }
    if (in_list(stopwords, COUNT(stopwords), tok))
        return;
    if (emit_number(sp, tok, n))
        return;
    if (w < 0)
        w = table_word(sp->nz, tok, n);
    if (sp->out->n && sp->out->seg[sp->out->n - 1] == sp->seg &&
        place2(sp->out, tok, n)) /* the previous word and this one */
        return;
    if (w >= 0) {
        s = table_words[w].canonical;
        n = strlen(s);
        kind = table_words[w].kind;
    }
    before = sp->out->n;
    nv_name_add(sp->out, s, n, kind, sp->seg);
    if (sp->out->n > before && strcmp(nv_name_token(sp->out, before), tok))
        nv_name_set_raw(sp->out, tok, strlen(tok));
}

static int alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* A mark inside a word that joins its two halves: an apostrophe
 * ("Int'l", "Xi'an"), or a "?" or quote that a list publisher left where
 * an accented letter was lost ("Telecomunicac?es", "Co\"peratief"). */
static int joiner(const char *w)
{
    return (w[0] == '\'' || w[0] == '?' || w[0] == '"' || w[0] == '`') &&
           alnum(w[1]);
}

/* One word at w (letters and digits, joiners dropped) into word (size
 * 64); returns where it ends.  A single letter joined by a hyphen to a
 * word is part of it ("K-Soft" is ksoft, "E-Science" escience): alone
 * it would be an initial, and the word another company's ("Soft"). */
static const char *read_word(const char *w, char *word, size_t *n)
{
    *n = 0;
    while (alnum(*w) || (*n && joiner(w)) ||
           (*n == 1 && w[0] == '-' && alnum(w[1]))) {
        if (alnum(*w) && *n < 63)
            word[(*n)++] = *w;
        w++;
    }
    return w;
}

/* Punctuation between words: commas and semicolons end a segment of the
 * name, parentheses hold an alternative (a short name, a place).  Nested
 * parentheses stay in the outer part: "X (formerly Y (YY) Institute)"
 * has the former name "Y YY Institute", not "Y". */
static void punctuation(struct splitter *sp, char c)
{
    if (c == '(' || c == '[') {
        if (!sp->paren++)
            new_segment(sp, NV_SEG_PAREN);
    } else if (c == ')' || c == ']') {
        if (sp->paren)
            sp->paren--;
        if (!sp->paren)
            new_segment(sp, NV_SEG_MAIN);
    } else if ((c == ',' || c == ';') && !sp->paren)
        new_segment(sp, NV_SEG_MAIN);
}

/* Emit s[0..n) as the words that cut marks, in order: cut[i] is where
 * the word ending at i starts. */
static void emit_pieces(struct splitter *sp, const char *s, size_t n,
                        const uint8_t *cut)
{
    if (n == 0)
        return;
    emit_pieces(sp, s, cut[n], cut);
    emit(sp, s + cut[n], n - cut[n]);
}

/* Emit a run of single letters as one word ("j.s.c." is jsc), or, when
 * it is none of the tables, as the fewest words of the tables that it is
 * ("S.A. C.V." is sa cv, "S.C. R.L. C.V." sc rl cv). */
static void emit_letters(struct splitter *sp, const char *s, size_t n)
{
    uint8_t words[17], cut[17]; /* fewest words for s[0..i), last cut */

    if (n < 4 || nv_strmap_get(&sp->nz->words, s, n) >= 0) {
        emit(sp, s, n);
        return;
    }
    words[0] = 0;
    for (size_t i = 1; i <= n; i++) {
        words[i] = UINT8_MAX;
        for (size_t k = 0; k + 2 <= i; k++)
            if (words[k] != UINT8_MAX && words[k] + 1 < words[i] &&
                nv_strmap_get(&sp->nz->words, s + k, i - k) >= 0) {
                words[i] = (uint8_t)(words[k] + 1);
                cut[i] = (uint8_t)k;
            }
    }
    if (words[n] == UINT8_MAX) {
        emit(sp, s, n);
        return;
    }
    emit_pieces(sp, s, n, cut);
}

/*
 * Split ASCII words into tokens.  Runs of single letters are joined
 * ("s.a." -> "sa", "j.s.c." -> "jsc"), since dotted abbreviations are
 * one word written letter by letter.
 */
static void tokenize(const struct nv_normalizer *nz, const char *w,
                     struct nv_name *out)
{
    struct splitter sp = {out, nz, 0, 0};
    char letters[16], word[64];
    size_t nl = 0, n;

    out->n = 0;
    out->nseg = 1;
    out->segkind[0] = NV_SEG_MAIN;
    while (*w) {
        while (*w && !alnum(*w)) {
            if (strchr("(),;[]", *w) && nl) {
                emit_letters(&sp, letters, nl);
                nl = 0;
            }
            punctuation(&sp, *w++);
        }
        w = read_word(w, word, &n);
        if (n == 1 && word[0] >= 'a' && nl < sizeof letters) {
            letters[nl++] = word[0];
            continue;
        }
        emit_letters(&sp, letters, nl);
        nl = 0;
        emit(&sp, word, n);
    }
    emit_letters(&sp, letters, nl);
}

/* Append s[0..n) to b, lowercased. */
static enum nv_rc add_lower(struct nv_buf *b, const char *s, size_t n)
{
    enum nv_rc rc = NV_OK;

    for (size_t i = 0; i < n && !rc; i++) {
        char c = s[i];
        rc = nv_buf_addc(b, c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
    }
    return rc;
}

/* Append "s" then a blank to b, lowercased. */
static enum nv_rc add_word(struct nv_buf *b, const char *s, size_t n)
{
    enum nv_rc rc = add_lower(b, s, n);
    return rc ? rc : nv_buf_addc(b, ' ');
}

/* The Chinese word that syllables s[0..k) spell, or NULL. */
static const char *chinese_word(char *const *s, size_t k)
{
    char key[64];
    size_t len = 0;

    for (size_t i = 0; i < k; i++) {
        size_t n = strlen(s[i]);
        if (len + n + 2 > sizeof key)
            return NULL;
        if (i)
            key[len++] = ' ';
        memcpy(key + len, s[i], n);
        len += n;
    }
    key[len] = '\0';
    for (size_t i = 0; i < COUNT(chinese); i++)
        if (strcmp(key, chinese[i].from) == 0)
            return chinese[i].to;
    return NULL;
}

/* The longest known word at the start of s[0..n): its syllable count
 * (0 if none) and its translation. */
static size_t longest_word(char *const *s, size_t n, const char **word)
{
    for (size_t k = n < 5 ? n : 5; k >= 2; k--) {
        *word = chinese_word(s, k);
        if (*word)
            return k;
    }
    return 0;
}

/* Split text at blanks, in place, into at most max syllables. */
static size_t syllables(char *text, char **s, size_t max)
{
    size_t n = 0;

    while (*text && n < max) {
        while (*text == ' ')
            text++;
        if (!*text)
            break;
        s[n++] = text;
        while (*text && *text != ' ')
            text++;
        if (*text)
            *text++ = '\0';
    }
    return n;
}

/* Translate known words among the syllables of one Han run and join the
 * others, appending the words to work. */
static enum nv_rc han_words(struct nv_buf *work, char *text)
{
    char *s[64];
    size_t n = syllables(text, s, 64), i = 0;
    struct nv_buf joined;
    enum nv_rc rc = NV_OK;

    nv_buf_init(&joined, NV_NAME_TEXT);
    while (i < n && !rc) {
        const char *word;
        size_t k = longest_word(s + i, n - i, &word);
        if (!k) {
            rc = nv_buf_adds(&joined, s[i++]);
            continue;
        }
        rc = add_word(work, joined.data, joined.len);
        nv_buf_reset(&joined);
        if (!rc)
            rc = add_word(work, word, strlen(word));
        i += k;
    }
    if (!rc)
        rc = add_word(work, joined.data, joined.len);
    nv_buf_release(&joined);
    return rc;
}

/* Length of the run at s[0..n) of characters that are all Han (han = 1)
 * or all non-ASCII and not Han (han = 0). */
static size_t run_of(const utf8proc_uint8_t *s, size_t n, int han)
{
    size_t i = 0;

    while (i < n && s[i] >= 0x80) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k =
            utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &c);
        if (k <= 0 || is_han(c) != han)
            break;
        i += (size_t)k;
    }
    return i;
}

static int has_letter(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')
            return 1;
    return 0;
}

/* The folded name as ASCII words in nz->work; nz->romanised set when
 * letters of a script other than Latin and Han were read. */
static enum nv_rc to_ascii(struct nv_normalizer *nz, const utf8proc_uint8_t *s,
                           size_t n)
{
    enum nv_rc rc = NV_OK;
    size_t i = 0;

    nv_buf_reset(&nz->work);
    nz->romanised = 0;
    while (i < n && !rc) {
        utf8proc_int32_t c;
        size_t k;
        if (s[i] < 0x80) {
            rc = nv_buf_addc(&nz->work, (char)s[i++]);
            continue;
        }
        utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &c);
        k = run_of(s + i, n - i, is_han(c));
        if (k == 0) /* not a character: skip the byte */
            k = 1;
        nv_buf_reset(&nz->han);
        rc = nv_translit_ascii(nz->tr, (const char *)s + i, k, &nz->han);
        if (!rc && is_han(c))
            rc = han_words(&nz->work, nz->han.data);
        else if (!rc) { /* no blank after: the run may be inside a word */
            nz->romanised |= has_letter(nz->han.data, nz->han.len);
            rc = add_lower(&nz->work, nz->han.data, nz->han.len);
        }
        i += k;
    }
    return rc;
}

enum nv_rc nv_normalize(struct nv_normalizer *nz, const char *s,
                        struct nv_name *out)
{
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n =
        utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
                     UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT |
                         UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                         UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
    enum nv_rc rc;

    if (n < 0)
        return n == UTF8PROC_ERROR_NOMEM ? NV_ENOMEM : NV_EPARSE;
    rc = to_ascii(nz, folded, (size_t)n);
    free(folded);        /* utf8proc allocates with malloc */
    if (rc == NV_ELIMIT) /* a name longer than we read: use what fits */
        rc = NV_OK;
    if (!rc) {
        tokenize(nz, nz->work.data, out);
        out->romanised = nz->romanised;
    }
    return rc;
}

void nv_name_join(const struct nv_name *nm, char *out, size_t size)
{
    size_t len = 0;

    if (size)
        out[0] = '\0';
    for (int i = 0; i < nm->n && len + nm->len[i] + 2 <= size; i++) {
        if (i)
            out[len++] = ' ';
        memcpy(out + len, nv_name_token(nm, i), nm->len[i] + 1u);
        len += nm->len[i];
    }
}
