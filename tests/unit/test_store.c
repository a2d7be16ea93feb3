/*
 * test_store.c - the history store: snapshots added, named, read back and
 * checked; migration, foreign and newer files; two writers at once; a
 * crash at each write of an add; every allocation failing in turn.
 */
#include "test.h"

#include "core/alloc.h"
#include "core/crypto.h"
#include "model/load.h"
#include "model/save.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* name in a new temporary directory; a static buffer, overwritten by
 * the next call. */
static const char *tmp_path(const char *name)
{
    static char path[4096];

    snprintf(path, sizeof path, "%s/%s", nv_t_tmpdir(), name);
    return path;
}

/* A small snapshot text, different for each n. */
static size_t text_of(unsigned n, char *out, size_t size)
{
    return (size_t)snprintf(out, size,
                            "{\"netvet\": 1, \"assets\": [{\"id\": \"a%u\", "
                            "\"vendor\": \"Acme\"}]}",
                            n);
}

static enum nv_rc add(struct nv_store *s, unsigned n, char *id, int *added)
{
    char text[200];
    struct nv_snapshot_new sn = {
        text,       text_of(n, text, sizeof text), "tester",
        "a change", "2026-01-01T00:00:00Z",        {0, 0, 1, 0, 0, 0}};
    char buf[NV_SHA256_HEX];
    int a;
    struct nv_err err = {0};

    return nv_store_add(s, &sn, id ? id : buf, added ? added : &a, &err);
}

static uint32_t count(const char *path)
{
    struct nv_store *s = NULL;
    struct nv_snapshots l;
    struct nv_err err = {0};
    uint32_t n;

    if (nv_store_open(path, &s, &err) || nv_store_list(s, &l, &err)) {
        nv_store_close(s);
        return UINT32_MAX;
    }
    n = l.n;
    nv_store_snapshots_release(&l);
    nv_store_close(s);
    return n;
}

NV_TEST(store_adds_names_and_reads_back)
{
    const char *path = tmp_path("a.db");
    struct nv_store *s = NULL;
    struct nv_snapshot info;
    struct nv_arena a;
    struct nv_err err = {0};
    char id1[NV_SHA256_HEX], id2[NV_SHA256_HEX], got[NV_SHA256_HEX];
    char text[200], *back = NULL, prefix[8];
    size_t len = 0;
    int added = 0;

    ASSERT_EQ(nv_store_create(path, &err), NV_OK);
    ASSERT_EQ(nv_store_create(path, &err), NV_EDUP);
    ASSERT_EQ(nv_store_open(path, &s, &err), NV_OK);
    ASSERT_EQ(nv_store_resolve(s, "last", got, &err), NV_ENOENT);
    ASSERT_EQ(add(s, 1, id1, &added), NV_OK);
    ASSERT_EQ(added, 1);
    ASSERT_EQ(add(s, 2, id2, &added), NV_OK);
    ASSERT_EQ(add(s, 1, got, &added), NV_OK);
    ASSERT_EQ(added, 0); /* the same model again is the same snapshot */
    ASSERT_STREQ(got, id1);

    /* The id is the SHA-256 of the text. */
    unsigned char d[NV_SHA256_LEN];
    char hex[NV_SHA256_HEX];
    nv_sha256(text, text_of(1, text, sizeof text), d);
    nv_hex(d, sizeof d, hex);
    ASSERT_STREQ(hex, id1);

    ASSERT_EQ(nv_store_resolve(s, "last", got, &err), NV_OK);
    ASSERT_STREQ(got, id2);
    ASSERT_EQ(nv_store_resolve(s, "prev", got, &err), NV_OK);
    ASSERT_STREQ(got, id1);
    memcpy(prefix, id2, 6);
    prefix[6] = '\0';
    ASSERT_EQ(nv_store_resolve(s, prefix, got, &err), NV_OK);
    ASSERT_STREQ(got, id2);
    ASSERT_EQ(nv_store_resolve(s, "abc", got, &err), NV_EINVAL);
    ASSERT_EQ(nv_store_resolve(s, "zzzz", got, &err), NV_EINVAL);

    nv_arena_init(&a);
    ASSERT_EQ(nv_store_get(s, id1, &back, &len, &info, &a, &err), NV_OK);
    ASSERT_EQ(len, text_of(1, text, sizeof text));
    ASSERT(memcmp(back, text, len) == 0);
    ASSERT_STREQ(info.author, "tester");
    ASSERT_EQ(info.seq, 1);
    ASSERT_EQ(info.counts[2], 1);
    nv_free(back);
    nv_arena_release(&a);

    struct nv_snapshot_new empty = {"x", 1, "me", "", "t", {0}};
    ASSERT_EQ(nv_store_add(s, &empty, got, &added, &err), NV_EINVAL);
    nv_store_close(s);
    ASSERT_EQ(count(path), 2);
}

/* Two ids that share their first four hex digits make "abcd" ambiguous. */
/* A model added whole is hashed and compressed as it is written: the
 * same id as its canonical text added, and the same text back. */
NV_TEST(store_adds_a_model_as_its_canonical_text)
{
    const char *path = tmp_path("m.db"), *file = "examples/national/model.json";
    struct nv_store *s = NULL;
    struct nv_model *m = NULL;
    struct nv_err err = {0};
    char id1[NV_SHA256_HEX], id2[NV_SHA256_HEX], *text = NULL, *back = NULL;
    size_t len = 0, blen = 0;
    int added = 0;

    ASSERT_EQ(nv_load_model(&file, 1, &m, &err), NV_OK);
    ASSERT_EQ(nv_save_json_text(m, &text, &len, &err), NV_OK);
    struct nv_snapshot_new sn = {text, len, "tester", "a change", "t", {0}};
    ASSERT_EQ(nv_store_create(path, &err), NV_OK);
    ASSERT_EQ(nv_store_open(path, &s, &err), NV_OK);
    ASSERT_EQ(nv_store_add_model(s, m, &sn, id1, &added, &err), NV_OK);
    ASSERT_EQ(added, 1);
    ASSERT_EQ(nv_store_add(s, &sn, id2, &added, &err), NV_OK);
    ASSERT_EQ(added, 0);
    ASSERT_STREQ(id1, id2);
    ASSERT_EQ(nv_store_get(s, id1, &back, &blen, NULL, NULL, &err), NV_OK);
    ASSERT(blen == len && memcmp(back, text, len) == 0);
    nv_free(back);
    /* Every allocation failing in turn: an error, or the same id. */
    for (long n = 0;; n++) {
        nv_alloc_fail_after(n);
        enum nv_rc rc = nv_store_add_model(s, m, &sn, id2, &added, &err);
        int failed = nv_alloc_failed();
        nv_alloc_fail_after(-1);
        ASSERT(rc == NV_OK || (failed && rc == NV_ENOMEM));
        if (!failed)
            break;
    }
    ASSERT_STREQ(id1, id2);
    nv_store_close(s);
    nv_free(text);
    nv_model_free(m);
}

/* Snapshots kept as text (schema 2 and before) and compressed ones live
 * side by side and read back alike. */
NV_TEST(store_reads_text_and_compressed_snapshots)
{
    const char *path = tmp_path("mixed.db");
    struct nv_store *s = NULL;
    struct nv_err err = {0};
    char id[4][NV_SHA256_HEX], text[200], *back = NULL;
    size_t len = 0;

    ASSERT_EQ(nv_store_create(path, &err), NV_OK);
    ASSERT_EQ(nv_store_open(path, &s, &err), NV_OK);
    for (unsigned i = 0; i < 4; i++) {
        nv_store_keep_raw(i % 2);
        ASSERT_EQ(add(s, i, id[i], NULL), NV_OK);
    }
    nv_store_keep_raw(0);
    nv_store_close(s);
    ASSERT_EQ(nv_store_open(path, &s, &err), NV_OK);
    for (unsigned i = 0; i < 4; i++) {
        ASSERT_EQ(nv_store_get(s, id[i], &back, &len, NULL, NULL, &err), NV_OK);
        ASSERT(len == text_of(i, text, sizeof text) &&
               memcmp(back, text, len) == 0);
        nv_free(back);
    }
    nv_store_close(s);
}

NV_TEST(store_refuses_an_ambiguous_prefix)
{
    const char *path = tmp_path("amb.db");
    static unsigned first[65536];
    struct nv_store *s = NULL;
    struct nv_err err = {0};
    char id[NV_SHA256_HEX], prefix[5];
    unsigned n;

    for (n = 1;; n++) {
        char text[200];
        unsigned char d[NV_SHA256_LEN];
        nv_sha256(text, text_of(n, text, sizeof text), d);
        unsigned k = (unsigned)d[0] << 8 | d[1];
        if (first[k])
            break;
        first[k] = n;
    }
    ASSERT_EQ(nv_store_create(path, &err), NV_OK);
    ASSERT_EQ(nv_store_open(path, &s, &err), NV_OK);
    ASSERT_EQ(add(s, n, id, NULL), NV_OK);
    memcpy(prefix, id, 4);
    prefix[4] = '\0';
    ASSERT_EQ(nv_store_resolve(s, prefix, id, &err), NV_OK);
    ASSERT_EQ(add(s, first[((unsigned)strtoul(prefix, NULL, 16))], NULL, NULL),
              NV_OK);
    ASSERT_EQ(nv_store_resolve(s, prefix, id, &err), NV_EDUP);
    ASSERT(strstr(err.msg, "more than one") != NULL);
    nv_store_close(s);
}

static long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    long n;

    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fclose(f);
    return n;
}

/* Replace the first occurrence of from by to (same length) in the file. */
static int patch(const char *path, const char *from, const char *to)
{
    long n = file_size(path);
    char *b = n > 0 ? malloc((size_t)n) : NULL;
    FILE *f = b ? fopen(path, "r+b") : NULL;
    int done = 0;

    if (f && fread(b, 1, (size_t)n, f) == (size_t)n)
        for (long i = 0; i + (long)strlen(from) <= n && !done; i++)
            if (memcmp(b + i, from, strlen(from)) == 0) {
                fseek(f, i, SEEK_SET);
                done = fwrite(to, 1, strlen(to), f) == strlen(to);
            }
    if (f)
        fclose(f);
    free(b);
    return done ? 0 : -1;
}

/* Write 4 bytes big-endian at off: the header's user version (60) and
 * application id (68). */
static int poke(const char *path, long off, uint32_t v)
{
    unsigned char b[4] = {v >> 24, v >> 16 & 255, v >> 8 & 255, v & 255};
    FILE *f = fopen(path, "r+b");
    int ok = f && fseek(f, off, SEEK_SET) == 0 && fwrite(b, 1, 4, f) == 4;

    if (f)
        fclose(f);
    return ok ? 0 : -1;
}

NV_TEST(store_detects_an_altered_snapshot)
{
    const char *path = tmp_path("alt.db");
    struct nv_store *s = NULL;
    struct nv_err err = {0};
    char id[NV_SHA256_HEX], *text = NULL;
    size_t len;

    ASSERT_EQ(nv_store_create(path, &err), NV_OK);
    ASSERT_EQ(nv_store_open(path, &s, &err), NV_OK);
    ASSERT_EQ(add(s, 7, id, NULL), NV_OK);
    nv_store_close(s);
    ASSERT_EQ(patch(path, "\"Acme\"", "\"Acmf\""), 0);
    ASSERT_EQ(nv_store_open(path, &s, &err), NV_OK);
    ASSERT_EQ(nv_store_get(s, id, &text, &len, NULL, NULL, &err), NV_ECRYPTO);
    ASSERT(strstr(err.msg, "altered") != NULL);
    nv_store_close(s);
}

NV_TEST(store_refuses_foreign_newer_and_damaged_files)
{
    const char *path = tmp_path("f.db");
    struct nv_store *s = NULL;
    struct nv_err err = {0};
    FILE *f;

    ASSERT_EQ(nv_store_open(tmp_path("none.db"), &s, &err), NV_ENOENT);
    ASSERT_EQ(nv_store_open(nv_t_tmpdir(), &s, &err), NV_EPARSE);

    f = fopen(path, "w");
    ASSERT(f);
    fputs("{\"netvet\": 1}\nthis is no database at all, but long enough to "
          "look like one page of something............................\n",
          f);
    fclose(f);
    ASSERT_EQ(nv_store_open(path, &s, &err), NV_EPARSE);
    ASSERT(strstr(err.msg, "not a netvet store") != NULL);

    path = tmp_path("empty.db");
    f = fopen(path, "w");
    ASSERT(f);
    fclose(f);
    ASSERT_EQ(nv_store_open(path, &s, &err), NV_EPARSE);

    path = tmp_path("g.db");
    ASSERT_EQ(nv_store_create(path, &err), NV_OK);
    ASSERT_EQ(poke(path, 68, 0x12345678), 0);
    ASSERT_EQ(nv_store_open(path, &s, &err), NV_EPARSE);
    ASSERT(strstr(err.msg, "another program") != NULL);

    path = tmp_path("n.db");
    ASSERT_EQ(nv_store_create(path, &err), NV_OK);
    ASSERT_EQ(poke(path, 60, NV_STORE_SCHEMA + 1), 0);
    ASSERT_EQ(nv_store_open(path, &s, &err), NV_EUNSUPPORTED);
    ASSERT(strstr(err.msg, "newer") != NULL);
    ASSERT(s == NULL);
}

NV_TEST(store_migrates_an_older_schema_with_a_backup)
{
    const char *path = tmp_path("old.db");
    char backup[4200], *text = NULL, id[NV_SHA256_HEX];
    struct nv_store *s = NULL;
    struct nv_err err = {0};
    size_t len;

    ASSERT_EQ(nv_store_create_version(path, 1, &err), NV_OK);
    ASSERT_EQ(nv_store_open(path, &s, &err), NV_OK);
    ASSERT_EQ(nv_store_opened_version(s), 1);
    snprintf(backup, sizeof backup, "%s", nv_store_backup(s));
    ASSERT(strstr(backup, ".v1.bak") != NULL);
    ASSERT(file_size(backup) > 0);
    ASSERT_EQ(add(s, 3, id, NULL), NV_OK);
    ASSERT_EQ(nv_store_cache_put(s, id, "k", "{}", 2, &err), NV_OK);
    ASSERT_EQ(nv_store_cache_get(s, id, "k", &text, &len, &err), NV_OK);
    ASSERT(text && len == 2);
    nv_free(text);
    ASSERT_EQ(nv_store_cache_get(s, id, "other", &text, &len, &err), NV_OK);
    ASSERT(text == NULL);
    nv_store_close(s);

    /* Migrated once: the next open finds the current version. */
    ASSERT_EQ(nv_store_open(path, &s, &err), NV_OK);
    ASSERT_EQ(nv_store_opened_version(s), NV_STORE_SCHEMA);
    ASSERT_STREQ(nv_store_backup(s), "");
    nv_store_close(s);
    /* The backup is the old store, which opens (and migrates) too. */
    ASSERT_EQ(count(backup), 0);
}

/* Add snapshots first .. first + n - 1 in a child; its exit status. */
static pid_t adder(const char *path, unsigned first, unsigned n)
{
    pid_t pid = fork();

    if (pid == 0) {
        struct nv_store *s = NULL;
        struct nv_err err = {0};
        int bad = nv_store_open(path, &s, &err) != NV_OK;
        for (unsigned i = 0; i < n && !bad; i++)
            bad = add(s, first + i, NULL, NULL) != NV_OK;
        nv_store_close(s);
        _exit(bad);
    }
    return pid;
}

NV_TEST(store_two_writers_lose_nothing)
{
    const char *path = tmp_path("two.db");
    struct nv_err err = {0};
    pid_t p[2];
    int status;

    ASSERT_EQ(nv_store_create(path, &err), NV_OK);
    p[0] = adder(path, 1000, 25);
    p[1] = adder(path, 2000, 25);
    ASSERT(p[0] > 0 && p[1] > 0);
    for (int i = 0; i < 2; i++) {
        ASSERT_EQ(waitpid(p[i], &status, 0), p[i]);
        ASSERT(WIFEXITED(status));
        ASSERT_EQ(WEXITSTATUS(status), 0);
    }
    ASSERT_EQ(count(path), 50);
}

/* Add snapshot 2 to the store at path in a child that stops at write
 * `step`; the child's exit status, or -1. */
static int crashing_add(const char *path, long step)
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        struct nv_store *s = NULL;
        struct nv_err err = {0};
        nv_store_crash_after(step);
        int bad = nv_store_open(path, &s, &err) || add(s, 2, NULL, NULL);
        nv_store_close(s);
        _exit(bad);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

/* Every snapshot of the store reads back whole. */
static int all_readable(const char *path)
{
    struct nv_store *s = NULL;
    struct nv_snapshots l;
    struct nv_err err = {0};
    int bad = nv_store_open(path, &s, &err) || nv_store_list(s, &l, &err);

    for (uint32_t i = 0; !bad && i < l.n; i++) {
        char *text = NULL;
        size_t len;
        bad = nv_store_get(s, l.v[i].id, &text, &len, NULL, NULL, &err);
        nv_free(text);
    }
    if (s && !bad)
        nv_store_snapshots_release(&l);
    nv_store_close(s);
    return bad ? -1 : 0;
}

/*
 * Kill an add at its first, second, ... write, sync or truncation until
 * one completes.  Each time the store must open and hold the snapshot
 * before the add, or both, whole; and the next add must succeed.
 */
NV_TEST(store_crash_at_every_write)
{
    int status = NV_STORE_CRASH_EXIT, old = 0, both = 0;
    long step;

    for (step = 0; status == NV_STORE_CRASH_EXIT; step++) {
        char name[64];
        struct nv_store *s = NULL;
        struct nv_err err = {0};
        snprintf(name, sizeof name, "crash-%ld.db", step);
        const char *path = tmp_path(name);
        ASSERT_EQ(nv_store_create(path, &err), NV_OK);
        ASSERT_EQ(nv_store_open(path, &s, &err), NV_OK);
        ASSERT_EQ(add(s, 1, NULL, NULL), NV_OK);
        nv_store_close(s);
        status = crashing_add(path, step);
        ASSERT(status == 0 || status == NV_STORE_CRASH_EXIT);
        uint32_t n = count(path);
        ASSERT(n == 1 || n == 2);
        ASSERT(status != 0 || n == 2);
        old += n == 1;
        both += status != 0 && n == 2;
        ASSERT_EQ(all_readable(path), 0);
        ASSERT_EQ(nv_store_open(path, &s, &err), NV_OK);
        ASSERT_EQ(add(s, 3, NULL, NULL), NV_OK);
        nv_store_close(s);
        ASSERT_EQ(count(path), n + 1);
    }
    /* The commit is one of the writes: before it the old store, after it
     * the new one. */
    ASSERT(step >= 4);
    ASSERT(old >= 1);
    ASSERT(old + both == step - 1);
}

static enum nv_rc store_round(const char *path)
{
    struct nv_store *s = NULL;
    struct nv_snapshots l = {0};
    struct nv_err err = {0};
    char id[NV_SHA256_HEX], *text = NULL;
    size_t len;
    enum nv_rc rc = nv_store_open(path, &s, &err);

    if (!rc)
        rc = add(s, 9, id, NULL);
    if (!rc)
        rc = nv_store_list(s, &l, &err);
    if (!rc)
        rc = nv_store_resolve(s, "last", id, &err);
    if (!rc)
        rc = nv_store_get(s, id, &text, &len, NULL, NULL, &err);
    if (!rc)
        rc = nv_store_cache_put(s, id, "k", "x", 1, &err);
    nv_free(text);
    text = NULL;
    if (!rc)
        rc = nv_store_cache_get(s, id, "k", &text, &len, &err);
    nv_free(text);
    nv_store_snapshots_release(&l);
    nv_store_close(s);
    return rc;
}

NV_TEST(store_survives_every_allocation_failure)
{
    const char *path = tmp_path("oom.db");
    struct nv_err err = {0};

    ASSERT_EQ(nv_store_create(path, &err), NV_OK);
    for (long n = 0;; n++) {
        nv_alloc_fail_after(n);
        enum nv_rc rc = store_round(path);
        int failed = nv_alloc_failed();
        nv_alloc_fail_after(-1);
        if (!failed) {
            ASSERT_EQ(rc, NV_OK);
            break;
        }
        ASSERT(rc == NV_ENOMEM || rc == NV_OK);
        ASSERT(n < 10000);
    }
}

/* Two processes opening an old store at once: one migrates it, both add. */
NV_TEST(store_two_openers_of_an_old_store)
{
    const char *path = tmp_path("old2.db");
    struct nv_err err = {0};
    pid_t p[2];
    int status;

    ASSERT_EQ(nv_store_create_version(path, 1, &err), NV_OK);
    p[0] = adder(path, 3000, 3);
    p[1] = adder(path, 4000, 3);
    ASSERT(p[0] > 0 && p[1] > 0);
    for (int i = 0; i < 2; i++) {
        ASSERT_EQ(waitpid(p[i], &status, 0), p[i]);
        ASSERT(WIFEXITED(status));
        ASSERT_EQ(WEXITSTATUS(status), 0);
    }
    ASSERT_EQ(count(path), 6);
}
