/*
 * normalize.c - names to tokens, driven by the tables below.
 *
 * Invariant of struct nv_name: token i occupies text[off[i] ..
 * off[i] + len[i]) followed by a NUL, and no token is empty.
 */
#include "screen/normalize.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "screen/translit.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct pair {
    const char *from, *to;
};

/* Spelling variants and abbreviations, and the one form they take. */
static const struct pair variants[] = {
    {"technologies", "tech"},
    {"technology", "tech"},
    {"technological", "tech"},
    {"techn", "tech"},
    {"techs", "tech"},
    {"communications", "comm"},
    {"communication", "comm"},
    {"commun", "comm"},
    {"comms", "comm"},
    {"telecommunications", "telecom"},
    {"telecommunication", "telecom"},
    {"telecoms", "telecom"},
    {"international", "intl"},
    {"internat", "intl"},
    {"electronics", "elec"},
    {"electronic", "elec"},
    {"grp", "group"},
    {"groups", "group"},
    {"corporation", "corp"},
    {"company", "co"},
    {"companies", "co"},
    {"limited", "ltd"},
    {"incorporated", "inc"},
    {"manufacturing", "mfg"},
    {"industries", "industry"},
    {"industrial", "industry"},
    {"systems", "system"},
    {"sys", "system"},
    {"networks", "network"},
    {"holdings", "holding"},
    {"sciences", "science"},
    {"information", "info"},
    {"equipments", "equipment"},
    {"equip", "equipment"},
    {"laboratories", "lab"},
    {"laboratory", "lab"},
    {"labs", "lab"},
    {"institute", "inst"},
    {"institution", "inst"},
    {"devices", "device"},
    {"solutions", "solution"},
    {"services", "service"},
    {"products", "product"},
    {"enterprises", "enterprise"},
    {"centre", "center"},
    {"centers", "center"},
    {"aktiengesellschaft", "ag"},
};

/* Legal forms: they say what kind of company, not which. */
static const char *const legal[] = {
    "co",  "ltd",  "corp", "inc",  "llc",  "lp",  "llp", "gmbh", "mbh",
    "ag",  "sa",   "sas",  "sarl", "spa",  "srl", "bv",  "nv",   "plc",
    "pte", "pty",  "kk",   "oy",   "oyj",  "ab",  "as",  "asa",  "aps",
    "jsc", "ojsc", "cjsc", "pjsc", "ooo",  "oao", "zao", "pao",  "tov",
    "kg",  "se",   "sl",   "sro",  "zrt",  "kft", "doo", "ad",   "ead",
    "bhd", "sdn",  "pvt",  "fze",  "fzco", "llp", "sae", "wll",  "sal"};

/* Generic words: common to many names, they never make a match alone. */
static const char *const generic[] = {
    "tech",        "comm",        "telecom",  "intl",     "elec",
    "group",       "system",      "network",  "holding",  "industry",
    "info",        "equipment",   "digital",  "science",  "lab",
    "inst",        "device",      "solution", "service",  "product",
    "development", "engineering", "trading",  "trade",    "investment",
    "enterprise",  "global",      "center",   "software", "mfg",
    "import",      "export",      "shares",   "branch"};

/* Places: where a company is, or which branch of it; not who it is. */
static const char *const places[] = {
    "usa",      "us",       "america",   "americas", "american",    "europe",
    "european", "uk",       "canada",    "germany",  "deutschland", "france",
    "japan",    "india",    "china",     "chinese",  "hong",        "kong",
    "hk",       "taiwan",   "singapore", "asia",     "pacific",     "beijing",
    "shanghai", "shenzhen", "hangzhou",  "zhejiang", "guangdong",   "guangzhou",
    "wuhan",    "chengdu",  "nanjing",   "tianjin",  "suzhou",      "xian",
    "dongguan", "jiangsu",  "sichuan",   "moscow",   "russia",      "north",
    "south",    "east",     "west",      "middle"};

/* Words dropped altogether. */
static const char *const stopwords[] = {"and", "of",  "the", "de",  "des",
                                        "du",  "la",  "le",  "del", "et",
                                        "und", "for", "y"};

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
    struct nv_buf work; /* the name as ASCII words */
    struct nv_buf han;  /* one Han run, transliterated */
};

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
    return nz;
}

void nv_normalizer_free(struct nv_normalizer *nz)
{
    if (!nz)
        return;
    nv_translit_free(nz->tr);
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

static uint8_t kind_of(const char *tok)
{
    if (in_list(legal, COUNT(legal), tok))
        return NV_TOKEN_LEGAL;
    if (in_list(generic, COUNT(generic), tok))
        return NV_TOKEN_GENERIC;
    if (in_list(places, COUNT(places), tok))
        return NV_TOKEN_PLACE;
    return NV_TOKEN_NAME;
}

/* Add one token (ASCII, lowercase) after mapping its variants, unless it
 * is a stopword or there is no room left. */
static void emit(struct nv_name *out, const char *s, size_t n, size_t *used)
{
    char tok[64];

    if (n == 0 || n >= sizeof tok || out->n == NV_NAME_TOKENS)
        return;
    memcpy(tok, s, n);
    tok[n] = '\0';
    for (size_t i = 0; i < COUNT(variants); i++)
        if (strcmp(tok, variants[i].from) == 0) {
            n = strlen(variants[i].to);
            memcpy(tok, variants[i].to, n + 1);
            break;
        }
    if (in_list(stopwords, COUNT(stopwords), tok) ||
        *used + n + 1 > NV_NAME_TEXT)
        return;
    out->off[out->n] = (uint16_t)*used;
    out->len[out->n] = (uint8_t)n;
    out->kind[out->n] = kind_of(tok);
    memcpy(out->text + *used, tok, n + 1);
    *used += n + 1;
    out->n++;
}

static int alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/*
 * Split ASCII words into tokens.  Runs of single letters are joined
 * ("s.a." -> "sa", "j.s.c." -> "jsc"), since dotted abbreviations are
 * one word written letter by letter.
 */
static void tokenize(const char *w, struct nv_name *out)
{
    char letters[16];
    size_t nl = 0, used = 0;

    out->n = 0;
    while (*w) {
        const char *start;
        while (*w && !alnum(*w))
            w++;
        start = w;
        while (alnum(*w))
            w++;
        if (w - start == 1 && start[0] >= 'a' && nl < sizeof letters) {
            letters[nl++] = start[0];
            continue;
        }
        emit(out, letters, nl, &used);
        nl = 0;
        emit(out, start, (size_t)(w - start), &used);
    }
    emit(out, letters, nl, &used);
}

/* Append "s" then a blank to b, lowercased. */
static enum nv_rc add_word(struct nv_buf *b, const char *s, size_t n)
{
    enum nv_rc rc = NV_OK;

    for (size_t i = 0; i < n && !rc; i++) {
        char c = s[i];
        rc = nv_buf_addc(b, c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
    }
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

/* The folded name as ASCII words in nz->work. */
static enum nv_rc to_ascii(struct nv_normalizer *nz, const utf8proc_uint8_t *s,
                           size_t n)
{
    enum nv_rc rc = NV_OK;
    size_t i = 0;

    nv_buf_reset(&nz->work);
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
        else if (!rc)
            rc = add_word(&nz->work, nz->han.data, nz->han.len);
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
    if (!rc)
        tokenize(nz->work.data, out);
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
