/*
 * diff.c - a merge of two sorted manifests, then sections of ELF files.
 */
#include "integrity/diff.h"

#include "core/alloc.h"

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

/* The k-th section named name in c (names may repeat), or NULL. */
static const struct nv_section_digest *
find_section(const struct nv_content *c, const char *name, uint32_t k)
{
    for (uint32_t i = 0; i < c->nsec; i++)
        if (strcmp(c->sec[i].name, name) == 0 && k-- == 0)
            return &c->sec[i];
    return NULL;
}

/* Occurrences of s's name before s in c. */
static uint32_t rank(const struct nv_content *c, uint32_t at)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < at; i++)
        k += strcmp(c->sec[i].name, c->sec[at].name) == 0;
    return k;
}

static enum nv_rc note_section(struct nv_diff *d, struct nv_change *ch,
                               const char *name, struct nv_err *err)
{
    for (uint32_t i = 0; i < ch->nsections; i++)
        if (strcmp(ch->sections[i], name) == 0)
            return NV_OK;
    const char **v = nv_arena_alloc(&d->a, (ch->nsections + 1) * sizeof *v);
    if (!v)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    if (ch->nsections)
        memcpy(v, ch->sections, ch->nsections * sizeof *v);
    v[ch->nsections++] = name;
    ch->sections = v;
    if (!is_noise(name))
        ch->cls = NV_DIFF_CODE;
    return NV_OK;
}

/* The sections of a that b lacks or has otherwise. */
static enum nv_rc one_way(struct nv_diff *d, struct nv_change *ch,
                          const struct nv_content *a,
                          const struct nv_content *b, struct nv_err *err)
{
    for (uint32_t i = 0; i < a->nsec; i++) {
        const struct nv_section_digest *o =
            find_section(b, a->sec[i].name, rank(a, i));
        if ((!o || !same_section(&a->sec[i], o)) &&
            note_section(d, ch, a->sec[i].name, err))
            return err->rc;
    }
    return NV_OK;
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
    if (one_way(d, ch, a, b, err) || one_way(d, ch, b, a, err))
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

static int has_issue(const struct nv_manifest *m, const struct nv_missue *is)
{
    for (size_t i = 0; i < m->nissue; i++)
        if (m->issue[i].kind == is->kind &&
            m->issue[i].path_len == is->path_len &&
            memcmp(m->issue[i].path, is->path, is->path_len) == 0)
            return 1;
    return 0;
}

static enum nv_rc new_issues(struct nv_diff *d, const struct nv_manifest *want,
                             const struct nv_manifest *got, struct nv_err *err)
{
    d->issues = nv_arena_calloc(&d->a, got->nissue + 1, sizeof *d->issues);
    if (!d->issues)
        return nv_err_set(err, NV_ENOMEM, "out of memory");
    for (size_t i = 0; i < got->nissue; i++)
        if (!has_issue(want, &got->issue[i]))
            d->issues[d->nissues++] = &got->issue[i];
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
