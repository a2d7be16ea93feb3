/*
 * acronym.c - acronyms defined by listed names, and their expansions in
 * queries read as them.
 */
#include "screen/acronym.h"

#include "core/alloc.h"

#include <string.h>

/* Words of an expansion: two are many companies' name ("Information
 * Technology" for "Infotec"). */
#define MIN_WORDS 3
#define MAX_WORDS 12
#define KEY_MAX 512
#define ACR_SHARED 1 /* the acronym has another expansion too */

void nv_acronyms_init(struct nv_acronyms *t)
{
    memset(t, 0, sizeof *t);
    nv_arena_init(&t->a);
    nv_strmap_init(&t->by);
    nv_strmap_init(&t->by_acr);
}

void nv_acronyms_release(struct nv_acronyms *t)
{
    nv_strmap_release(&t->by);
    nv_strmap_release(&t->by_acr);
    nv_free(t->acr);
    nv_free(t->flag);
    nv_arena_release(&t->a);
    memset(t, 0, sizeof *t);
}

/* The words of nm's main segments run together into text (NV_NAME_TEXT
 * bytes), start[i] set where a word starts; returns the length, or 0 if
 * their first word is a legal form. */
static size_t run_together(const struct nv_name *nm, char *text,
                           unsigned char *start)
{
    size_t n = 0;

    for (int i = 0; i < nm->n; i++) {
        if (nm->segkind[nm->seg[i]] != NV_SEG_MAIN)
            continue;
        if (n == 0 && nm->kind[i] == NV_TOKEN_LEGAL)
            return 0;
        for (size_t k = 0; k < nm->len[i] && n < NV_NAME_TEXT; k++) {
            start[n] = k == 0;
            text[n++] = nv_name_token(nm, i)[k];
        }
    }
    return n;
}

/* Whether acr is an abbreviation of the words of nm's main segments: it
 * starts with the first letter of their first word, which is no legal
 * form, and takes each other letter, in order, from what follows, half
 * of its letters or more at the start of a word ("avic" in "aviation
 * industry corp china"; not "infotec" in "information technology").  The
 * placing with the most word starts counts ("pci" takes its "c" and "i"
 * from "chemical industry", not from inside "parchin"): best[p] is the
 * most for the letters so far with the last at p. */
static int abbreviates(const char *acr, const struct nv_name *nm)
{
    char text[NV_NAME_TEXT];
    unsigned char start[NV_NAME_TEXT];
    int best[NV_NAME_TEXT], len = (int)strlen(acr);
    size_t n = run_together(nm, text, start);

    if (!n || text[0] != acr[0])
        return 0;
    for (size_t p = 0; p < n; p++)
        best[p] = p == 0 ? 1 : -1;
    for (int k = 1; k < len; k++) {
        int before = -1; /* the most with letter k - 1 placed before p */
        for (size_t p = 0; p < n; p++) {
            int was = best[p];
            best[p] = text[p] == acr[k] && before >= 0 ? before + start[p] : -1;
            if (was > before)
                before = was;
        }
    }
    for (size_t p = 0; p < n; p++)
        if (2 * best[p] >= len)
            return 1;
    return 0;
}

/* Whether token k of a (in parentheses in a, or a's one token) is an
 * acronym that name defines: see nv_acronyms_add. */
static int acronym_of(const struct nv_name *a, int k,
                      const struct nv_name *name)
{
    const char *acr = nv_name_token(a, k);
    size_t len = a->len[k];

    if (a->kind[k] != NV_TOKEN_NAME || len < 2 || len > 8 ||
        strspn(acr, "abcdefghijklmnopqrstuvwxyz") != len)
        return 0;
    for (int i = 0; i < name->n; i++)
        if (name->segkind[name->seg[i]] == NV_SEG_MAIN &&
            strcmp(nv_name_token(name, i), acr) == 0)
            return 0; /* a short name: "(Huawei)" */
    return abbreviates(acr, name);
}

/* The words of in, other than legal forms, from token i on in its
 * segment, up to want of them, joined by blanks into key (KEY_MAX
 * bytes).  Returns the index after the last word taken, or -1 when
 * fewer than want words are there. */
static int words_from(const struct nv_name *in, int i, int want, char *key)
{
    size_t len = 0;
    int got = 0, seg = in->seg[i];

    for (; i < in->n && in->seg[i] == seg && got < want; i++) {
        if (in->kind[i] == NV_TOKEN_LEGAL)
            continue;
        if (len + in->len[i] + 2 > KEY_MAX)
            return -1;
        if (got++)
            key[len++] = ' ';
        memcpy(key + len, nv_name_token(in, i), in->len[i]);
        len += in->len[i];
    }
    key[len] = '\0';
    return got == want ? i : -1;
}

/* Record acr as the acronym of the words of name's main segments, when
 * they are one segment of MIN_WORDS to MAX_WORDS words other than legal
 * forms, a name word or a place among them. */
static enum nv_rc record(struct nv_acronyms *t, const struct nv_name *name,
                         const char *acr)
{
    char key[KEY_MAX];
    char *copy, *acopy;
    int words = 0, named = 0, found;
    uint32_t was, first;

    for (int i = 0; i < name->n; i++) {
        int main = name->segkind[name->seg[i]] == NV_SEG_MAIN;
        words += main && name->kind[i] != NV_TOKEN_LEGAL;
        named |= main && (name->kind[i] == NV_TOKEN_NAME ||
                          name->kind[i] == NV_TOKEN_PLACE);
    }
    if (!named || words < MIN_WORDS || words > MAX_WORDS ||
        words_from(name, 0, words, key) < 0 ||
        nv_strmap_get(&t->by, key, strlen(key)) >= 0)
        return NV_OK; /* generic, too short or long, in pieces, or known */
    copy = nv_arena_strdup(&t->a, key);
    acopy = nv_arena_strdup(&t->a, acr);
    if (!copy || !acopy ||
        nv_array_reserve(&t->acr, &t->cap, t->n + 1, sizeof *t->acr) ||
        nv_array_reserve(&t->flag, &t->flagcap, t->n + 1, sizeof *t->flag) ||
        nv_strmap_put(&t->by_acr, acopy, strlen(acopy), (uint32_t)t->n, &first,
                      &found))
        return NV_ENOMEM;
    t->flag[t->n] = found ? ACR_SHARED : 0;
    if (found) /* "MME" of two companies is neither's */
        t->flag[first] |= ACR_SHARED;
    if (nv_strmap_put(&t->by, copy, strlen(copy), (uint32_t)t->n, &was, &found))
        return NV_ENOMEM;
    t->acr[t->n++] = acopy;
    if (words > t->longest)
        t->longest = words;
    return NV_OK;
}

enum nv_rc nv_acronyms_add(struct nv_acronyms *t, const struct nv_name *name,
                           const struct nv_name *alias)
{
    int last = name->n - 1;

    if (alias && alias->n == 1 && acronym_of(alias, 0, name))
        return record(t, name, nv_name_token(alias, 0));
    if (!alias && last >= 1 && name->segkind[name->seg[last]] == NV_SEG_PAREN &&
        name->seg[last - 1] != name->seg[last] &&
        name->segkind[name->seg[last - 1]] == NV_SEG_MAIN &&
        acronym_of(name, last, name))
        return record(t, name, nv_name_token(name, last));
    return NV_OK;
}

/* The expansion starting at token i of in, the longest first, or -1;
 * *end receives the index after it and its legal forms. */
static int64_t expansion_at(const struct nv_acronyms *t,
                            const struct nv_name *in, int i, int *end)
{
    char key[KEY_MAX];

    if (in->kind[i] == NV_TOKEN_LEGAL || in->segkind[in->seg[i]] != NV_SEG_MAIN)
        return -1;
    for (int want = t->longest; want >= MIN_WORDS; want--) {
        int after = words_from(in, i, want, key);
        int64_t k = after < 0 ? -1 : nv_strmap_get(&t->by, key, strlen(key));
        if (k < 0 || t->flag[k] & ACR_SHARED)
            continue;
        while (after < in->n && in->seg[after] == in->seg[i] &&
               in->kind[after] == NV_TOKEN_LEGAL)
            after++;
        *end = after;
        return k;
    }
    return -1;
}

int nv_acronyms_contract(const struct nv_acronyms *t, const struct nv_name *in,
                         struct nv_name *out)
{
    int any = 0;

    out->n = 0;
    out->nseg = in->nseg;
    out->romanised = in->romanised;
    memcpy(out->segkind, in->segkind, sizeof out->segkind);
    for (int i = 0; i < in->n;) {
        int end;
        int64_t k = t->n ? expansion_at(t, in, i, &end) : -1;
        if (k >= 0) {
            nv_name_add(out, t->acr[k], strlen(t->acr[k]), NV_TOKEN_NAME,
                        in->seg[i]);
            any = 1;
            i = end;
        } else {
            nv_name_add(out, nv_name_token(in, i), in->len[i], in->kind[i],
                        in->seg[i]);
            i++;
        }
    }
    return any;
}
