/*
 * test_evlog.c - checkpoints and the evidence log: round trips, every
 * kind of tampering detected, hostile files refused with positions, and
 * a crash at each file operation of an append leaving a valid log.
 */
#include "test.h"

#include "core/alloc.h"
#include "integrity/checkpoint.h"
#include "integrity/evlog.h"
#include "integrity/evproof.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* A new key pair in dir; the private key loaded. */
static struct nv_key *new_key(const char *dir, const char *name)
{
    char priv[512], pub[512];
    struct nv_err err;
    struct nv_key *k = NULL;

    snprintf(priv, sizeof priv, "%s/%s.key", dir, name);
    snprintf(pub, sizeof pub, "%s/%s.pub", dir, name);
    if (nv_key_generate(priv, pub, &err) || nv_key_load(priv, &k, &err))
        return NULL;
    return k;
}

/* The text of entry i: a small JSON object, as the log holds in use. */
static size_t entry_text(uint64_t i, char *out, size_t size)
{
    return (size_t)snprintf(out, size, "{\"event\":\"test\",\"n\":%llu}",
                            (unsigned long long)i);
}

/* Append entries from..to-1 to the log in dir; 0 on success. */
static int append_range(const char *dir, const struct nv_key *k, uint64_t from,
                        uint64_t to)
{
    struct nv_err err;

    for (uint64_t i = from; i < to; i++) {
        char e[64];
        uint64_t index = 0;
        size_t n = entry_text(i, e, sizeof e);
        if (nv_evlog_record(dir, k, NULL, e, n, &index, &err) || index != i)
            return -1;
    }
    return 0;
}

/* The size of the log in dir if it verifies and holds exactly the
 * entries entry_text gives (no log at all counts as size 0), else -1. */
static long log_state(const char *dir, const struct nv_key *k)
{
    struct nv_evlog *log = NULL;
    struct nv_err err;
    long size = -1;

    if (nv_evlog_open(dir, &log, &err))
        return err.rc == NV_ENOENT ? 0 : -1;
    if (!nv_evlog_checkpoint(log))
        size = nv_evlog_size(log) == 0 ? 0 : -1;
    else if (nv_evlog_verify(log, k, &err) == NV_OK)
        size = (long)nv_evlog_size(log);
    for (uint64_t i = 0; size > 0 && i < (uint64_t)size; i++) {
        char e[64];
        size_t n, want = entry_text(i, e, sizeof e);
        const unsigned char *got = nv_evlog_entry(log, i, &n);
        if (n != want || memcmp(got, e, n) != 0)
            size = -1;
    }
    nv_evlog_free(log);
    return size;
}

NV_TEST(evlog_append_open_verify)
{
    const char *tmp = nv_t_tmpdir();
    char dir[256];
    struct nv_key *k = new_key(tmp, "k");
    struct nv_evlog *log = NULL;
    struct nv_err err;

    ASSERT(k);
    snprintf(dir, sizeof dir, "%s/log", tmp);
    ASSERT_EQ(append_range(dir, k, 0, 9), 0);
    ASSERT_EQ(log_state(dir, k), 9);
    ASSERT_EQ(nv_evlog_open(dir, &log, &err), NV_OK);
    ASSERT_STREQ(nv_evlog_checkpoint(log)->origin, NV_EVLOG_DEFAULT_ORIGIN);
    ASSERT_EQ(nv_evlog_checkpoint(log)->size, 9);
    nv_evlog_free(log);
    nv_key_free(k);
}

NV_TEST(evlog_origin_is_kept)
{
    const char *tmp = nv_t_tmpdir();
    char dir[256];
    struct nv_key *k = new_key(tmp, "k");
    struct nv_err err;
    uint64_t i = 0;

    ASSERT(k);
    snprintf(dir, sizeof dir, "%s/log", tmp);
    ASSERT_EQ(nv_evlog_record(dir, k, "example.org/log", "a", 1, &i, &err),
              NV_OK);
    ASSERT_EQ(nv_evlog_record(dir, k, NULL, "b", 1, &i, &err), NV_OK);
    ASSERT_EQ(i, 1);
    ASSERT_EQ(nv_evlog_record(dir, k, "other", "c", 1, &i, &err), NV_EINVAL);
    ASSERT_EQ(nv_evlog_record(dir, k, "bad\norigin", "c", 1, &i, &err),
              NV_EINVAL);
    snprintf(dir, sizeof dir, "%s/log2", tmp);
    ASSERT_EQ(nv_evlog_record(dir, k, "bad\norigin", "c", 1, &i, &err),
              NV_EINVAL);
    nv_key_free(k);
}

/* The whole file at path into buf (room for size); its length or -1. */
static long slurp(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    size_t n;

    if (!f)
        return -1;
    n = fread(buf, 1, size, f);
    fclose(f);
    return (long)n;
}

static int spit(const char *path, const void *buf, size_t n)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(buf, 1, n, f) == n;

    return (f && fclose(f) == 0 && ok) ? 0 : -1;
}

/* What nv_evlog_verify says after file `name` of the log in dir becomes
 * its old bytes with byte at replaced by c (or, for c < 0, cut to at
 * bytes); the file is restored afterwards. */
static enum nv_rc verify_altered(const char *dir, const char *name, long at,
                                 int c, const struct nv_key *k)
{
    static char orig[8192], buf[8192];
    char path[512];
    struct nv_evlog *log = NULL;
    struct nv_err err;
    long n;
    enum nv_rc rc;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    n = slurp(path, orig, sizeof orig);
    if (n < 0 || at > n)
        return NV_EINVAL;
    memcpy(buf, orig, (size_t)n);
    if (c >= 0)
        buf[at] = (char)c;
    if (spit(path, buf, c >= 0 ? (size_t)n : (size_t)at))
        return NV_EIO;
    rc = nv_evlog_open(dir, &log, &err);
    if (!rc)
        rc = nv_evlog_verify(log, k, &err);
    nv_evlog_free(log);
    return spit(path, orig, (size_t)n) ? NV_EIO : rc;
}

NV_TEST(evlog_tampering_is_detected)
{
    const char *tmp = nv_t_tmpdir();
    char dir[256], path[512], cp[1024];
    struct nv_key *k = new_key(tmp, "k"), *other = new_key(tmp, "other");
    long len;

    ASSERT(k && other);
    snprintf(dir, sizeof dir, "%s/log", tmp);
    ASSERT_EQ(append_range(dir, k, 0, 5), 0);
    snprintf(path, sizeof path, "%s/entries", dir);
    len = slurp(path, cp, sizeof cp);
    ASSERT(len > 40);
    /* A byte of an entry, of a length, the file cut short or emptied. */
    ASSERT_EQ(verify_altered(dir, "entries", 30, 'X', k), NV_ECONFLICT);
    ASSERT_EQ(verify_altered(dir, "entries", 2, 0x10, k), NV_ECONFLICT);
    ASSERT_EQ(verify_altered(dir, "entries", 3, 0x01, k), NV_ECONFLICT);
    ASSERT_EQ(verify_altered(dir, "entries", len - 3, -1, k), NV_ECONFLICT);
    ASSERT_EQ(verify_altered(dir, "entries", 0, -1, k), NV_ECONFLICT);
    /* The tree size, a byte of the root, of the signature. */
    snprintf(path, sizeof path, "%s/checkpoint", dir);
    len = slurp(path, cp, sizeof cp);
    ASSERT(len > 0);
    char *size = strchr(cp, '\n') + 1, *root = strchr(size, '\n') + 1;
    ASSERT_EQ(verify_altered(dir, "checkpoint", size - cp, '4', k), NV_ECRYPTO);
    ASSERT_EQ(verify_altered(dir, "checkpoint", root - cp + 5,
                             root[5] == 'A' ? 'B' : 'A', k),
              NV_ECRYPTO);
    ASSERT_EQ(verify_altered(dir, "checkpoint", len - 20,
                             cp[len - 20] == 'A' ? 'B' : 'A', k),
              NV_ECRYPTO);
    /* Checked with another key. */
    ASSERT_EQ(verify_altered(dir, "checkpoint", 0, cp[0], other), NV_ECRYPTO);
    ASSERT_EQ(log_state(dir, k), 5);
    nv_key_free(k);
    nv_key_free(other);
}

/* A forger's checkpoint: the same tree, signed by another key. */
NV_TEST(evlog_checkpoint_of_another_key)
{
    const char *tmp = nv_t_tmpdir();
    char dir[256], path[512], orig[1024];
    struct nv_key *k = new_key(tmp, "k"), *other = new_key(tmp, "other");
    struct nv_evlog *log = NULL;
    struct nv_checkpoint cp;
    struct nv_buf text;
    struct nv_err err;
    uint64_t i;
    long len;

    ASSERT(k && other);
    snprintf(dir, sizeof dir, "%s/log", tmp);
    snprintf(path, sizeof path, "%s/checkpoint", dir);
    ASSERT_EQ(append_range(dir, k, 0, 3), 0);
    len = slurp(path, orig, sizeof orig);
    ASSERT_EQ(nv_evlog_open(dir, &log, &err), NV_OK);
    cp = *nv_evlog_checkpoint(log);
    nv_evlog_free(log);
    ASSERT_EQ(nv_checkpoint_sign(&cp, cp.origin, cp.size, cp.root, other, &err),
              NV_OK);
    nv_buf_init(&text, NV_CHECKPOINT_MAX_TEXT);
    ASSERT_EQ(nv_checkpoint_format(&cp, &text, &err), NV_OK);
    ASSERT_EQ(spit(path, text.data, text.len), 0);
    nv_buf_release(&text);
    ASSERT_EQ(log_state(dir, other), 3);
    ASSERT_EQ(log_state(dir, k), -1);
    /* Nor is such a log extended. */
    ASSERT_EQ(nv_evlog_record(dir, k, NULL, "x", 1, &i, &err), NV_ECRYPTO);
    ASSERT(strstr(err.msg, "not by the trusted key") != NULL);
    ASSERT_EQ(spit(path, orig, (size_t)len), 0);
    ASSERT_EQ(log_state(dir, k), 3);
    nv_key_free(k);
    nv_key_free(other);
}

/* Append entry `start` to a log of start entries in a child that stops
 * at file operation `step`; the child's exit status, or -1. */
static int crashing_append(const char *dir, const struct nv_key *k,
                           uint64_t start, long step)
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        char e[64];
        uint64_t index;
        struct nv_err err;
        size_t n = entry_text(start, e, sizeof e);
        nv_evlog_crash_after(step);
        _exit(nv_evlog_record(dir, k, NULL, e, n, &index, &err) ? 1 : 0);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

/*
 * Kill an append at its first, second, ... file operation until one
 * completes.  Each time the log must open, verify and hold the entries
 * before the append or after it, nothing else; and the next append must
 * succeed and repair what the crash left (a torn or uncommitted record).
 */
NV_TEST(evlog_crash_at_every_step)
{
    const char *tmp = nv_t_tmpdir();
    struct nv_key *k = new_key(tmp, "k");
    static const uint64_t starts[] = {0, 1, 4};

    ASSERT(k);
    for (size_t s = 0; s < sizeof starts / sizeof starts[0]; s++) {
        uint64_t start = starts[s];
        int status = NV_EVLOG_CRASH_EXIT, left_old = 0, left_new = 0;
        long step;
        for (step = 0; status == NV_EVLOG_CRASH_EXIT; step++) {
            char dir[256];
            snprintf(dir, sizeof dir, "%s/log-%llu-%ld", tmp,
                     (unsigned long long)start, step);
            ASSERT_EQ(append_range(dir, k, 0, start), 0);
            status = crashing_append(dir, k, start, step);
            ASSERT(status == 0 || status == NV_EVLOG_CRASH_EXIT);
            long size = log_state(dir, k);
            ASSERT(size == (long)start + (status == 0) ||
                   (status != 0 && size == (long)start + 1));
            left_old += size == (long)start;
            left_new += status != 0 && size == (long)start + 1;
            ASSERT_EQ(append_range(dir, k, (uint64_t)size, (uint64_t)size + 1),
                      0);
            ASSERT_EQ(log_state(dir, k), size + 1);
        }
        /* Every operation of an append was a crash point once: those
         * before the rename leave the old log, the rest the new one. */
        ASSERT(step >= 9);
        ASSERT_EQ(left_new, 1);
        ASSERT_EQ(left_old, step - 2);
    }
    nv_key_free(k);
}

/* A valid checkpoint text signed by k, into out. */
static int good_checkpoint(const struct nv_key *k, struct nv_buf *out)
{
    struct nv_checkpoint cp;
    struct nv_err err;
    unsigned char root[NV_MERKLE_HASH] = {1, 2, 3};

    return nv_checkpoint_sign(&cp, "example.org/log", 12, root, k, &err) ||
           nv_checkpoint_format(&cp, out, &err);
}

NV_TEST(evlog_checkpoint_parse_positions)
{
    static const struct {
        const char *from, *to; /* replace the first `from` with `to` */
        unsigned long line, col;
    } cases[] = {
        {"example.org/log\n", "\n", 1, 1},
        {"\n12\n", "\n012\n", 2, 1},
        {"\n12\n", "\n-1\n", 2, 1},
        {"\n12\n", "\n99999999999999999999\n", 2, 1},
        {"AQID", "AQI", 3, 1},
        {"=\n\n", "=\nx\n", 4, 1},
        {"\xe2\x80\x94 ", "-- ", 5, 1},
        {"\xe2\x80\x94 ", "\xe2\x80\x94  ", 5, 3},
    };
    struct nv_key *k = new_key(nv_t_tmpdir(), "k");
    struct nv_buf good, bad;
    struct nv_checkpoint cp;
    struct nv_err err;

    ASSERT(k);
    nv_buf_init(&good, 4096);
    nv_buf_init(&bad, 4096);
    ASSERT_EQ(good_checkpoint(k, &good), 0);
    ASSERT_EQ(nv_checkpoint_parse(good.data, good.len, "cp", &cp, &err), NV_OK);
    ASSERT_EQ(nv_checkpoint_verify(&cp, k, &err), NV_OK);
    ASSERT_EQ(cp.size, 12);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *at = strstr(good.data, cases[i].from);
        ASSERT(at);
        nv_buf_reset(&bad);
        ASSERT_EQ(nv_buf_add(&bad, good.data, (size_t)(at - good.data)), NV_OK);
        ASSERT_EQ(nv_buf_adds(&bad, cases[i].to), NV_OK);
        ASSERT_EQ(nv_buf_adds(&bad, at + strlen(cases[i].from)), NV_OK);
        nv_err_clear(&err);
        ASSERT_EQ(nv_checkpoint_parse(bad.data, bad.len, "cp", &cp, &err),
                  NV_EPARSE);
        ASSERT_EQ(err.line, cases[i].line);
        ASSERT_EQ(err.col, cases[i].col);
    }
    /* Cut anywhere, it no longer parses. */
    for (size_t n = 0; n < good.len; n++)
        ASSERT(nv_checkpoint_parse(good.data, n, "cp", &cp, &err) != NV_OK);
    /* A second signature line. */
    ASSERT_EQ(nv_buf_adds(&good, "\xe2\x80\x94 x\n"), NV_OK);
    ASSERT_EQ(nv_checkpoint_parse(good.data, good.len, "cp", &cp, &err),
              NV_EPARSE);
    ASSERT_EQ(err.line, 6);
    nv_buf_release(&good);
    nv_buf_release(&bad);
    nv_key_free(k);
}

NV_TEST(evlog_hostile_entries)
{
    const char *tmp = nv_t_tmpdir();
    char dir[256], path[512], buf[4096];
    struct nv_key *k = new_key(tmp, "k");
    struct nv_evlog *log = NULL;
    struct nv_err err;
    uint64_t i;
    long len;

    ASSERT(k);
    snprintf(dir, sizeof dir, "%s/log", tmp);
    snprintf(path, sizeof path, "%s/entries", dir);
    ASSERT_EQ(append_range(dir, k, 0, 2), 0);
    len = slurp(path, buf, sizeof buf);
    /* The second record claims 16 MiB. */
    size_t second = 4 + (size_t)entry_text(0, buf + len, 64);
    ASSERT_EQ(verify_altered(dir, "entries", (long)second, 1, k), NV_ECONFLICT);
    buf[second] = 1;
    ASSERT_EQ(spit(path, buf, (size_t)len), 0);
    ASSERT_EQ(nv_evlog_open(dir, &log, &err), NV_OK);
    ASSERT_EQ(nv_evlog_verify(log, k, &err), NV_ECONFLICT);
    ASSERT(strstr(err.msg, "record 1 at byte 26 is longer than 1 MiB"));
    ASSERT(strstr(err.file, "entries"));
    nv_evlog_free(log);
    ASSERT_EQ(nv_evlog_record(dir, k, NULL, "x", 1, &i, &err), NV_ECONFLICT);
    buf[second] = 0;
    /* Bytes after the committed records are ignored, then cut off. */
    memcpy(buf + len, "\0\0\0\x09torn", 8);
    ASSERT_EQ(spit(path, buf, (size_t)len + 8), 0);
    ASSERT_EQ(log_state(dir, k), 2);
    ASSERT_EQ(append_range(dir, k, 2, 3), 0);
    ASSERT_EQ(log_state(dir, k), 3);
    /* Too large an entry, or a public key, is refused up front. */
    ASSERT_EQ(
        nv_evlog_record(dir, k, NULL, buf, NV_EVLOG_MAX_ENTRY + 1, &i, &err),
        NV_ELIMIT);
    nv_key_free(k);
    snprintf(path, sizeof path, "%s/k.pub", tmp);
    ASSERT_EQ(nv_key_load(path, &k, &err), NV_OK);
    ASSERT_EQ(nv_evlog_record(dir, k, NULL, "x", 1, &i, &err), NV_EINVAL);
    nv_key_free(k);
}

/* p written as JSON and read back into q (entry in a); 0 on success. */
static int round_trip(const struct nv_evproof *p, struct nv_arena *a,
                      struct nv_evproof *q)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    struct nv_jsonw *w = f ? nv_jsonw_new(f, 1) : NULL;
    struct nv_err err;
    int rc = !w || nv_evproof_write(p, w, &err) || nv_jsonw_finish(w, &err);

    nv_jsonw_free(w);
    if (f)
        fclose(f);
    rc = rc || nv_evproof_parse(text, len, "proof.json", a, q, &err);
    free(text);
    return rc;
}

NV_TEST(evlog_proofs_every_index_and_size)
{
    const char *tmp = nv_t_tmpdir();
    char dir[256];
    struct nv_key *k = new_key(tmp, "k"), *other = new_key(tmp, "o");
    struct nv_evlog *log = NULL;
    struct nv_evproof p, q;
    struct nv_arena a;
    struct nv_err err;

    ASSERT(k && other);
    snprintf(dir, sizeof dir, "%s/log", tmp);
    ASSERT_EQ(append_range(dir, k, 0, 7), 0);
    ASSERT_EQ(nv_evlog_open(dir, &log, &err), NV_OK);
    nv_arena_init(&a);
    for (uint64_t size = 1; size <= 7; size++)
        for (uint64_t i = 0; i < size; i++) {
            ASSERT_EQ(nv_evproof_inclusion(log, i, size, &p, &err), NV_OK);
            ASSERT_EQ(round_trip(&p, &a, &q), 0);
            ASSERT_EQ(nv_evproof_verify(&q, k, &err), NV_OK);
            ASSERT_EQ(nv_evproof_verify(&q, other, &err), NV_ECRYPTO);
            q.index = (i + 1) % size;
            ASSERT(size == 1 || nv_evproof_verify(&q, k, &err) == NV_ECONFLICT);
            ASSERT_EQ(nv_evproof_consistency(log, i + 1, size, &p, &err),
                      NV_OK);
            ASSERT_EQ(round_trip(&p, &a, &q), 0);
            ASSERT_EQ(nv_evproof_verify(&q, k, &err), NV_OK);
            q.old_root[0] ^= 1;
            ASSERT_EQ(nv_evproof_verify(&q, k, &err), NV_ECONFLICT);
        }
    ASSERT_EQ(nv_evproof_inclusion(log, 7, 0, &p, &err), NV_EINVAL);
    ASSERT_EQ(nv_evproof_inclusion(log, 0, 8, &p, &err), NV_EINVAL);
    ASSERT_EQ(nv_evproof_consistency(log, 0, 7, &p, &err), NV_EINVAL);
    nv_arena_release(&a);
    nv_evlog_free(log);
    nv_key_free(k);
    nv_key_free(other);
}

/* A changed entry, or a proof hash changed, is caught. */
NV_TEST(evlog_proof_tampering)
{
    const char *tmp = nv_t_tmpdir();
    char dir[256];
    struct nv_key *k = new_key(tmp, "k");
    struct nv_evlog *log = NULL;
    struct nv_evproof p;
    struct nv_err err;
    unsigned char forged[] = "{\"event\":\"test\",\"n\":9}";

    ASSERT(k);
    snprintf(dir, sizeof dir, "%s/log", tmp);
    ASSERT_EQ(append_range(dir, k, 0, 5), 0);
    ASSERT_EQ(nv_evlog_open(dir, &log, &err), NV_OK);
    ASSERT_EQ(nv_evproof_inclusion(log, 3, 4, &p, &err), NV_OK);
    ASSERT_EQ(p.to_cp.n, 1);
    p.entry = forged;
    ASSERT_EQ(nv_evproof_verify(&p, k, &err), NV_ECONFLICT);
    ASSERT_STREQ(err.msg, "entry 3 is not in the tree of 4 entries");
    ASSERT_EQ(nv_evproof_inclusion(log, 3, 4, &p, &err), NV_OK);
    p.to_cp.h[5] ^= 1;
    ASSERT_EQ(nv_evproof_verify(&p, k, &err), NV_ECONFLICT);
    ASSERT_STREQ(
        err.msg,
        "the tree of 4 entries is not a prefix of the signed tree of 5");
    nv_evlog_free(log);
    nv_key_free(k);
}

NV_TEST(evlog_proof_parse_positions)
{
    static const struct {
        const char *text;
        unsigned long line, col;
    } cases[] = {
        {"[]", 1, 1},
        {"{\"format\": \"x\"}", 1, 12},
        {"{\"format\": \"netvet-log-proof/1\",\n \"kind\": 1}", 2, 10},
        {"{\"format\": \"netvet-log-proof/1\", \"kind\": \"inclusion\",\n"
         " \"checkpoint\": \"x\\n\"}",
         2, 16},
    };
    struct nv_arena a;
    struct nv_evproof p;
    struct nv_err err;

    nv_arena_init(&a);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nv_err_clear(&err);
        ASSERT_EQ(nv_evproof_parse(cases[i].text, strlen(cases[i].text), "p",
                                   &a, &p, &err),
                  NV_EPARSE);
        ASSERT_EQ(err.line, cases[i].line);
        ASSERT_EQ(err.col, cases[i].col);
    }
    nv_arena_release(&a);
}

/* Each allocation of an append, an open and a proof read fails in turn:
 * NV_ENOMEM, nothing leaked, and the log as it was. */
NV_TEST(evlog_allocation_failures)
{
    const char *tmp = nv_t_tmpdir();
    char dir[256], path[512], text[8192];
    struct nv_key *k = new_key(tmp, "k");
    struct nv_evlog *log = NULL;
    struct nv_evproof p;
    struct nv_arena a;
    struct nv_err err;
    enum nv_rc rc = NV_ENOMEM;
    uint64_t i;
    long len;

    ASSERT(k);
    snprintf(dir, sizeof dir, "%s/log", tmp);
    ASSERT_EQ(append_range(dir, k, 0, 3), 0);
    for (long n = 0; rc == NV_ENOMEM; n++) {
        nv_alloc_fail_after(n);
        rc = nv_evlog_record(dir, k, NULL, "{\"event\":\"test\",\"n\":3}", 22,
                             &i, &err);
        nv_alloc_fail_after(-1);
        ASSERT(rc == NV_OK || rc == NV_ENOMEM);
        ASSERT_EQ(log_state(dir, k), rc ? 3 : 4);
    }
    snprintf(path, sizeof path, "%s/p.json", tmp);
    ASSERT_EQ(nv_evlog_open(dir, &log, &err), NV_OK);
    ASSERT_EQ(nv_evproof_inclusion(log, 2, 0, &p, &err), NV_OK);
    nv_arena_init(&a);
    ASSERT_EQ(round_trip(&p, &a, &p), 0);
    nv_evlog_free(log);
    FILE *f = fopen(path, "w");
    ASSERT(f);
    struct nv_jsonw *w = nv_jsonw_new(f, 0);
    ASSERT(w && !nv_evproof_write(&p, w, &err) && !nv_jsonw_finish(w, &err));
    nv_jsonw_free(w);
    fclose(f);
    len = slurp(path, text, sizeof text);
    ASSERT(len > 0);
    rc = NV_ENOMEM;
    for (long n = 0; rc == NV_ENOMEM; n++) {
        nv_alloc_fail_after(n);
        rc = nv_evlog_open(dir, &log, &err);
        if (!rc) {
            nv_evlog_free(log);
            nv_arena_reset(&a);
            rc = nv_evproof_parse(text, (size_t)len, "p", &a, &p, &err);
        }
        nv_alloc_fail_after(-1);
        ASSERT(rc == NV_OK || rc == NV_ENOMEM);
    }
    nv_arena_release(&a);
    nv_key_free(k);
}
