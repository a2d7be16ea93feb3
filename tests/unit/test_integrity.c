/*
 * test_integrity.c - paths, ELF sections, manifests, statements and
 * diffs: the pieces of netvet manifest and verify.
 */
#include "test.h"

#include "core/alloc.h"
#include "integrity/diff.h"
#include "integrity/elf.h"
#include "core/file.h"
#include "integrity/image.h"
#include "integrity/image_int.h"
#include "integrity/pathesc.h"
#include "integrity/statement.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)rng_state;
}

/* Any bytes escape to printable UTF-8 and come back exactly. */
NV_TEST(pathesc_round_trip)
{
    for (int round = 0; round < 5000; round++) {
        char raw[40];
        size_t n = rnd() % sizeof raw;
        for (size_t i = 0; i < n; i++)
            raw[i] = round % 3 ? (char)rnd() : "a/%\\\n\xc3\xa9\xff"[rnd() % 8];
        struct nv_buf esc, back;
        nv_buf_init(&esc, 1 << 16);
        nv_buf_init(&back, 1 << 16);
        ASSERT_EQ(nv_path_escape(raw, n, &esc), NV_OK);
        for (size_t i = 0; i < esc.len; i++)
            ASSERT((unsigned char)esc.data[i] >= 0x20 && esc.data[i] != 0x7f &&
                   esc.data[i] != '\\');
        ASSERT_EQ(nv_path_unescape(esc.data, esc.len, &back), NV_OK);
        ASSERT_EQ(back.len, n);
        ASSERT(n == 0 || memcmp(back.data, raw, n) == 0);
        nv_buf_release(&esc);
        nv_buf_release(&back);
    }
}

NV_TEST(pathesc_one_text_per_path)
{
    const char *bad[] = {"%41", "%e9", "%2", "%", "a\\b", "a\nb", "%ZZ"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct nv_buf out;
        nv_buf_init(&out, 100);
        ASSERT_EQ(nv_path_unescape(bad[i], strlen(bad[i]), &out), NV_EPARSE);
        ASSERT_EQ(out.len, 0);
        nv_buf_release(&out);
    }
    struct nv_buf out;
    nv_buf_init(&out, 100);
    ASSERT_EQ(nv_path_escape("caf\xe9 \xe6\x97\xa5%", 9, &out), NV_OK);
    ASSERT_STREQ(out.data, "caf%E9 \xe6\x97\xa5%25");
    nv_buf_release(&out);
}

static struct nv_mfile entry(const char *path, enum nv_ftype type,
                             const char *link)
{
    struct nv_mfile f = {0};
    f.path = path;
    f.path_len = strlen(path);
    f.type = type;
    f.mode = 0755;
    f.link = link;
    f.link_len = link ? strlen(link) : 0;
    return f;
}

static int has_issue(const struct nv_manifest *m, const char *path,
                     enum nv_issue_kind kind)
{
    for (size_t i = 0; i < m->nissue; i++)
        if (m->issue[i].kind == kind && strcmp(m->issue[i].path, path) == 0)
            return 1;
    return 0;
}

NV_TEST(manifest_cleans_paths_and_records_issues)
{
    struct nv_manifest m;
    struct nv_err err = {0};
    const struct {
        const char *path, *link;
        enum nv_ftype type;
    } in[] = {
        {"./", NULL, NV_FT_DIR},
        {"./a//b/./c", NULL, NV_FT_FILE},
        {"/etc/passwd", NULL, NV_FT_FILE},
        {"a/../../x", NULL, NV_FT_FILE},
        {"a/b/up2", "../../x", NV_FT_SYMLINK},
        {"a/b/up3", "../../../x", NV_FT_SYMLINK},
        {"a/abs", "/usr/bin/x", NV_FT_SYMLINK},
        {"a/absup", "/../x", NV_FT_SYMLINK},
        {"a/hard", "../x", NV_FT_HARDLINK},
        {"a/hard2", "a/b/c", NV_FT_HARDLINK},
        {"dev/mem", NULL, NV_FT_CHAR},
        {"a/b/c", NULL, NV_FT_DIR},
    };
    nv_manifest_init(&m);
    for (size_t i = 0; i < sizeof in / sizeof *in; i++) {
        struct nv_mfile f = entry(in[i].path, in[i].type, in[i].link);
        ASSERT_EQ(nv_manifest_add(&m, &f, &err), NV_OK);
    }
    ASSERT_EQ(nv_manifest_finish(&m, &err), NV_OK);
    ASSERT_EQ(m.n, 10); /* the root is no entry; a/b/c once */
    const struct nv_mfile *c = nv_manifest_find(&m, "a/b/c", 5);
    ASSERT(c && c->type == NV_FT_DIR); /* the last one kept */
    ASSERT(nv_manifest_find(&m, "etc/passwd", 10));
    ASSERT(has_issue(&m, "a/b/c", NV_ISSUE_DUPLICATE));
    ASSERT(has_issue(&m, "/etc/passwd", NV_ISSUE_ABSOLUTE));
    ASSERT(has_issue(&m, "a/../../x", NV_ISSUE_CLIMBS));
    ASSERT(has_issue(&m, "a/b/up3", NV_ISSUE_LINK_ESCAPES));
    ASSERT(!has_issue(&m, "a/b/up2", NV_ISSUE_LINK_ESCAPES));
    ASSERT(!has_issue(&m, "a/abs", NV_ISSUE_LINK_ESCAPES));
    ASSERT(has_issue(&m, "a/absup", NV_ISSUE_LINK_ESCAPES));
    ASSERT(has_issue(&m, "a/hard", NV_ISSUE_LINK_ESCAPES));
    ASSERT(!has_issue(&m, "a/hard2", NV_ISSUE_LINK_ESCAPES));
    ASSERT(has_issue(&m, "dev/mem", NV_ISSUE_DEVICE));
    ASSERT_EQ(m.nissue, 7);
    nv_manifest_release(&m);
}

struct names {
    char v[64][32];
    int n;
};

static enum nv_rc note_name(void *ctx, const struct nv_elf_section *s,
                            struct nv_err *err)
{
    struct names *l = ctx;
    (void)err;
    if (l->n < 64)
        snprintf(l->v[l->n++], sizeof l->v[0], "%.*s", (int)s->name_len,
                 s->name);
    return NV_OK;
}

/* A 32-bit big-endian ELF file with a .text of 4 bytes and a .bss, built
 * by hand: byte order and class are read from the header. */
NV_TEST(elf_big_endian_32)
{
    unsigned char f[256] = {0x7f, 'E', 'L', 'F', 1, 2, 1};
    const char names[] = "\0.text\0.bss\0.shstrtab";
    memcpy(f + 52, "\xde\xad\xbe\xef", 4); /* .text at 52 */
    memcpy(f + 56, names, sizeof names);   /* names at 56 */
    const uint32_t sh = 80, shnum = 4;
    f[32] = 0, f[35] = sh;                /* e_shoff */
    f[47] = 40, f[49] = shnum, f[51] = 3; /* entsize, count, strndx */
    const uint32_t hdr[4][6] = {{0, 0, 0, 0, 0, 0},
                                {1, 1, 0, 0, 52, 4},   /* .text */
                                {7, 8, 0, 0, 0, 4096}, /* .bss */
                                {12, 3, 0, 0, 56, sizeof names}};
    for (uint32_t i = 0; i < shnum; i++)
        for (int k = 0; k < 6; k++)
            for (int b = 0; b < 4; b++)
                f[sh + i * 40 + k * 4 + b] =
                    (unsigned char)(hdr[i][k] >> (24 - 8 * b));
    struct names l = {0};
    struct nv_err err = {0};
    ASSERT_EQ(nv_elf_sections(f, sizeof f, note_name, &l, &err), NV_OK);
    ASSERT_EQ(l.n, 3);
    ASSERT_STREQ(l.v[0], ".text");
    ASSERT_STREQ(l.v[1], ".bss");

    struct nv_arena a;
    struct nv_content c;
    nv_arena_init(&a);
    ASSERT_EQ(nv_content_digest(f, sizeof f, &a, &c, &err), NV_OK);
    ASSERT_EQ(c.nsec, 4); /* three and the bytes outside */
    unsigned char d[NV_SHA256_LEN];
    nv_sha256("\xde\xad\xbe\xef", 4, d);
    ASSERT(memcmp(c.sec[0].sha256, d, sizeof d) == 0);
    ASSERT(c.sec[1].nobits && c.sec[1].size == 4096);
    ASSERT_STREQ(c.sec[3].name, NV_CONTENT_OUTSIDE);
    ASSERT_EQ(c.sec[3].size, sizeof f - 4 - sizeof names);
    nv_arena_release(&a);
}

/* Random damage to a real ELF file's headers never reads out of bounds
 * (the sanitizers watch); it gives sections or a malformed mark. */
NV_TEST(elf_damaged_headers)
{
    struct nv_file exe;
    struct nv_err err = {0};
    ASSERT_EQ(nv_file_read(&exe, "/proc/self/exe", (size_t)1 << 28, &err),
              NV_OK);
    unsigned char *copy = nv_malloc(exe.len);
    ASSERT(copy);
    struct names l = {0};
    ASSERT_EQ(nv_elf_sections((const unsigned char *)exe.data, exe.len,
                              note_name, &l, &err),
              NV_OK);
    int text = 0;
    for (int i = 0; i < l.n; i++)
        text |= strcmp(l.v[i], ".text") == 0;
    ASSERT(text);
    int malformed = 0;
    for (int round = 0; round < 3000; round++) {
        memcpy(copy, exe.data, exe.len);
        uint64_t shoff = 0;
        memcpy(&shoff, copy + 0x28, 8);
        for (int k = 0; k < 4; k++) {
            size_t at = round % 2 ? rnd() % 64
                                  : (size_t)(shoff + rnd() % 4096) % exe.len;
            copy[at] = (unsigned char)rnd();
        }
        struct nv_arena a;
        struct nv_content c;
        nv_arena_init(&a);
        ASSERT_EQ(nv_content_digest(copy, exe.len, &a, &c, &err), NV_OK);
        malformed += c.elf_malformed;
        nv_arena_release(&a);
    }
    ASSERT(malformed > 0);
    nv_free(copy);
    nv_file_release(&exe);
}

struct gen_section {
    uint64_t off, size;
    int nobits;
};

static void put_le(unsigned char *p, uint64_t v, int width)
{
    for (int i = 0; i < width; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A 64-bit little-endian ELF file of n random bytes with ns random
 * sections s[] (ns - 1 of them and the names): overlapping, empty,
 * .bss-like, spanning many of the digest's slices.  Section i is named
 * "s<i>"; the names and the section table sit at the end. */
static void random_elf(unsigned char *f, size_t n, struct gen_section *s,
                       uint32_t ns, unsigned *seed)
{
    size_t shoff = n - 64 * (ns + 1), names = shoff - 8 * (ns + 1);
    for (size_t i = 0; i < n; i++)
        f[i] = (unsigned char)rand_r(seed);
    memcpy(f, "\177ELF\2\1\1", 7);
    put_le(f + 0x28, shoff, 8);
    put_le(f + 0x3a, 64, 2);
    put_le(f + 0x3c, ns + 1, 2);
    put_le(f + 0x3e, ns, 2);  /* the names are the last section */
    memset(f + shoff, 0, 64); /* the null section */
    for (uint32_t i = 1; i <= ns; i++) {
        struct gen_section *g = &s[i - 1];
        unsigned char *h = f + shoff + 64 * i;
        int kind = rand_r(seed) % 8;
        g->off = (uint64_t)rand_r(seed) % names;
        g->size = kind == 1 ? 0 : (uint64_t)rand_r(seed) % (names - g->off + 1);
        g->nobits = kind == 0 && i < ns;
        if (i == ns)
            g->off = names, g->size = 8 * (ns + 1);
        snprintf((char *)f + names + 8 * i, 8, "s%u", i);
        put_le(h, 8 * i, 4);
        put_le(h + 4, g->nobits ? NV_ELF_NOBITS : 1, 4);
        put_le(h + 24, g->off, 8);
        put_le(h + 32, g->size, 8);
    }
}

/* Brute force: each section's bytes on their own, and the bytes that no
 * section with bytes in the file covers. */
static int content_oracle(const unsigned char *f, size_t n,
                          const struct gen_section *s, uint32_t ns,
                          const struct nv_content *c)
{
    unsigned char d[NV_SHA256_LEN], zero[NV_SHA256_LEN] = {0};
    unsigned char *covered = nv_calloc(n, 1), *rest = nv_malloc(n);
    size_t nrest = 0;
    int ok = c->nsec == ns + 1;
    nv_sha256(f, n, d);
    ok &= memcmp(d, c->sha256, sizeof d) == 0;
    for (uint32_t i = 0; ok && i < ns; i++) {
        nv_sha256(f + s[i].off, s[i].size, d);
        ok &= c->sec[i].size == s[i].size && c->sec[i].nobits == s[i].nobits &&
              memcmp(s[i].nobits ? zero : d, c->sec[i].sha256, sizeof d) == 0;
        if (!s[i].nobits)
            memset(covered + s[i].off, 1, s[i].size);
    }
    for (size_t i = 0; i < n; i++)
        if (!covered[i])
            rest[nrest++] = f[i];
    nv_sha256(rest, nrest, d);
    ok &= ok && c->sec[ns].size == nrest &&
          memcmp(d, c->sec[ns].sha256, sizeof d) == 0;
    nv_free(covered);
    nv_free(rest);
    return ok;
}

/* Whether data[0..n) could be written to a new file at path. */
static int write_file(const char *path, const void *data, size_t n)
{
    FILE *out = fopen(path, "wb");
    int ok = out && fwrite(data, 1, n, out) == n;
    return out && !fclose(out) && ok;
}

/* Digest f[0..n) written to the file path, read through r. */
static enum nv_rc digest_as_file(const char *path, const unsigned char *f,
                                 size_t n, struct nv_content_reader *r,
                                 struct nv_arena *a, struct nv_content *c,
                                 struct nv_err *err)
{
    if (!write_file(path, f, n))
        return NV_EIO;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return NV_EIO;
    enum nv_rc rc = nv_content_digest_fd(r, fd, n, "f", a, c, err);
    close(fd);
    return rc;
}

/* Section digests, whole, streamed in random pieces and read from a file
 * through a window of 64 KiB (overlapping sections read again), against
 * brute force on seeded random ELF files up to 600 KB. */
NV_TEST(content_digests_against_oracle)
{
    static unsigned char f[600000];
    static struct gen_section s[40];
    struct nv_content_stream *cs = nv_content_stream_new();
    struct nv_content_reader r = {0};
    struct nv_err err = {0};
    char path[300];
    snprintf(path, sizeof path, "%s/elf", nv_t_tmpdir());
    ASSERT(cs);
    for (unsigned seed = 1; seed <= 300; seed++) {
        unsigned st = seed;
        uint32_t ns = 1 + (uint32_t)rand_r(&st) % 39;
        size_t n = 64 * (ns + 2) + 8 * (ns + 1) +
                   (size_t)rand_r(&st) % (seed % 3 ? 600 : 590000);
        struct nv_arena a;
        struct nv_content c, streamed;
        random_elf(f, n, s, ns, &st);
        nv_arena_init(&a);
        ASSERT_EQ(nv_content_digest(f, n, &a, &c, &err), NV_OK);
        ASSERT(content_oracle(f, n, s, ns, &c));
        for (size_t at = 0, piece; at < n; at += piece) {
            piece = 1 + (size_t)rand_r(&st) % 100000;
            piece = piece < n - at ? piece : n - at;
            ASSERT_EQ(nv_content_stream_add(cs, f + at, piece, &err), NV_OK);
        }
        ASSERT_EQ(nv_content_stream_end(cs, &a, &streamed, &err), NV_OK);
        ASSERT(content_oracle(f, n, s, ns, &streamed));
        ASSERT_EQ(digest_as_file(path, f, n, &r, &a, &c, &err), NV_OK);
        ASSERT(content_oracle(f, n, s, ns, &c));
        nv_arena_release(&a);
    }
    nv_content_stream_free(cs);
    nv_content_reader_release(&r);
}

/* A file shorter than the size it was given, read whole or through the
 * window, is an error that says so, not a digest of what is there. */
NV_TEST(content_of_file_cut_short)
{
    static unsigned char f[200000];
    static struct gen_section s[4];
    struct nv_content_reader r = {0};
    char path[300];
    unsigned seed = 7;
    snprintf(path, sizeof path, "%s/short", nv_t_tmpdir());
    random_elf(f, sizeof f, s, 4, &seed);
    for (size_t n = 100; n <= sizeof f; n += sizeof f - 100) {
        ASSERT(write_file(path, f, n));
        int fd = open(path, O_RDONLY);
        ASSERT(fd >= 0);
        struct nv_arena a;
        struct nv_content c;
        struct nv_err err = {0};
        nv_arena_init(&a);
        ASSERT_EQ(nv_content_digest_fd(&r, fd, n + 1, "short", &a, &c, &err),
                  NV_EIO);
        ASSERT_STREQ(err.msg, "short: changed while read");
        close(fd);
        nv_arena_release(&a);
    }
    nv_content_reader_release(&r);
}

static const char *deb(const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s", nv_t_data_path(name));
    return path;
}

static enum nv_rc read_image(const char *path, struct nv_manifest *m)
{
    struct nv_image_limits l;
    struct nv_err err = {0};
    nv_image_limits_default(&l);
    nv_manifest_init(m);
    return nv_image_read(path, &l, m, &err);
}

static int same_entry(const struct nv_mfile *a, const struct nv_mfile *b)
{
    if (a->path_len != b->path_len || memcmp(a->path, b->path, a->path_len) ||
        a->type != b->type || a->mode != b->mode || a->uid != b->uid ||
        a->gid != b->gid || a->link_len != b->link_len ||
        a->caps_len != b->caps_len || a->content.size != b->content.size ||
        a->content.nsec != b->content.nsec ||
        memcmp(a->content.sha256, b->content.sha256, NV_SHA256_LEN))
        return 0;
    for (uint32_t i = 0; i < a->content.nsec; i++)
        if (strcmp(a->content.sec[i].name, b->content.sec[i].name) ||
            memcmp(a->content.sec[i].sha256, b->content.sec[i].sha256,
                   NV_SHA256_LEN))
            return 0;
    return 1;
}

/* Write a statement to memory; the text, freed with free(). */
static char *statement_text(const struct nv_manifest *m, size_t *len)
{
    char *text = NULL;
    struct nv_err err = {0};
    FILE *f = open_memstream(&text, len);
    if (!f)
        return NULL;
    enum nv_rc rc = nv_statement_write(m, f, &err);
    fclose(f);
    if (rc) {
        free(text);
        return NULL;
    }
    return text;
}

NV_TEST(statement_round_trip_on_a_real_package)
{
    struct nv_manifest m, back;
    struct nv_err err = {0};
    ASSERT_EQ(read_image(deb("debs/libc6_2.36-9+deb12u7_amd64.deb"), &m),
              NV_OK);
    ASSERT_STREQ(m.format, "deb");
    ASSERT(m.n > 250);
    m.build.name = "libc6";
    m.build.version = "2.36-9+deb12u7";
    size_t len = 0;
    char *text = statement_text(&m, &len);
    ASSERT(text);
    ASSERT(nv_statement_size(&m) >= len); /* no path here needs escaping */
    nv_manifest_init(&back);
    ASSERT_EQ(nv_statement_read(text, len, "s.json", &back, &err), NV_OK);
    ASSERT_EQ(back.n, m.n);
    for (size_t i = 0; i < m.n; i++)
        ASSERT(same_entry(&m.f[i], &back.f[i]));
    ASSERT_STREQ(back.build.version, "2.36-9+deb12u7");
    ASSERT(memcmp(back.image_sha256, m.image_sha256, NV_SHA256_LEN) == 0);

    /* A subject that disagrees with its file is found, with its place. */
    char *digest = strstr(text, "\"sha256\":\"");
    ASSERT(digest);
    digest[10] = digest[10] == '0' ? '1' : '0';
    nv_manifest_release(&back);
    nv_manifest_init(&back);
    nv_err_clear(&err);
    ASSERT_EQ(nv_statement_read(text, len, "s.json", &back, &err), NV_EPARSE);
    ASSERT(strstr(err.msg, "subject disagrees") != NULL);
    ASSERT_EQ(err.line, 1);
    ASSERT(err.col > 1);
    free(text);
    nv_manifest_release(&back);
    nv_manifest_release(&m);
}

/* Real updates compared through the library, counted by class. */
NV_TEST(diff_libc6_update)
{
    struct nv_manifest a, b;
    struct nv_diff d;
    struct nv_err err = {0};
    ASSERT_EQ(read_image(deb("debs/libc6_2.36-9+deb12u7_amd64.deb"), &a),
              NV_OK);
    ASSERT_EQ(read_image(deb("debs/libc6_2.36-9+deb12u14_amd64.deb"), &b),
              NV_OK);
    ASSERT_EQ(nv_diff_compute(&a, &b, &d, &err), NV_OK);
    ASSERT_EQ(d.noise, 263);
    ASSERT_EQ(d.code, 10);
    ASSERT_EQ(d.changed, 275);
    ASSERT_EQ(d.added + d.removed + d.metadata + d.nissues, 0);
    ASSERT(!nv_diff_only_noise(&d));
    nv_diff_release(&d);
    /* A manifest against itself: nothing. */
    ASSERT_EQ(nv_diff_compute(&a, &a, &d, &err), NV_OK);
    ASSERT_EQ(d.n, 0);
    nv_diff_release(&d);
    nv_manifest_release(&a);
    nv_manifest_release(&b);
}

/* Two contents with sections named as given, differing in those marked. */
static void sections(struct nv_content *c, struct nv_section_digest *s,
                     const char *const *names, int n, const char *differ)
{
    memset(c, 0, sizeof *c);
    for (int i = 0; i < n; i++) {
        memset(&s[i], 0, sizeof s[i]);
        s[i].name = names[i];
        s[i].size = 10;
        s[i].sha256[0] = (unsigned char)(differ && strstr(differ, names[i]));
    }
    c->sec = s;
    c->nsec = (uint32_t)n;
    c->sha256[0] = differ != NULL;
}

static enum nv_diff_class class_of(const char *differ)
{
    static const char *const names[] = {".text", ".note.gnu.build-id",
                                        ".gnu_debuglink", NV_CONTENT_OUTSIDE};
    struct nv_section_digest sa[4], sb[4];
    struct nv_manifest a, b;
    struct nv_mfile fa = entry("bin/x", NV_FT_FILE, NULL), fb = fa;
    struct nv_diff d;
    struct nv_err err = {0};
    sections(&fa.content, sa, names, 4, NULL);
    sections(&fb.content, sb, names, 4, differ);
    nv_manifest_init(&a);
    nv_manifest_init(&b);
    enum nv_diff_class cls = (enum nv_diff_class) - 1;
    if (!nv_manifest_add(&a, &fa, &err) && !nv_manifest_add(&b, &fb, &err) &&
        !nv_manifest_finish(&a, &err) && !nv_manifest_finish(&b, &err) &&
        !nv_diff_compute(&a, &b, &d, &err)) {
        cls = d.n == 1 ? d.v[0].cls : NV_DIFF_NOT_CONTENT;
        nv_diff_release(&d);
    }
    nv_manifest_release(&a);
    nv_manifest_release(&b);
    return cls;
}

NV_TEST(diff_classes)
{
    ASSERT_EQ(class_of(NULL), NV_DIFF_NOT_CONTENT);
    ASSERT_EQ(class_of(".note.gnu.build-id"), NV_DIFF_NOISE);
    ASSERT_EQ(class_of(".note.gnu.build-id .gnu_debuglink"), NV_DIFF_NOISE);
    ASSERT_EQ(class_of(".note.gnu.build-id .text"), NV_DIFF_CODE);
    ASSERT_EQ(class_of(NV_CONTENT_OUTSIDE), NV_DIFF_CODE);
    ASSERT_EQ(class_of("(none)"), NV_DIFF_CODE); /* bytes, no section */
}

/* The names of the sections of x that y lacks or has otherwise, pairing
 * the k-th of a name with the k-th, appended to out unless listed: the
 * brute-force oracle of the section comparison. */
static void sections_oracle(const struct nv_content *x,
                            const struct nv_content *y, const char **out,
                            uint32_t *n)
{
    for (uint32_t i = 0; i < x->nsec; i++) {
        uint32_t k = 0, listed = 0;
        const struct nv_section_digest *o = NULL;
        for (uint32_t j = 0; j < i; j++)
            k += strcmp(x->sec[j].name, x->sec[i].name) == 0;
        for (uint32_t j = 0; j < y->nsec && !o; j++)
            if (strcmp(y->sec[j].name, x->sec[i].name) == 0 && k-- == 0)
                o = &y->sec[j];
        if (o && o->size == x->sec[i].size &&
            memcmp(o->sha256, x->sec[i].sha256, NV_SHA256_LEN) == 0)
            continue;
        for (uint32_t j = 0; j < *n; j++)
            listed |= strcmp(out[j], x->sec[i].name) == 0;
        if (!listed)
            out[(*n)++] = x->sec[i].name;
    }
}

/* n sections with names from a small pool (so that names repeat) and
 * digests from a smaller one (so that many pairs agree). */
static void random_sections(struct nv_section_digest *v, uint32_t n,
                            unsigned *seed)
{
    static const char *const pool[] = {
        ".text", ".data", ".a", ".b", ".note.gnu.build-id", ".gnu_debuglink"};

    for (uint32_t i = 0; i < n; i++) {
        unsigned r = (unsigned)rand_r(seed);
        memset(&v[i], 0, sizeof v[i]);
        v[i].name = pool[r % 6];
        v[i].size = 10;
        v[i].sha256[0] = (unsigned char)((r >> 8) % 2);
    }
}

/* Seeded random section tables against the brute-force comparison: the
 * same names listed in the same order, and the same class. */
NV_TEST(diff_sections_against_oracle)
{
    static struct nv_section_digest sa[400], sb[400];
    static const char *want_v[800];

    for (unsigned seed = 1; seed <= 200; seed++) {
        unsigned st = seed;
        uint32_t na = 1 + (unsigned)rand_r(&st) % (seed < 190 ? 12 : 400);
        uint32_t nb = 1 + (unsigned)rand_r(&st) % (seed < 190 ? 12 : 400),
                 n = 0;
        struct nv_manifest a, b;
        struct nv_mfile fa = entry("bin/x", NV_FT_FILE, NULL), fb = fa;
        struct nv_diff d;
        struct nv_err err = {0};
        random_sections(sa, na, &st);
        random_sections(sb, nb, &st);
        fa.content.sec = sa;
        fa.content.nsec = na;
        fb.content.sec = sb;
        fb.content.nsec = nb;
        fb.content.sha256[0] = 1;
        nv_manifest_init(&a);
        nv_manifest_init(&b);
        ASSERT(!nv_manifest_add(&a, &fa, &err) &&
               !nv_manifest_add(&b, &fb, &err));
        ASSERT(!nv_manifest_finish(&a, &err) && !nv_manifest_finish(&b, &err));
        ASSERT_EQ(nv_diff_compute(&a, &b, &d, &err), NV_OK);
        sections_oracle(&fa.content, &fb.content, want_v, &n);
        sections_oracle(&fb.content, &fa.content, want_v, &n);
        ASSERT_EQ(d.n, 1);
        ASSERT_EQ(d.v[0].nsections, n);
        int code = n == 0;
        for (uint32_t i = 0; i < n; i++) {
            ASSERT_STREQ(d.v[0].sections[i], want_v[i]);
            code |= strcmp(want_v[i], ".note.gnu.build-id") != 0 &&
                    strcmp(want_v[i], ".gnu_debuglink") != 0;
        }
        ASSERT_EQ(d.v[0].cls, code ? NV_DIFF_CODE : NV_DIFF_NOISE);
        nv_diff_release(&d);
        nv_manifest_release(&a);
        nv_manifest_release(&b);
    }
}

/* The issues of got that want lacks, by brute force: the oracle. */
static size_t issues_oracle(const struct nv_manifest *want,
                            const struct nv_manifest *got,
                            const struct nv_missue **out)
{
    size_t n = 0;

    for (size_t i = 0; i < got->nissue; i++) {
        const struct nv_missue *g = &got->issue[i];
        int seen = 0;
        for (size_t j = 0; j < want->nissue && !seen; j++)
            seen = want->issue[j].kind == g->kind &&
                   want->issue[j].path_len == g->path_len &&
                   memcmp(want->issue[j].path, g->path, g->path_len) == 0;
        if (!seen)
            out[n++] = g;
    }
    return n;
}

/* n random issues from a small pool of paths (prefixes of each other,
 * with NUL bytes) and kinds, so that many repeat across manifests. */
static int random_issues(struct nv_manifest *m, size_t n, unsigned *seed)
{
    struct nv_err err = {0};

    for (size_t i = 0; i < n; i++) {
        char path[16] = "p/\0";
        unsigned r = (unsigned)rand_r(seed);
        size_t len = 2 + r % 5;
        for (size_t k = 2; k < len; k++)
            path[k] = (char)("01\0"[(r >> (3 * k)) % 3]);
        if (nv_manifest_issue(m, path, len,
                              (enum nv_issue_kind)(r >> 28) % NV_ISSUE_COUNT,
                              &err))
            return -1;
    }
    return 0;
}

/* Seeded random issue lists against the brute-force comparison, up to
 * thousands of issues a side (the comparison is O(n log n)). */
NV_TEST(diff_issues_against_oracle)
{
    static const size_t sizes[] = {0, 1, 7, 100, 3000};
    static const struct nv_missue *want_v[3000];

    for (unsigned seed = 1; seed <= 25; seed++) {
        unsigned st = seed;
        size_t na = sizes[seed % 5], nb = sizes[(seed / 5) % 5];
        struct nv_manifest a, b;
        struct nv_diff d;
        struct nv_err err = {0};
        nv_manifest_init(&a);
        nv_manifest_init(&b);
        ASSERT_EQ(random_issues(&a, na, &st), 0);
        ASSERT_EQ(random_issues(&b, nb, &st), 0);
        ASSERT_EQ(nv_manifest_finish(&a, &err), NV_OK);
        ASSERT_EQ(nv_manifest_finish(&b, &err), NV_OK);
        ASSERT_EQ(nv_diff_compute(&a, &b, &d, &err), NV_OK);
        size_t n = issues_oracle(&a, &b, want_v);
        ASSERT_EQ(d.nissues, n);
        for (size_t i = 0; i < n; i++)
            ASSERT(d.issues[i] == want_v[i]);
        ASSERT(nb < 100 || na < 100 || n < nb);
        nv_diff_release(&d);
        nv_manifest_release(&a);
        nv_manifest_release(&b);
    }
}

/* Each allocation of a comparison with sections and issues fails in
 * turn: NV_ENOMEM and nothing leaked (the sanitizer build checks). */
NV_TEST(diff_allocation_failures)
{
    static struct nv_section_digest sa[20], sb[20];
    struct nv_manifest a, b;
    struct nv_mfile fa = entry("bin/x", NV_FT_FILE, NULL), fb = fa;
    struct nv_diff d;
    struct nv_err err = {0};
    unsigned st = 7;
    enum nv_rc rc = NV_ENOMEM;

    random_sections(sa, 20, &st);
    random_sections(sb, 20, &st);
    fa.content = (struct nv_content){.nsec = 20, .sec = sa};
    fb.content = (struct nv_content){.nsec = 20, .sec = sb};
    fb.content.sha256[0] = 1;
    nv_manifest_init(&a);
    nv_manifest_init(&b);
    ASSERT(!nv_manifest_add(&a, &fa, &err) && !nv_manifest_add(&b, &fb, &err));
    ASSERT_EQ(random_issues(&a, 50, &st), 0);
    ASSERT_EQ(random_issues(&b, 50, &st), 0);
    ASSERT(!nv_manifest_finish(&a, &err) && !nv_manifest_finish(&b, &err));
    for (long n = 0; rc == NV_ENOMEM; n++) {
        nv_alloc_fail_after(n);
        rc = nv_diff_compute(&a, &b, &d, &err);
        nv_alloc_fail_after(-1);
        ASSERT(rc == NV_OK || rc == NV_ENOMEM);
    }
    ASSERT(d.n == 1 && d.v[0].nsections > 0);
    nv_diff_release(&d);
    nv_manifest_release(&a);
    nv_manifest_release(&b);
}

NV_TEST(image_budget_stops_bombs)
{
    struct nv_image_limits l;
    struct nv_err err = {0};
    nv_image_limits_default(&l);
    l.ratio_after = 1000;
    l.max_ratio = 100;
    l.max_bytes = 1 << 20;
    l.max_entries = 3;
    struct image_budget b = {&l, "bomb.tgz", 0, 0};
    ASSERT_EQ(image_charge_bytes(&b, 900, 1, &err), NV_OK);    /* not yet */
    ASSERT_EQ(image_charge_bytes(&b, 1000, 100, &err), NV_OK); /* 19:1 */
    nv_err_clear(&err);
    ASSERT_EQ(image_charge_bytes(&b, 100000, 100, &err), NV_ELIMIT);
    ASSERT(strstr(err.msg, "decompression bomb") != NULL);
    ASSERT_STREQ(err.file, "bomb.tgz");
    b.bytes = 0;
    ASSERT_EQ(image_charge_bytes(&b, (1 << 20) + 1, 1 << 20, &err), NV_ELIMIT);
    for (int i = 0; i < 3; i++)
        ASSERT_EQ(image_charge_entry(&b, &err), NV_OK);
    ASSERT_EQ(image_charge_entry(&b, &err), NV_ELIMIT);
}

/* Read dir with every allocation failing in turn, its files read whole or
 * through a window of 64 KiB, on threads: NV_ENOMEM, no crash and no leak
 * (make asan). */
static void read_dir_sweep(struct nv_t *T, const char *dir, int windowed,
                           int threads)
{
    for (long n = 0;; n++) {
        struct nv_image_limits l;
        struct nv_manifest r;
        struct nv_err err = {0};
        nv_image_limits_default(&l);
        l.read_window = windowed ? 0 : l.read_window;
        l.threads = (uint32_t)threads;
        nv_manifest_init(&r);
        nv_alloc_fail_after(n);
        enum nv_rc rc = nv_image_read(dir, &l, &r, &err);
        int failed = nv_alloc_failed();
        nv_alloc_fail_after(-1);
        nv_manifest_release(&r);
        ASSERT(rc == NV_OK || rc == NV_ENOMEM);
        if (!failed)
            break;
        ASSERT(n < 100000);
    }
}

/* Read dir under limits a into m[0] and under b into m[1] (released by
 * the caller): whether both read it and gave the same entries. */
static int read_alike(const char *dir, const struct nv_image_limits *a,
                      const struct nv_image_limits *b, struct nv_manifest m[2])
{
    const struct nv_image_limits *l[2] = {a, b};
    struct nv_err err = {0};
    int ok = 1;
    for (int i = 0; i < 2; i++) {
        nv_manifest_init(&m[i]);
        ok &= nv_image_read(dir, l[i], &m[i], &err) == NV_OK;
    }
    ok &= m[0].n == m[1].n;
    for (size_t i = 0; ok && i < m[0].n; i++)
        ok &= same_entry(&m[0].f[i], &m[1].f[i]);
    return ok;
}

/* A directory's files give the same digests read whole as through a
 * window of 64 KiB: an ELF file (this program) with its sections, and a
 * small file. */
NV_TEST(directory_files_read_whole_or_windowed_alike)
{
    struct nv_file exe;
    struct nv_err err = {0};
    char dir[256], path[300];
    snprintf(dir, sizeof dir, "%s", nv_t_tmpdir());
    ASSERT_EQ(nv_file_read(&exe, "/proc/self/exe", (size_t)1 << 28, &err),
              NV_OK);
    snprintf(path, sizeof path, "%s/prog", dir);
    ASSERT(write_file(path, exe.data, exe.len));
    snprintf(path, sizeof path, "%s/note.txt", dir);
    ASSERT(write_file(path, "evaluated\n", 10));
    unsigned char whole[NV_SHA256_LEN];
    nv_sha256(exe.data, exe.len, whole);
    nv_file_release(&exe);
    struct nv_image_limits l[2];
    struct nv_manifest m[2];
    nv_image_limits_default(&l[0]);
    l[1] = l[0];
    l[1].read_window = 0;
    ASSERT(read_alike(dir, &l[0], &l[1], m));
    int sections = 0;
    for (size_t i = 0; i < m[0].n; i++) {
        sections += (int)m[0].f[i].content.nsec;
        if (strcmp(m[0].f[i].path, "prog") == 0)
            ASSERT(!memcmp(m[0].f[i].content.sha256, whole, NV_SHA256_LEN));
    }
    ASSERT(sections > 10);
    nv_manifest_release(&m[0]);
    nv_manifest_release(&m[1]);

    /* Every allocation of reading it fails in turn, whether files are read
     * whole or through the window. */
    read_dir_sweep(T, dir, 0, 1);
    read_dir_sweep(T, dir, 1, 1);
}

/* A tree hashed while it is walked, on several threads, gives what one
 * thread gives, and each file the digest of the bytes written to it: 300
 * small files in 12 directories and three copies of an ELF file. */
NV_TEST(directory_hashed_while_walked_on_threads)
{
    struct nv_file exe;
    struct nv_err err = {0};
    char dir[256], path[400];
    snprintf(dir, sizeof dir, "%s", nv_t_tmpdir());
    ASSERT_EQ(nv_file_read(&exe, "/proc/self/exe", (size_t)1 << 28, &err),
              NV_OK);
    unsigned char body[5000];
    for (size_t i = 0; i < sizeof body; i++)
        body[i] = (unsigned char)(i * 131 + 7);
    for (int d = 0; d < 12; d++) {
        snprintf(path, sizeof path, "%s/d%02d", dir, d);
        ASSERT_EQ(mkdir(path, 0755), 0);
        for (int k = 0; k < 25; k++) {
            snprintf(path, sizeof path, "%s/d%02d/f%02d", dir, d, k);
            ASSERT(write_file(path, body,
                              (size_t)(d * 25 + k) * 97 % sizeof body));
        }
        if (d % 4 == 0) {
            snprintf(path, sizeof path, "%s/d%02d/prog", dir, d);
            ASSERT(write_file(path, exe.data, exe.len));
        }
    }
    unsigned char whole[NV_SHA256_LEN];
    nv_sha256(exe.data, exe.len, whole);
    nv_file_release(&exe);
    struct nv_image_limits l[2];
    struct nv_manifest m[2];
    nv_image_limits_default(&l[0]);
    l[1] = l[0];
    l[0].threads = 1;
    l[1].threads = 4;
    ASSERT(read_alike(dir, &l[0], &l[1], m));
    ASSERT_EQ(m[1].n, (size_t)(12 + 300 + 3));
    for (size_t i = 0; i < m[1].n; i++) {
        const struct nv_mfile *f = &m[1].f[i];
        unsigned d, k;
        unsigned char want[NV_SHA256_LEN];
        if (sscanf(f->path, "d%u/f%u", &d, &k) == 2) {
            nv_sha256(body, (d * 25 + k) * 97 % sizeof body, want);
            ASSERT(!memcmp(f->content.sha256, want, NV_SHA256_LEN));
        } else if (strstr(f->path, "/prog")) {
            ASSERT(!memcmp(f->content.sha256, whole, NV_SHA256_LEN));
            ASSERT(f->content.nsec > 10);
        }
    }
    nv_manifest_release(&m[0]);
    nv_manifest_release(&m[1]);

    /* Every allocation failing in turn, with threads waiting on the walk. */
    read_dir_sweep(T, dir, 0, 3);
}

/* A walk's path says which of its limit and memory ran out. */
NV_TEST(image_path_push_tells_limit_from_memory)
{
    struct nv_buf path;
    struct nv_err err = {0};
    nv_buf_init(&path, 8);
    ASSERT_EQ(image_path_push(&path, "usr", &err), NV_OK);
    ASSERT_EQ(image_path_push(&path, "lib", &err), NV_OK);
    ASSERT_STREQ(path.data, "usr/lib");
    ASSERT_EQ(image_path_push(&path, "x86_64", &err), NV_ELIMIT);
    ASSERT(strstr(err.msg, "path too long in usr/lib") != NULL);
    nv_buf_release(&path);
    nv_err_clear(&err);
    nv_alloc_fail_after(0);
    ASSERT_EQ(image_path_push(&path, "usr", &err), NV_ENOMEM);
    nv_alloc_fail_after(-1);
    ASSERT(strstr(err.msg, "out of memory") != NULL);
    nv_buf_release(&path);
}

/* Every allocation of reading an image and its statement fails in turn:
 * always NV_ENOMEM, never a crash or a leak (make asan). */
NV_TEST(integrity_allocation_failures)
{
    const char *path = deb("debs/dropbear-bin_2022.83-1+deb12u3_amd64.deb");
    struct nv_manifest m;
    ASSERT_EQ(read_image(path, &m), NV_OK);
    size_t len = 0;
    char *text = statement_text(&m, &len);
    ASSERT(text);
    nv_manifest_release(&m);
    for (long n = 0;; n++) {
        struct nv_manifest r;
        struct nv_err err = {0};
        nv_manifest_init(&r);
        nv_alloc_fail_after(n);
        enum nv_rc a = read_image(path, &m);
        enum nv_rc b = nv_statement_read(text, len, "s.json", &r, &err);
        int failed = nv_alloc_failed();
        nv_alloc_fail_after(-1);
        nv_manifest_release(&m);
        nv_manifest_release(&r);
        ASSERT(a == NV_OK || a == NV_ENOMEM);
        ASSERT(b == NV_OK || b == NV_ENOMEM);
        if (!failed)
            break;
        ASSERT(n < 100000);
    }
    free(text);
}

/* File capabilities go through a statement and are compared. */
NV_TEST(capabilities_round_trip_and_diff)
{
    static const unsigned char raw[20] = {1, 0, 0, 2, 0, 0x20};
    struct nv_manifest a, b, back;
    struct nv_mfile plain = entry("usr/sbin/ping", NV_FT_FILE, NULL);
    struct nv_mfile capped = plain;
    struct nv_err err = {0};
    struct nv_diff d;
    capped.caps = raw;
    capped.caps_len = sizeof raw;
    nv_manifest_init(&a);
    nv_manifest_init(&b);
    nv_manifest_init(&back);
    ASSERT_EQ(nv_manifest_add(&a, &plain, &err), NV_OK);
    ASSERT_EQ(nv_manifest_add(&b, &capped, &err), NV_OK);
    ASSERT_EQ(nv_manifest_finish(&a, &err), NV_OK);
    ASSERT_EQ(nv_manifest_finish(&b, &err), NV_OK);
    size_t len = 0;
    char *text = statement_text(&b, &len);
    ASSERT(text && strstr(text, "\"capability\":\"0100000200200000"));
    ASSERT_EQ(nv_statement_read(text, len, "s.json", &back, &err), NV_OK);
    ASSERT_EQ(back.f[0].caps_len, sizeof raw);
    ASSERT(memcmp(back.f[0].caps, raw, sizeof raw) == 0);
    ASSERT_EQ(nv_diff_compute(&a, &back, &d, &err), NV_OK);
    ASSERT_EQ(d.n, 1);
    ASSERT_EQ(d.v[0].what, NV_DIFF_CAPS);
    nv_diff_release(&d);
    ASSERT_EQ(nv_diff_compute(&b, &back, &d, &err), NV_OK);
    ASSERT_EQ(d.n, 0);
    nv_diff_release(&d);

    char *cap = strstr(text, "\"capability\":\"") + 14;
    cap[0] = 'x'; /* not hex */
    nv_manifest_release(&back);
    nv_manifest_init(&back);
    ASSERT_EQ(nv_statement_read(text, len, "s.json", &back, &err), NV_EPARSE);
    free(text);
    nv_manifest_release(&a);
    nv_manifest_release(&b);
    nv_manifest_release(&back);
}
