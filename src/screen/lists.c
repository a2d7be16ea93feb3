/*
 * lists.c - restricted-party list formats.
 *
 * Each format is a table of columns: the header names which column holds
 * what, so the loaders share one row reader.  Quirks of the real files
 * handled here: trailing blanks, "; " and "; and " between alternative
 * names, compound "X. Affiliated Entity: Y" names (Y is listed as an
 * affiliate of X), a short name in parentheses, a location after the
 * legal form ("..., Ltd., Chengdu, Sichuan"), and one row per address.
 */
#include "screen/lists.h"

#include "core/alloc.h"
#include "core/csv.h"
#include "core/file.h"
#include "core/parse.h"
#include "model/resolve.h"
#include "core/strmap.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

enum col {
    C_NAME,
    C_ALIASES,
    C_SOURCE,
    C_PROGRAMS,
    C_LICENSE,
    C_COUNTRY,
    C_ADDRESSES,
    C_CITATION,
    C_PARENT,
    C_DESIGNATION,
    C_ID,
    C_ALIAS2,
    C_TYPE,
    C_REMOVED,
    C_COUNT
};

/* A format: the list id, the header that identifies it, and the column
 * name of each field (NULL: absent). */
struct format {
    const char *list;
    const char *first_column;
    const char *cols[C_COUNT];
};

static const struct format formats[] = {
    {"us-csl",
     "_id",
     {"name", "alt_names", "source", "programs", "license_requirement", NULL,
      "addresses", "federal_register_notice", NULL, NULL, NULL, NULL, "type",
      NULL}},
    {"fcc-covered",
     "name",
     {"name", NULL, NULL, "covered_items", NULL, NULL, NULL,
      "date_of_inclusion", "parent", NULL, NULL, NULL, NULL, NULL}},
    {"opensanctions",
     "schema",
     {"name", "aliases", "authority", "program", NULL, "country", NULL,
      "source_url", NULL, NULL, NULL, NULL, "schema", NULL}},
    {"dod-1260h",
     "Name",
     {"Clean Name", "Alias", NULL, "Note", NULL, NULL, NULL, "Start date",
      "Parent Name", NULL, NULL, "Previous Name", NULL, "End date"}},
    {"local",
     "id",
     {"name", "aliases", NULL, NULL, NULL, "country", NULL, NULL, "parent",
      "designation", "id", NULL, NULL, NULL}},
};

void nv_lists_init(struct nv_lists *l)
{
    memset(l, 0, sizeof *l);
    nv_arena_init(&l->arena);
    nv_strmap_init(&l->seen);
}

void nv_lists_release(struct nv_lists *l)
{
    nv_free(l->v);
    nv_free(l->extra);
    nv_strmap_release(&l->seen);
    nv_arena_release(&l->arena);
    nv_lists_init(l);
}

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A copy of s[0..n) without blanks at either end, in the arena (a quoted
 * field may end in line breaks: "Government Flying Service \n\n"). */
static const char *trimmed(struct nv_lists *l, const char *s, size_t n)
{
    while (n && blank(s[0])) {
        s++;
        n--;
    }
    while (n && blank(s[n - 1]))
        n--;
    return n ? nv_arena_strndup(&l->arena, s, n) : NULL;
}

static enum nv_rc add_alias(struct nv_lists *l, struct nv_party *p,
                            const char *s, size_t n)
{
    const char *a = trimmed(l, s, n);
    const char **v;

    if (!a || (p->name && strcmp(a, p->name) == 0))
        return NV_OK;
    for (uint32_t i = 0; i < p->naliases; i++)
        if (strcmp(p->aliases[i], a) == 0)
            return NV_OK;
    v = nv_arena_alloc(&l->arena, (p->naliases + 1) * sizeof *v);
    if (!v)
        return NV_ENOMEM;
    if (p->naliases)
        memcpy(v, p->aliases, p->naliases * sizeof *v);
    v[p->naliases++] = a;
    p->aliases = v;
    return NV_OK;
}

/* Alternative names are "; "-separated, the last sometimes "; and X". */
static enum nv_rc add_aliases(struct nv_lists *l, struct nv_party *p,
                              const char *s, size_t n)
{
    enum nv_rc rc = NV_OK;

    while (n && !rc) {
        const char *end = memchr(s, ';', n);
        size_t k = end ? (size_t)(end - s) : n;
        size_t skip = 0;
        while (skip < k && s[skip] == ' ')
            skip++;
        if (k - skip > 4 && strncmp(s + skip, "and ", 4) == 0)
            skip += 4;
        rc = add_alias(l, p, s + skip, k - skip);
        s += end ? k + 1 : k;
        n -= end ? k + 1 : k;
    }
    return rc;
}

/* The country of the first address: its last part when that is a
 * two-letter code ("Bantian, Shenzhen, 518129, CN"). */
static const char *address_country(struct nv_lists *l, const char *s, size_t n)
{
    const char *end = memchr(s, ';', n);
    size_t k = end ? (size_t)(end - s) : n;

    while (k && s[k - 1] == ' ')
        k--;
    if (k >= 2 && s[k - 1] >= 'A' && s[k - 1] <= 'Z' && s[k - 2] >= 'A' &&
        s[k - 2] <= 'Z' && (k == 2 || s[k - 3] == ' ' || s[k - 3] == ','))
        return nv_arena_strndup(&l->arena, s + k - 2, 2);
    return NULL;
}

/* The list id of a CSL row, from its source: "Entity List (EL) - ..." is
 * us-entity-list, "... (SDN) ..." us-sdn, "... (XX) ..." us-xx. */
static const char *csl_list(struct nv_lists *l, const char *source)
{
    const char *open = source ? strchr(source, '(') : NULL;
    const char *close = open ? strchr(open, ')') : NULL;
    char id[32];
    size_t n;

    if (!open || !close || close - open > 12)
        return "us-csl";
    if (strncmp(open, "(EL)", 4) == 0)
        return "us-entity-list";
    n = (size_t)snprintf(id, sizeof id, "us-%.*s", (int)(close - open - 1),
                         open + 1);
    for (size_t i = 0; i < n; i++)
        if (id[i] >= 'A' && id[i] <= 'Z')
            id[i] = (char)(id[i] + 32);
    return nv_arena_strndup(&l->arena, id, n);
}

/* Whether s[0..n) is an acronym of pre[0..npre) made of more than
 * initials: capitals (digits, hyphens and blanks aside) that start with
 * pre's first letter and are found in pre in order ("SUPARCO" of "Space
 * and Upper Atmosphere Research Commission", "NSCC-TJ" of "National
 * Supercomputing Center Tianjin"). */
static int acronym_of(const char *pre, size_t npre, const char *s, size_t n)
{
    size_t letters = 0, at = 0;

    if (n > 12 || !npre)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= 'A' && s[i] <= 'Z')
            letters++;
        else if (!(s[i] >= '0' && s[i] <= '9') && s[i] != '-' && s[i] != ' ')
            return 0;
    }
    for (size_t k = 0; k < n; k++) {
        if (s[k] < 'A' || s[k] > 'Z')
            continue;
        while (at < npre && (pre[at] | 32) != (s[k] | 32))
            at++;
        if (at++ == npre)
            return 0;
    }
    return letters >= 2 && (pre[0] | 32) == (s[0] | 32);
}

/* Whether the parenthesis text s[0..n) is a short name of what precedes
 * it (pre): one of its words ("(Huawei)") or an acronym ("(AMEC)",
 * "(SUPARCO)"), or a code of capitals, digits and hyphens, whatever its
 * letters ("(711 ARZ)", "(NPK-SPP)": Russian initials of an English
 * name); not a place ("(Dongguan)"). */
static int short_name(const char *pre, size_t npre, const char *s, size_t n)
{
    int caps = n >= 2 && n <= 10, letters = 0, code = 0;

    for (size_t i = 0; i < n; i++) {
        int letter = s[i] >= 'A' && s[i] <= 'Z';
        int other = (s[i] >= '0' && s[i] <= '9') ||
                    (i && i + 1 < n && (s[i] == '-' || s[i] == ' '));
        letters += letter;
        code |= other;
        caps &= letter || other;
    }
    caps &= code ? letters >= 2 : n <= 6;
    if (!caps && acronym_of(pre, npre, s, n))
        return 1;
    for (size_t i = 0; !caps && n && i + n <= npre; i++)
        if (strncasecmp(pre + i, s, n) == 0 && (i == 0 || pre[i - 1] == ' '))
            return 1;
    return caps;
}

/* "X Co., Ltd. (Short)" at the end of a name: X Co., Ltd. and Short are
 * aliases too. */
static enum nv_rc paren_forms(struct nv_lists *l, struct nv_party *p,
                              const char *name)
{
    const char *open = strrchr(name, '('), *close, *rest;
    size_t pre;
    enum nv_rc rc;

    if (!open || open == name)
        return NV_OK;
    close = strchr(open, ')');
    if (!close)
        return NV_OK;
    for (rest = close + 1; *rest == ' ' || *rest == '.' || *rest == ',';)
        rest++;
    pre = (size_t)(open - name);
    if (*rest || !short_name(name, pre, open + 1, (size_t)(close - open - 1)))
        return NV_OK;
    rc = add_alias(l, p, name, pre);
    return rc ? rc : add_alias(l, p, open + 1, (size_t)(close - open - 1));
}

/* Whether s[0..n) is made of initials of the words of pre[0..npre), in
 * order ("CSSC" of "China State Shipbuilding Corporation"), not a place
 * ("UK"). */
static int initials_of(const char *pre, size_t npre, const char *s, size_t n)
{
    size_t k = 0;

    for (size_t i = 0; i < npre && k < n; i++)
        if ((i == 0 || pre[i - 1] == ' ' || pre[i - 1] == '-') &&
            (pre[i] | 32) == (s[k] | 32))
            k++;
    return n >= 2 && k == n;
}

/* "X Corporation (XC) 7th Institute": the short form in the middle is
 * left out of an alias ("X Corporation 7th Institute"), as inventories
 * write it. */
static enum nv_rc mid_paren_form(struct nv_lists *l, struct nv_party *p,
                                 const char *name)
{
    const char *open = strchr(name, '('), *close, *rest;
    size_t pre, nrest;
    char *alias;

    close = open ? strchr(open, ')') : NULL;
    if (!close || open == name)
        return NV_OK;
    for (rest = close + 1; *rest == ' ';)
        rest++;
    pre = (size_t)(open - name);
    nrest = strlen(rest);
    if (!nrest ||
        (!initials_of(name, pre, open + 1, (size_t)(close - open - 1)) &&
         !acronym_of(name, pre, open + 1, (size_t)(close - open - 1))))
        return NV_OK;
    alias = nv_arena_alloc(&l->arena, pre + nrest + 1);
    if (!alias)
        return NV_ENOMEM;
    memcpy(alias, name, pre);
    memcpy(alias + pre, rest, nrest + 1);
    return add_alias(l, p, alias, pre + nrest);
}

/* "Acme Co., Ltd., Chengdu, Sichuan" -> "Acme Co., Ltd." as an alias: the
 * location after the legal form is not part of the name. */
static enum nv_rc location_form(struct nv_lists *l, struct nv_party *p,
                                const char *name)
{
    static const char *const ends[] = {"Ltd.,", "Ltd,", "Inc.,", "Limited,"};
    const char *cut = NULL;

    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        const char *hit = strstr(name, ends[i]);
        if (hit && hit[strlen(ends[i])] != '\0' && (!cut || hit > cut))
            cut = hit + strlen(ends[i]) - 1;
    }
    return cut ? add_alias(l, p, name, (size_t)(cut - name)) : NV_OK;
}

/* "X (Short).  Affiliated Entity:  Y": the party is Y, an affiliate of X. */
static enum nv_rc affiliate_form(struct nv_lists *l, struct nv_party *p)
{
    static const char mark[] = "Affiliated Entity:";
    const char *hit = strstr(p->name, mark);
    size_t n;

    if (!hit)
        return NV_OK;
    p->match_name =
        trimmed(l, hit + sizeof mark - 1, strlen(hit + sizeof mark - 1));
    n = (size_t)(hit - p->name);
    while (n && (p->name[n - 1] == ' ' || p->name[n - 1] == '.'))
        n--;
    if (n && p->name[n - 1] == ')' && memchr(p->name, '(', n))
        n = (size_t)((const char *)memchr(p->name, '(', n) - p->name);
    p->parent_name = trimmed(l, p->name, n);
    return NV_OK;
}

static enum nv_rc name_forms(struct nv_lists *l, struct nv_party *p)
{
    const char *base;
    enum nv_rc rc = affiliate_form(l, p);

    base = nv_party_match_name(p);
    if (!rc)
        rc = paren_forms(l, p, base);
    if (!rc)
        rc = mid_paren_form(l, p, base);
    if (!rc)
        rc = location_form(l, p, base);
    return rc;
}

struct loader {
    struct nv_lists *l;
    const struct format *fmt; /* NULL: an alias table */
    int col[C_COUNT];         /* column of each field in the file, or -1 */
    struct nv_strmap seen;    /* "list\x1fname" -> party */
    struct nv_csv c;
    const char *file;
};

/* Field f of the current row, trimmed into the arena; NULL if empty. */
static const char *field(struct loader *ld, enum col f)
{
    const struct nv_csv_field *x;

    if (ld->col[f] < 0 || (size_t)ld->col[f] >= ld->c.nfields)
        return NULL;
    x = &ld->c.fields[ld->col[f]];
    return trimmed(ld->l, x->s, x->len);
}

enum nv_rc nv_lists_add_party(struct nv_lists *l, const char *list,
                              const char *name, const char *file, uint32_t *idx,
                              int *fresh)
{
    size_t nl = strlen(list), nn = strlen(name);
    char *key = nv_arena_alloc(&l->arena, nl + nn + 2);
    int found;

    if (!key)
        return NV_ENOMEM;
    memcpy(key, list, nl);
    key[nl] = '\x1f';
    memcpy(key + nl + 1, name, nn + 1);
    if (nv_strmap_put(&l->seen, key, nl + nn + 1, l->n, idx, &found) ||
        (!found &&
         nv_array_reserve(&l->v, &l->cap, (size_t)l->n + 1, sizeof *l->v)))
        return NV_ENOMEM;
    *fresh = !found;
    if (found)
        return NV_OK;
    memset(&l->v[l->n], 0, sizeof *l->v);
    l->v[l->n].name = name;
    l->v[l->n].list = list;
    l->v[l->n].parent = NV_NONE;
    l->v[l->n].designation = -1;
    l->v[l->n].file = file;
    l->n++;
    return NV_OK;
}

enum nv_rc nv_lists_add_alias(struct nv_lists *l, uint32_t party,
                              const char *alias)
{
    return add_alias(l, &l->v[party], alias, strlen(alias));
}

static enum nv_rc designation_of(struct loader *ld, struct nv_party *p,
                                 struct nv_err *err)
{
    const char *d = field(ld, C_DESIGNATION);
    int i =
        d ? nv_name_index(nv_designation_names, NV_DESIG_COUNT, d, strlen(d))
          : -1;

    if (d && i < 0)
        return nv_csv_error_at(&ld->c, err, NV_EPARSE,
                               ld->c.fields[ld->col[C_DESIGNATION]].off,
                               "unknown designation '%s' (trusted, "
                               "standard, high-risk or prohibited)",
                               d);
    p->designation = i;
    return NV_OK;
}

/* What the first row of a party tells about it. */
static enum nv_rc describe(struct loader *ld, struct nv_party *p,
                           struct nv_err *err)
{
    const char *addr = field(ld, C_ADDRESSES);

    p->source = field(ld, C_SOURCE);
    p->programs = field(ld, C_PROGRAMS);
    p->license = field(ld, C_LICENSE);
    p->citation = field(ld, C_CITATION);
    p->parent_name = field(ld, C_PARENT);
    p->addresses = addr;
    p->country = field(ld, C_COUNTRY);
    if (!p->country && addr)
        p->country = address_country(ld->l, addr, strlen(addr));
    return ld->col[C_DESIGNATION] >= 0 ? designation_of(ld, p, err)
                                       : name_forms(ld->l, p);
}

/* A party is removed from its list when every row of it has an end date
 * (the §1260H file keeps the rows of earlier tranches): then on the
 * latest of them.  Dates are ISO, so they compare as text. */
static void note_removal(struct loader *ld, struct nv_party *p, int fresh)
{
    const char *end = field(ld, C_REMOVED);

    if (fresh || !end)
        p->removed = end;
    else if (p->removed && strcmp(end, p->removed) > 0)
        p->removed = end;
}

static enum nv_rc add_field_aliases(struct loader *ld, struct nv_party *p,
                                    enum col f)
{
    const char *s = field(ld, f);
    return s ? add_aliases(ld->l, p, s, strlen(s)) : NV_OK;
}

/* Vendors are organisations: the lists also name people, vessels and
 * aircraft, which no inventory buys from. */
static int is_vendor(const char *type)
{
    static const char *const others[] = {"Individual", "Vessel", "Aircraft",
                                         "Person"};

    for (size_t i = 0; type && i < sizeof others / sizeof others[0]; i++)
        if (strcmp(type, others[i]) == 0)
            return 0;
    return 1;
}

static enum nv_rc read_party(struct loader *ld, struct nv_err *err)
{
    const char *name = field(ld, C_NAME), *list = ld->fmt->list;
    uint32_t idx;
    int fresh;
    enum nv_rc rc;

    if (!name || !is_vendor(field(ld, C_TYPE)))
        return NV_OK; /* nobody, or a person, ship or aircraft */
    if (strcmp(list, "us-csl") == 0)
        list = csl_list(ld->l, field(ld, C_SOURCE));
    else if (strcmp(list, "opensanctions") == 0 && field(ld, C_PROGRAMS) &&
             strstr(field(ld, C_PROGRAMS), "889"))
        list = "ndaa-889";
    rc = nv_lists_add_party(ld->l, list, name, ld->file, &idx, &fresh);
    if (!rc && fresh)
        rc = describe(ld, &ld->l->v[idx], err);
    if (!rc)
        note_removal(ld, &ld->l->v[idx], fresh);
    if (!rc)
        rc = add_field_aliases(ld, &ld->l->v[idx], C_ALIASES);
    if (!rc)
        rc = add_field_aliases(ld, &ld->l->v[idx], C_ALIAS2);
    if (!rc)
        rc = add_field_aliases(ld, &ld->l->v[idx], C_ID);
    return rc == NV_ENOMEM ? nv_err_set(err, rc, "out of memory") : rc;
}

/* A row of an alias table: kept until every list is loaded. */
static enum nv_rc read_alias_row(struct loader *ld, struct nv_err *err)
{
    struct nv_lists *l = ld->l;
    const char *of = field(ld, C_NAME), *alias = field(ld, C_ALIASES);

    if (!of || !alias)
        return nv_csv_error_at(&ld->c, err, NV_EPARSE, ld->c.record_off,
                               "an alias row needs alias_of and alias");
    if (nv_array_reserve(&l->extra, &l->extracap, (size_t)l->nextra + 1,
                         sizeof *l->extra))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    l->extra[l->nextra++] = (struct nv_alias_row){of, alias};
    return NV_OK;
}

/* An alias table: alias_of, alias, then anything (script, source). */
static int alias_table(struct loader *ld)
{
    if (nv_csv_find(&ld->c, "alias_of") != 0 ||
        nv_csv_find(&ld->c, "alias") < 0)
        return 0;
    for (int f = 0; f < C_COUNT; f++)
        ld->col[f] = -1;
    ld->col[C_NAME] = 0;
    ld->col[C_ALIASES] = nv_csv_find(&ld->c, "alias");
    return 1;
}

/* Which format a header row is, and where its columns are. */
static enum nv_rc read_format(struct loader *ld, struct nv_err *err)
{
    int got;
    enum nv_rc rc = nv_csv_next(&ld->c, &got, err);

    if (rc)
        return rc;
    if (got && alias_table(ld))
        return NV_OK;
    for (size_t i = 0; got && i < sizeof formats / sizeof formats[0]; i++) {
        if (nv_csv_find(&ld->c, formats[i].first_column) != 0)
            continue;
        ld->fmt = &formats[i];
        for (int f = 0; f < C_COUNT; f++)
            ld->col[f] = formats[i].cols[f]
                             ? nv_csv_find(&ld->c, formats[i].cols[f])
                             : -1;
        if (ld->col[C_NAME] >= 0)
            return NV_OK;
    }
    return nv_csv_error_at(&ld->c, err, NV_EUNSUPPORTED, 0,
                           "not a list format netvet reads (see "
                           "docs/screening.md)");
}

enum nv_rc nv_lists_load_text(struct nv_lists *l, const char *name,
                              const char *text, size_t len, struct nv_err *err)
{
    struct loader ld = {.l = l};
    int got = 1;
    enum nv_rc rc;

    size_t lead = 0;

    while (lead < len && strchr(" \t\r\n", text[lead]))
        lead++;
    if (lead < len && text[lead] == '{') /* FollowTheMoney JSON lines */
        return nv_lists_load_ftm(l, name, text, len, err);
    ld.file = nv_arena_strdup(&l->arena, name);
    nv_csv_init(&ld.c, text, len, name);
    rc = ld.file ? read_format(&ld, err) : NV_ENOMEM;
    while (!rc && got) {
        rc = nv_csv_next(&ld.c, &got, err);
        if (!rc && got)
            rc = ld.fmt ? read_party(&ld, err) : read_alias_row(&ld, err);
    }
    nv_csv_release(&ld.c);
    if (rc == NV_ENOMEM)
        nv_err_set(err, rc, "out of memory");
    return rc;
}

enum nv_rc nv_lists_load(struct nv_lists *l, const char *path,
                         struct nv_err *err)
{
    struct nv_file f;
    enum nv_rc rc = nv_file_read(&f, path, (size_t)1 << 30, err);

    if (rc)
        return rc;
    rc = nv_lists_load_text(l, path, f.data, f.len, err);
    nv_file_release(&f);
    return rc;
}

/* Parties by normalised name, on one list ("list\x1fkey") and on any
 * ("key"); where several share a key, the one with the shortest primary
 * name (no location, no affiliate) is kept. */
struct names {
    struct nv_strmap map; /* key -> slot */
    uint32_t *best;       /* slot -> party */
    size_t cap;
};

static enum nv_rc name_under(struct nv_lists *l, struct names *nm,
                             const char *prefix, const char *key, size_t n,
                             uint32_t party)
{
    size_t np = prefix ? strlen(prefix) + 1 : 0;
    char *k = nv_arena_alloc(&l->arena, np + n + 1);
    uint32_t slot;
    int found;

    if (!k)
        return NV_ENOMEM;
    if (prefix) {
        memcpy(k, prefix, np - 1);
        k[np - 1] = '\x1f';
    }
    memcpy(k + np, key, n);
    if (nv_strmap_put(&nm->map, k, np + n, (uint32_t)nm->map.count, &slot,
                      &found) ||
        nv_array_reserve(&nm->best, &nm->cap, nm->map.count + 1,
                         sizeof *nm->best))
        return NV_ENOMEM;
    if (!found || strlen(l->v[party].name) < strlen(l->v[nm->best[slot]].name))
        nm->best[slot] = party;
    return NV_OK;
}

static enum nv_rc index_names(struct nv_lists *l, struct names *nm)
{
    enum nv_rc rc = NV_OK;

    for (uint32_t i = 0; i < l->n && !rc; i++) {
        const struct nv_party *p = &l->v[i];
        for (uint32_t a = 0; !rc && a < 2 + p->naliases; a++) {
            const char *s = a == 0   ? p->name
                            : a == 1 ? p->match_name
                                     : p->aliases[a - 2];
            char key[256];
            size_t n = s ? nv_resolve_key(s, key, sizeof key) : 0;
            if (n == 0 || n >= sizeof key)
                continue;
            rc = name_under(l, nm, p->list, key, n, i);
            if (!rc)
                rc = name_under(l, nm, NULL, key, n, i);
        }
    }
    return rc;
}

/* The party a parent name means: on the same list if there is one. */
static uint32_t parent_of(const struct nv_lists *l, const struct names *nm,
                          uint32_t i)
{
    char key[512];
    size_t np = strlen(l->v[i].list), n;
    int64_t slot;

    memcpy(key, l->v[i].list, np);
    key[np] = '\x1f';
    n = nv_resolve_key(l->v[i].parent_name, key + np + 1, 256);
    if (n >= 256)
        return NV_NONE;
    slot = nv_strmap_get(&nm->map, key, np + 1 + n);
    if (slot < 0)
        slot = nv_strmap_get(&nm->map, key + np + 1, n);
    return slot < 0 || nm->best[slot] == i ? NV_NONE : nm->best[slot];
}

/* The rows of alias tables, given to the parties they name (by
 * normalised name; a row naming no listed party is left out). */
static enum nv_rc attach_aliases(struct nv_lists *l, const struct names *nm)
{
    enum nv_rc rc = NV_OK;

    for (uint32_t i = 0; i < l->nextra && !rc; i++) {
        char key[256];
        size_t n = nv_resolve_key(l->extra[i].of, key, sizeof key);
        int64_t slot = n < sizeof key ? nv_strmap_get(&nm->map, key, n) : -1;
        if (slot >= 0)
            rc = add_alias(l, &l->v[nm->best[slot]], l->extra[i].alias,
                           strlen(l->extra[i].alias));
    }
    return rc;
}

enum nv_rc nv_lists_link(struct nv_lists *l, struct nv_err *err)
{
    struct names nm = {{NULL, 0, 0}, NULL, 0};
    enum nv_rc rc;

    nv_strmap_init(&nm.map);
    rc = index_names(l, &nm);
    for (uint32_t i = 0; !rc && i < l->n; i++)
        if (l->v[i].parent_name)
            l->v[i].parent = parent_of(l, &nm, i);
    if (!rc)
        rc = attach_aliases(l, &nm);
    nv_strmap_release(&nm.map);
    nv_free(nm.best);
    return rc ? nv_err_set(err, rc, "out of memory") : NV_OK;
}

uint32_t nv_lists_root(const struct nv_lists *l, uint32_t i)
{
    for (uint32_t steps = 0; l->v[i].parent != NV_NONE && steps < l->n; steps++)
        i = l->v[i].parent;
    return i;
}

enum nv_designation nv_lists_designation(const struct nv_lists *l, uint32_t i)
{
    static const char *const banned[] = {"us-entity-list", "fcc-covered",
                                         "ndaa-889", "us-sdn"};
    const struct nv_party *p = &l->v[i];
    uint32_t root = nv_lists_root(l, i);

    if (p->designation >= 0)
        return (enum nv_designation)p->designation;
    if (l->v[root].designation >= 0)
        return (enum nv_designation)l->v[root].designation;
    for (size_t k = 0; k < sizeof banned / sizeof banned[0]; k++)
        if (strcmp(p->list, banned[k]) == 0)
            return NV_DESIG_PROHIBITED;
    return NV_DESIG_HIGH_RISK;
}
