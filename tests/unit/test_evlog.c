/*
 * test_evlog.c - checkpoints and the evidence log: round trips, every
 * kind of tampering detected, hostile files refused with positions, and
 * a crash at each file operation of an append leaving a valid log.
 */
#include "test.h"

#include "core/alloc.h"
#include "integrity/checkpoint.h"
#include "core/atomic.h"
#include "integrity/evlog.h"
#include "integrity/evlog_int.h"
#include "integrity/evproof.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* A new key pair in dir; the private key loaded. */
static struct nv_key *new_key(const char *dir, const char *name)
{
    char priv[512], pub[512];
    struct nv_err err = {0};
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
    struct nv_err err = {0};

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
    struct nv_err err = {0};
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
    struct nv_err err = {0};

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
    struct nv_err err = {0};
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
    struct nv_err err = {0};
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
    struct nv_err err = {0};
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

/* Append entries start..start+count-1 in one call in a child that stops
 * at file operation `step`; the child's exit status, or -1. */
static int crashing_append(const char *dir, const struct nv_key *k,
                           uint64_t start, size_t count, long step)
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        char e[4][64];
        struct nv_evlog_item items[4];
        uint64_t index;
        struct nv_err err = {0};
        for (size_t i = 0; i < count && i < 4; i++) {
            items[i].data = e[i];
            items[i].n = entry_text(start + i, e[i], sizeof e[i]);
        }
        nv_atomic_crash_after(step);
        _exit(nv_evlog_record_many(dir, k, NULL, items, count, &index, &err)
                  ? 1
                  : 0);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

/* 1 if the state file of the log in dir is the one its entries give. */
static int state_matches(const char *dir)
{
    char path[512], got[NV_EVSTATE_MAX_TEXT + 1];
    struct nv_evlog *log = NULL;
    struct nv_evstate st;
    struct nv_buf want;
    struct nv_err err = {0};
    long len;
    int ok;

    snprintf(path, sizeof path, "%s/state", dir);
    len = slurp(path, got, sizeof got);
    if (len < 0 || nv_evlog_open(dir, &log, &err))
        return 0;
    nv_evlog_state(log, &st);
    nv_evlog_free(log);
    nv_buf_init(&want, NV_EVSTATE_MAX_TEXT);
    ok = !nv_evstate_format(&st, &want, &err) && want.len == (size_t)len &&
         memcmp(want.data, got, want.len) == 0;
    nv_buf_release(&want);
    return ok;
}

/*
 * Kill an append of count entries at its first, second, ... file
 * operation until one completes.  Each time the log must open, verify
 * and hold the entries before the append or all of those after it,
 * nothing else; and the next append must succeed, repair what the crash
 * left (a torn or uncommitted record, a state older than the checkpoint)
 * and leave the state that the entries give.
 */
static void crash_every_step(struct nv_t *T, const struct nv_key *k,
                             size_t count)
{
    static const uint64_t starts[] = {0, 1, 4};

    for (size_t s = 0; s < sizeof starts / sizeof starts[0]; s++) {
        uint64_t start = starts[s];
        int status = NV_ATOMIC_CRASH_EXIT, left_old = 0, left_new = 0;
        long step, after = (long)start + (long)count;
        for (step = 0; status == NV_ATOMIC_CRASH_EXIT; step++) {
            char dir[256];
            snprintf(dir, sizeof dir, "%s/log-%zu-%llu-%ld", nv_t_tmpdir(),
                     count, (unsigned long long)start, step);
            ASSERT_EQ(append_range(dir, k, 0, start), 0);
            status = crashing_append(dir, k, start, count, step);
            ASSERT(status == 0 || status == NV_ATOMIC_CRASH_EXIT);
            long size = log_state(dir, k);
            ASSERT(size == (long)start || size == after);
            ASSERT(status != 0 || size == after);
            left_old += size == (long)start;
            left_new += status != 0 && size == after;
            ASSERT(status != 0 || state_matches(dir));
            ASSERT_EQ(append_range(dir, k, (uint64_t)size, (uint64_t)size + 1),
                      0);
            ASSERT_EQ(log_state(dir, k), size + 1);
            ASSERT(state_matches(dir));
        }
        /* Every operation of an append was a crash point once: those
         * before the checkpoint's rename leave the old log; the rest
         * (syncing the directory, replacing the state) the new one. */
        ASSERT(step >= 9);
        ASSERT(left_new >= 2);
        ASSERT_EQ(left_old + left_new, step - 1);
    }
}

NV_TEST(evlog_crash_at_every_step)
{
    struct nv_key *k = new_key(nv_t_tmpdir(), "k");

    ASSERT(k);
    crash_every_step(T, k, 1);
    nv_key_free(k);
}

NV_TEST(evlog_batch_crash_at_every_step)
{
    struct nv_key *k = new_key(nv_t_tmpdir(), "k");

    ASSERT(k);
    crash_every_step(T, k, 3);
    nv_key_free(k);
}

/* A valid checkpoint text signed by k, into out. */
static int good_checkpoint(const struct nv_key *k, struct nv_buf *out)
{
    struct nv_checkpoint cp;
    struct nv_err err = {0};
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
    struct nv_err err = {0};

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
    struct nv_err err = {0};
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

/* The state file of the log in dir replaced by n bytes of data (n < 0:
 * removed); 0 on success. */
static int put_state(const char *dir, const void *data, long n)
{
    char path[512];

    snprintf(path, sizeof path, "%s/state", dir);
    return n < 0 ? unlink(path) : spit(path, data, (size_t)n);
}

/*
 * The state is never trusted on its own word: missing, garbage, stale,
 * with a root or an offset changed, the append verifies the whole log
 * and rebuilds it; and a log that does not hold is not extended however
 * good its state looks.
 */
NV_TEST(evlog_state_is_checked)
{
    const char *tmp = nv_t_tmpdir();
    char dir[256], path[512], st[NV_EVSTATE_MAX_TEXT], old[NV_EVSTATE_MAX_TEXT];
    struct nv_key *k = new_key(tmp, "k");
    struct nv_err err = {0};
    uint64_t i, size = 6;
    long len, old_len;
    static const long offsets[] = {8, 15, 23, 31, 40, 70};

    ASSERT(k);
    snprintf(dir, sizeof dir, "%s/log", tmp);
    snprintf(path, sizeof path, "%s/state", dir);
    ASSERT_EQ(append_range(dir, k, 0, 5), 0);
    old_len = slurp(path, old, sizeof old);
    ASSERT_EQ(append_range(dir, k, 5, 6), 0);
    ASSERT(state_matches(dir));
    ASSERT_EQ(put_state(dir, NULL, -1), 0);
    ASSERT_EQ(append_range(dir, k, size, size + 1), 0);
    size++;
    ASSERT(state_matches(dir));
    ASSERT_EQ(put_state(dir, "garbage", 7), 0);
    ASSERT_EQ(append_range(dir, k, size, size + 1), 0);
    size++;
    ASSERT(state_matches(dir));
    /* An older state (of 5 entries) is stale. */
    ASSERT_EQ(put_state(dir, old, old_len), 0);
    ASSERT_EQ(append_range(dir, k, size, size + 1), 0);
    size++;
    ASSERT(state_matches(dir));
    /* The size, end, last offset, a root, a path hash: each changed. */
    for (size_t j = 0; j < sizeof offsets / sizeof offsets[0]; j++) {
        size_t at = (size_t)offsets[j];
        len = slurp(path, st, sizeof st);
        ASSERT(len > (long)at && at < sizeof st);
        st[at] ^= 1;
        ASSERT_EQ(put_state(dir, st, len), 0);
        ASSERT_EQ(append_range(dir, k, size, size + 1), 0);
        size++;
        ASSERT_EQ(log_state(dir, k), (long)size);
        ASSERT(state_matches(dir));
    }
    /* The last entry changed: the tail no longer matches, the full
     * verification finds it, and the log is not extended. */
    snprintf(path, sizeof path, "%s/entries", dir);
    char buf[8192];
    len = slurp(path, buf, sizeof buf);
    buf[len - 2] ^= 1;
    ASSERT_EQ(spit(path, buf, (size_t)len), 0);
    ASSERT_EQ(nv_evlog_record(dir, k, NULL, "x", 1, &i, &err), NV_ECONFLICT);
    buf[len - 2] ^= 1;
    ASSERT_EQ(spit(path, buf, (size_t)len), 0);
    ASSERT_EQ(log_state(dir, k), (long)size);
    nv_key_free(k);
}

/* With a good state an append reads only the last record: a changed
 * earlier entry goes unseen by it (and is found by verify), which shows
 * the entries before the tail are not read. */
NV_TEST(evlog_append_reads_only_the_tail)
{
    const char *tmp = nv_t_tmpdir();
    char dir[256];
    struct nv_key *k = new_key(tmp, "k");
    struct nv_evlog *log = NULL;
    struct nv_err err = {0};

    ASSERT(k);
    snprintf(dir, sizeof dir, "%s/log", tmp);
    ASSERT_EQ(append_range(dir, k, 0, 4), 0);
    ASSERT_EQ(verify_altered(dir, "entries", 30, 'X', k), NV_ECONFLICT);
    char path[512], buf[4096];
    snprintf(path, sizeof path, "%s/entries", dir);
    long len = slurp(path, buf, sizeof buf);
    buf[30] ^= 1;
    ASSERT_EQ(spit(path, buf, (size_t)len), 0);
    ASSERT_EQ(append_range(dir, k, 4, 5), 0);
    ASSERT_EQ(nv_evlog_open(dir, &log, &err), NV_OK);
    ASSERT_EQ(nv_evlog_verify(log, k, &err), NV_ECONFLICT);
    nv_evlog_free(log);
    /* Without the state, the append verifies everything and refuses. */
    ASSERT_EQ(put_state(dir, NULL, -1), 0);
    ASSERT(append_range(dir, k, 5, 6) != 0);
    nv_key_free(k);
}

/* A batch is appended whole under one checkpoint, and a bad one not at
 * all. */
NV_TEST(evlog_batch_append)
{
    const char *tmp = nv_t_tmpdir();
    char dir[256], e[3000][64];
    struct nv_evlog_item items[3000];
    struct nv_key *k = new_key(tmp, "k");
    struct nv_err err = {0};
    uint64_t first = 99;

    ASSERT(k);
    snprintf(dir, sizeof dir, "%s/log", tmp);
    ASSERT_EQ(append_range(dir, k, 0, 2), 0);
    for (size_t i = 0; i < 3000; i++) {
        items[i].data = e[i];
        items[i].n = entry_text(2 + i, e[i], sizeof e[i]);
    }
    ASSERT_EQ(nv_evlog_record_many(dir, k, NULL, items, 3000, &first, &err),
              NV_OK);
    ASSERT_EQ(first, 2);
    ASSERT_EQ(log_state(dir, k), 3002);
    ASSERT(state_matches(dir));
    ASSERT_EQ(nv_evlog_record_many(dir, k, NULL, items, 0, &first, &err),
              NV_EINVAL);
    items[1].n = NV_EVLOG_MAX_ENTRY + 1;
    ASSERT_EQ(nv_evlog_record_many(dir, k, NULL, items, 3, &first, &err),
              NV_ELIMIT);
    ASSERT(strstr(err.msg, "entry 2 of 3"));
    ASSERT_EQ(log_state(dir, k), 3002);
    nv_key_free(k);
}

/* The state parser takes exactly its form: cut anywhere or grown, with
 * an impossible size or offsets, it fails. */
NV_TEST(evlog_state_parse)
{
    struct nv_evstate st, back;
    struct nv_buf b;
    struct nv_err err = {0};
    unsigned char leaf[NV_MERKLE_HASH] = {7};
    char text[NV_EVSTATE_MAX_TEXT + 1] = {0};

    nv_evstate_init(&st);
    for (int i = 0; i < 12; i++)
        nv_evstate_push(&st, leaf, 10 + (size_t)i);
    nv_buf_init(&b, NV_EVSTATE_MAX_TEXT);
    ASSERT_EQ(nv_evstate_format(&st, &b, &err), NV_OK);
    ASSERT_EQ(b.len, 32 + (2 + 2) * NV_MERKLE_HASH);
    ASSERT_EQ(nv_evstate_parse(b.data, b.len, "s", &back, &err), NV_OK);
    ASSERT_EQ(back.edge.size, 12);
    ASSERT_EQ(back.end, st.end);
    ASSERT_EQ(back.last, st.end - 4 - 21);
    ASSERT_EQ(memcmp(back.edge.h, st.edge.h, 2 * NV_MERKLE_HASH), 0);
    ASSERT_EQ(memcmp(back.edge.path, st.edge.path, 2 * NV_MERKLE_HASH), 0);
    for (size_t n = 0; n < b.len; n++)
        ASSERT_EQ(nv_evstate_parse(b.data, n, "s", &back, &err), NV_EPARSE);
    memcpy(text, b.data, b.len);
    ASSERT_EQ(nv_evstate_parse(text, b.len + 1, "s", &back, &err), NV_EPARSE);
    text[15] = 0; /* size 0 */
    ASSERT_EQ(nv_evstate_parse(text, b.len, "s", &back, &err), NV_EPARSE);
    ASSERT(strstr(err.msg, "byte 8"));
    text[15] = 12;
    text[31] = (char)(st.end - 2); /* last beyond end - 4 */
    ASSERT_EQ(nv_evstate_parse(text, b.len, "s", &back, &err), NV_EPARSE);
    nv_buf_release(&b);
}

/* p written as JSON and read back into q (entry in a); 0 on success. */
static int round_trip(const struct nv_evproof *p, struct nv_arena *a,
                      struct nv_evproof *q)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    struct nv_jsonw *w = f ? nv_jsonw_new(f, 1) : NULL;
    struct nv_err err = {0};
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
    struct nv_err err = {0};

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
    struct nv_err err = {0};
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
    struct nv_err err = {0};

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
    struct nv_err err = {0};
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
    /* A batch, with the state to rebuild first. */
    rc = NV_ENOMEM;
    ASSERT_EQ(put_state(dir, NULL, -1), 0);
    for (long n = 0; rc == NV_ENOMEM; n++) {
        const struct nv_evlog_item two[2] = {
            {"{\"event\":\"test\",\"n\":4}", 22},
            {"{\"event\":\"test\",\"n\":5}", 22}};
        nv_alloc_fail_after(n);
        rc = nv_evlog_record_many(dir, k, NULL, two, 2, &i, &err);
        nv_alloc_fail_after(-1);
        ASSERT(rc == NV_OK || rc == NV_ENOMEM);
        ASSERT_EQ(log_state(dir, k), rc ? 4 : 6);
    }
    ASSERT(state_matches(dir));
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
