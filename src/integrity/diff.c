/*
 * diff.c - a merge of two sorted manifests, then sections of ELF files.
 */
#include "integrity/diff.h"

#include "core/alloc.h"

#include <stdlib.h>
#include <string.h>

/* Sections that change when identical sources are built again: the
 * build id hashes the whole build (paths, timestamps), the debug link
 * carries the CRC of the separate debug file, and the alternate debug
 * link the name and build id of the file of debug data that dwz shares
 * among a package's binaries. */
static const char *const noise_sections[] = {
    ".note.gnu.build-id", ".gnu_debuglink", ".gnu_debugaltlink"};

static int is_noise(const char *name)
{
    for (size_t i = 0; i < sizeof noise_sections / sizeof *noise_sections; i++)
        if (strcmp(name, noise_sections[i]) == 0)
            return 1;
    return 0;
}

static int same_section(const struct nv_section_digest *a,
                        const struct nv_section_digest *b)
{
    return a->size == b->size && a->nobits == b->nobits &&
           (a->nobits || memcmp(a->sha256, b->sha256, NV_SHA256_LEN) == 0);
}

/* A section of one side, to be sorted by name, then place. */
struct named {
    const char *name;
    uint32_t at;
};

static int cmp_named(const void *x, const void *y)
{
    const struct named *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    return c ? c : (a->at > b->at) - (a->at < b->at);
}

/* Scratch for comparing two section tables, indexed by section. */
struct pairing {
    struct named *va, *vb;   /* each side sorted */
    uint32_t *ga, *gb;       /* the group (distinct name) of a section */
    unsigned char *bad;      /* [na + nb]: the section differs */
    unsigned char *noted;    /* [na + nb]: the group is listed */
    uint32_t na, nb, groups; /* groups with a bad section */
};

static enum nv_rc pairing_init(struct pairing *p, const struct nv_content *a,
                               const struct nv_content *b, struct nv_err *err)
{
    size_t n = (size_t)a->nsec + b->nsec;

    p->na = a->nsec;
    p->nb = b->nsec;
    p->va = nv_calloc(n, sizeof *p->va);
    p->ga = nv_calloc(n, sizeof *p->ga);
    p->bad = nv_calloc(2 * n, 1);
    if (!p->va || !p->ga || !p->bad)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    p->vb = p->va + p->na;
    p->gb = p->ga + p->na;
    p->noted = p->bad + n;
    for (uint32_t i = 0; i < p->na; i++)
        p->va[i] = (struct named){a->sec[i].name, i};
    for (uint32_t i = 0; i < p->nb; i++)
        p->vb[i] = (struct named){b->sec[i].name, i};
    qsort(p->va, p->na, sizeof *p->va, cmp_named);
    qsort(p->vb, p->nb, sizeof *p->vb, cmp_named);
    return NV_OK;
}

static void pairing_release(struct pairing *p)
{
    nv_free(p->va);
    nv_free(p->ga);
    nv_free(p->bad);
}

/* The sections named like va[*i] or vb[*j], whichever sorts first: the
 * k-th of a name on one side is paired with the k-th on the other, and
 * a section differs if its pair does or it has none. */
static void pair_name(struct pairing *p, const struct nv_content *a,
                      const struct nv_content *b, uint32_t *i, uint32_t *j,
                      uint32_t g)
{
    const char *name =
        *j == p->nb ||
                (*i < p->na && strcmp(p->va[*i].name, p->vb[*j].name) <= 0)
            ? p->va[*i].name
            : p->vb[*j].name;

    while (*i < p->na || *j < p->nb) {
        int in_a = *i < p->na && strcmp(p->va[*i].name, name) == 0;
        int in_b = *j < p->nb && strcmp(p->vb[*j].name, name) == 0;
        uint32_t x = in_a ? p->va[*i].at : 0, y = in_b ? p->vb[*j].at : 0;
        int differs = !in_a || !in_b || !same_section(&a->sec[x], &b->sec[y]);
        if (!in_a && !in_b)
            return;
        if (in_a) {
            p->ga[x] = g;
            p->bad[x] = (unsigned char)differs;
            ++*i;
        }
        if (in_b) {
            p->gb[y] = g;
            p->bad[p->na + y] = (unsigned char)differs;
            ++*j;
        }
    }
}

/* Go through the sections of a, then b, in their order, and list the
 * first bad one of each name (in out, when given): how many were. */
static uint32_t list_bad(struct pairing *p, const struct nv_content *a,
                         const struct nv_content *b, const char **out)
{
    uint32_t n = 0;

    memset(p->noted, 0, (size_t)p->na + p->nb);
    for (uint32_t k = 0; k < p->na + p->nb; k++) {
        uint32_t g = k < p->na ? p->ga[k] : p->gb[k - p->na];
        if (!p->bad[k] || p->noted[g])
            continue;
        p->noted[g] = 1;
        if (out)
            out[n] = k < p->na ? a->sec[k].name : b->sec[k - p->na].name;
        n++;
    }
    return n;
}

/* The names of the sections that differ, in ch->sections: those of want
 * in its order, then those only got has.  O(s log s) for s sections. */
static enum nv_rc differing_sections(struct nv_diff *d, struct nv_change *ch,
                                     const struct nv_content *a,
                                     const struct nv_content *b,
                                     struct nv_err *err)
{
    struct pairing p = {0};
    uint32_t i = 0, j = 0, g = 0;
    enum nv_rc rc = pairing_init(&p, a, b, err);

    while (!rc && (i < p.na || j < p.nb))
        pair_name(&p, a, b, &i, &j, g++);
    if (!rc) {
        ch->nsections = list_bad(&p, a, b, NULL);
        ch->sections =
            nv_arena_calloc(&d->a, ch->nsections + 1, sizeof *ch->sections);
        if (!ch->sections)
            rc = nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    if (!rc)
        list_bad(&p, a, b, ch->sections);
    for (uint32_t k = 0; !rc && k < ch->nsections; k++)
        if (!is_noise(ch->sections[k]))
            ch->cls = NV_DIFF_CODE;
    pairing_release(&p);
    return rc;
}

static enum nv_rc classify(struct nv_diff *d, struct nv_change *ch,
                           struct nv_err *err)
{
    const struct nv_content *a = &ch->want->content, *b = &ch->got->content;
    if (!a->nsec || !b->nsec) {
        ch->cls = a->nsec || b->nsec ? NV_DIFF_CODE : NV_DIFF_OPAQUE;
        return NV_OK;
    }
    ch->cls = NV_DIFF_NOISE;
    if (differing_sections(d, ch, a, b, err))
        return err->rc;
    /* Same sections yet other bytes cannot happen with the bytes outside
     * sections digested too; if it does, it is no noise. */
    if (ch->nsections == 0)
        ch->cls = NV_DIFF_CODE;
    return NV_OK;
}

static unsigned compare(const struct nv_mfile *a, const struct nv_mfile *b)
{
    unsigned what = 0;
    if (a->type != b->type)
        return NV_DIFF_TYPE;
    if (a->type == NV_FT_FILE &&
        (a->content.size != b->content.size ||
         memcmp(a->content.sha256, b->content.sha256, NV_SHA256_LEN) != 0))
        what |= NV_DIFF_CONTENT;
    if (a->mode != b->mode)
        what |= NV_DIFF_MODE;
    if (a->uid != b->uid || a->gid != b->gid)
        what |= NV_DIFF_OWNER;
    if (a->link_len != b->link_len ||
        (a->link && memcmp(a->link, b->link, a->link_len) != 0))
        what |= NV_DIFF_LINK;
    if (a->caps_len != b->caps_len ||
        (a->caps && memcmp(a->caps, b->caps, a->caps_len) != 0))
        what |= NV_DIFF_CAPS;
    return what;
}

static enum nv_rc add_change(struct nv_diff *d, const struct nv_mfile *want,
                             const struct nv_mfile *got, unsigned what,
                             struct nv_err *err)
{
    if (!what)
        return NV_OK;
    if (nv_array_reserve(&d->v, &d->cap, d->n + 1, sizeof *d->v))
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    struct nv_change *ch = &d->v[d->n++];
    *ch = (struct nv_change){want, got, what, NV_DIFF_NOT_CONTENT, NULL, 0};
    if ((what & NV_DIFF_CONTENT) && classify(d, ch, err))
        return err->rc;
    d->added += !want;
    d->removed += !got;
    d->changed += want && got && (what & (NV_DIFF_CONTENT | NV_DIFF_TYPE));
    d->noise += ch->cls == NV_DIFF_NOISE;
    d->code += ch->cls == NV_DIFF_CODE;
    d->metadata += want && got && (what & ~(unsigned)NV_DIFF_CONTENT);
    return NV_OK;
}

static int cmp_entry(const struct nv_mfile *a, const struct nv_mfile *b)
{
    size_t n = a->path_len < b->path_len ? a->path_len : b->path_len;
    int c = memcmp(a->path, b->path, n);
    return c ? c : (a->path_len > b->path_len) - (a->path_len < b->path_len);
}

/* Issues ordered by kind, then path bytes, then path length. */
static int cmp_issue(const void *x, const void *y)
{
    const struct nv_missue *a = *(const struct nv_missue *const *)x;
    const struct nv_missue *b = *(const struct nv_missue *const *)y;
    size_t n = a->path_len < b->path_len ? a->path_len : b->path_len;
    int c = (a->kind > b->kind) - (a->kind < b->kind);

    if (!c && n)
        c = memcmp(a->path, b->path, n);
    return c ? c : (a->path_len > b->path_len) - (a->path_len < b->path_len);
}

/* The issues of got that want lacks, in got's order: want's are sorted
 * once and each of got's looked up, O((n + m) log n) in all. */
static enum nv_rc new_issues(struct nv_diff *d, const struct nv_manifest *want,
                             const struct nv_manifest *got, struct nv_err *err)
{
    const struct nv_missue **known = nv_calloc(want->nissue + 1, sizeof *known);

    d->issues = nv_arena_calloc(&d->a, got->nissue + 1, sizeof *d->issues);
    if (!d->issues || !known) {
        nv_free(known);
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < want->nissue; i++)
        known[i] = &want->issue[i];
    if (want->nissue)
        qsort(known, want->nissue, sizeof *known, cmp_issue);
    for (size_t i = 0; i < got->nissue; i++) {
        const struct nv_missue *is = &got->issue[i];
        if (!want->nissue ||
            !bsearch(&is, known, want->nissue, sizeof *known, cmp_issue))
            d->issues[d->nissues++] = is;
    }
    nv_free(known);
    return NV_OK;
}

enum nv_rc nv_diff_compute(const struct nv_manifest *want,
                           const struct nv_manifest *got, struct nv_diff *d,
                           struct nv_err *err)
{
    size_t i = 0, j = 0;
    enum nv_rc rc = NV_OK;
    memset(d, 0, sizeof *d);
    nv_arena_init(&d->a);
    while (!rc && (i < want->n || j < got->n)) {
        int c = i == want->n  ? 1
                : j == got->n ? -1
                              : cmp_entry(&want->f[i], &got->f[j]);
        if (c < 0)
            rc = add_change(d, &want->f[i++], NULL, NV_DIFF_REMOVED, err);
        else if (c > 0)
            rc = add_change(d, NULL, &got->f[j++], NV_DIFF_ADDED, err);
        else {
            rc = add_change(d, &want->f[i], &got->f[j],
                            compare(&want->f[i], &got->f[j]), err);
            i++, j++;
        }
    }
    if (!rc)
        rc = new_issues(d, want, got, err);
    if (rc)
        nv_diff_release(d);
    return rc;
}

void nv_diff_release(struct nv_diff *d)
{
    nv_arena_release(&d->a);
    nv_free(d->v);
    memset(d, 0, sizeof *d);
}

int nv_diff_only_noise(const struct nv_diff *d)
{
    return d->n == d->noise && d->nissues == 0 && d->metadata == 0;
}
