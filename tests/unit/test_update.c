/*
 * test_update.c - update checks: thresholds, rollback, freeze, targets,
 * hardware, the state store and positions in errors.
 */
#include "test.h"

#include "core/alloc.h"
#include "integrity/dsse.h"
#include "integrity/update.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#define NOW "2026-06-01T00:00:00Z"
#define LATER "2027-01-01T00:00:00Z"
#define FIRMWARE "firmware image 1\n"

/* Keys 0-2 form the trust root (2 of 3); key 3 is trusted by nobody. */
struct fx {
    struct nv_key *keys[4];
    struct nv_update_root *root;
    char dir[64], target[128], state[128], sha[NV_SHA256_HEX];
};

static void fx_release(struct fx *f)
{
    for (int i = 0; i < 4; i++)
        nv_key_free(f->keys[i]);
    nv_update_root_free(f->root);
}

static int write_file(const char *path, const char *text)
{
    FILE *out = fopen(path, "w");
    int ok = out && fputs(text, out) >= 0;
    return out && fclose(out) == 0 && ok;
}

/* The root is written by nv_update_root_write and read back. */
static int fx_init(struct fx *f)
{
    const char *dir = nv_t_tmpdir();
    struct nv_err err = {0};
    char priv[256], pub[256], *text = NULL;
    size_t len = 0;
    memset(f, 0, sizeof *f);
    if (!dir)
        return 0;
    for (int i = 0; i < 4; i++) {
        snprintf(priv, sizeof priv, "%s/k%d.key", dir, i);
        snprintf(pub, sizeof pub, "%s/k%d.pub", dir, i);
        if (nv_key_generate(priv, pub, &err) ||
            nv_key_load(priv, &f->keys[i], &err))
            return 0;
    }
    FILE *out = open_memstream(&text, &len);
    int ok = out && !nv_update_root_write(out, (const struct nv_key **)f->keys,
                                          3, 2, &err);
    ok = out && fclose(out) == 0 && ok &&
         !nv_update_root_parse(text, len, "root.json", &f->root, &err);
    free(text);
    snprintf(f->dir, sizeof f->dir, "%s", dir);
    snprintf(f->target, sizeof f->target, "%s/fw.bin", f->dir);
    snprintf(f->state, sizeof f->state, "%s/state", f->dir);
    unsigned char sha[NV_SHA256_LEN];
    nv_sha256(FIRMWARE, strlen(FIRMWARE), sha);
    nv_hex(sha, sizeof sha, f->sha);
    return ok && write_file(f->target, FIRMWARE);
}

/* Targets metadata listing fw.bin; hw is the "hardware" array or "". */
static void payload(char *out, size_t size, int version, const char *expires,
                    long length, const char *sha, const char *hw)
{
    snprintf(out, size,
             "{\"_type\":\"targets\",\"spec\":\"netvet-update/1\","
             "\"version\":%d,\"expires\":\"%s\",\"targets\":{\"fw.bin\":"
             "{\"length\":%ld,\"sha256\":\"%s\"%s}}}",
             version, expires, length, sha, hw);
}

/* An envelope of text signed by the keys whose indices are in who. */
static char *envelope(const struct fx *f, const char *text, const char *who)
{
    const struct nv_key *signers[8];
    struct nv_err err = {0};
    char *env = NULL;
    size_t len = 0, n = 0;
    for (const char *c = who; *c; c++)
        signers[n++] = f->keys[*c - '0'];
    FILE *out = open_memstream(&env, &len);
    int ok = !nv_dsse_write(out, NV_UPDATE_PAYLOAD_TYPE, text, strlen(text),
                            signers, n, &err);
    fclose(out);
    if (!ok) {
        free(env);
        return NULL;
    }
    return env;
}

static enum nv_rc check(const struct fx *f, const char *env, const char *hw,
                        struct nv_update_result *r, struct nv_err *err)
{
    struct nv_update_request q = {f->root,     env,       strlen(env),
                                  "meta.json", f->target, NULL,
                                  hw,          0,         f->state};
    nv_err_clear(err);
    if (nv_update_parse_time(NOW, strlen(NOW), &q.now))
        return NV_EINVAL;
    return nv_update_check(&q, r, err);
}

/* Sign a payload of version v by who and check it: the decision. */
static int decide(const struct fx *f, int v, const char *expires, long len,
                  const char *who, struct nv_update_result *r)
{
    char text[1024];
    struct nv_err err = {0};
    payload(text, sizeof text, v, expires, len, f->sha, "");
    char *env = envelope(f, text, who);
    int rc = env ? check(f, env, NULL, r, &err) : NV_EINVAL;
    free(env);
    return rc ? -1 : r->accepted;
}

NV_TEST(update_accept_and_state)
{
    struct fx f;
    struct nv_update_result r;
    struct stat st;
    ASSERT(fx_init(&f));
    ASSERT_EQ(stat(f.state, &st), -1); /* nothing written yet */
    ASSERT_EQ(decide(&f, 1, LATER, 17, "01", &r), 1);
    for (int c = 0; c < NV_UPDATE_NCHECKS; c++)
        ASSERT_EQ(r.status[c], NV_UPDATE_PASS);
    ASSERT_STREQ(r.name, "fw.bin");
    ASSERT_STREQ(r.target_sha256, f.sha);
    ASSERT_EQ(r.version, 1);
    ASSERT_EQ(r.previous, 0);
    /* One state file, and no temporary file left beside it. */
    DIR *d = opendir(f.state);
    int files = 0;
    for (struct dirent *e = d ? readdir(d) : NULL; e; e = readdir(d))
        files += e->d_name[0] != '.';
    if (d)
        closedir(d);
    ASSERT_EQ(files, 1);
    /* The same metadata again is fine: the state records it. */
    ASSERT_EQ(decide(&f, 1, LATER, 17, "10", &r), 1);
    ASSERT_EQ(r.previous, 1);

    struct nv_buf b;
    struct nv_err err = {0};
    nv_buf_init(&b, 8192);
    ASSERT_EQ(nv_update_summary(&r, &b, &err), NV_OK);
    ASSERT(strstr(b.data, "\"accepted\":true,\"target\":\"fw.bin\""));
    ASSERT(strstr(b.data, "{\"check\":\"hardware\",\"result\":\"pass\""));
    ASSERT(!strchr(b.data, '\n'));
    nv_buf_release(&b);
    fx_release(&f);
}

NV_TEST(update_threshold_counts_distinct_trusted_keys)
{
    struct fx f;
    struct nv_update_result r;
    ASSERT(fx_init(&f));
    ASSERT_EQ(decide(&f, 1, LATER, 17, "0", &r), 0); /* k - 1 of n */
    ASSERT_EQ(r.status[NV_UPDATE_SIGNATURES], NV_UPDATE_FAIL);
    ASSERT_EQ(r.status[NV_UPDATE_METADATA], NV_UPDATE_SKIP);
    ASSERT(strstr(r.reason[NV_UPDATE_SIGNATURES], "1 valid signature"));
    ASSERT_EQ(decide(&f, 1, LATER, 17, "03", &r), 0); /* 3 is untrusted */
    ASSERT_EQ(decide(&f, 1, LATER, 17, "00", &r), 0); /* same key twice */
    ASSERT_EQ(r.status[NV_UPDATE_SIGNATURES], NV_UPDATE_FAIL);
    ASSERT_EQ(decide(&f, 1, LATER, 17, "320", &r), 1);
    ASSERT(strstr(r.reason[NV_UPDATE_SIGNATURES], "2 of 3"));
    fx_release(&f);
}

NV_TEST(update_rollback_and_same_version_other_content)
{
    struct fx f;
    struct nv_update_result r;
    ASSERT(fx_init(&f));
    ASSERT_EQ(decide(&f, 2, LATER, 17, "01", &r), 1);
    ASSERT_EQ(decide(&f, 1, LATER, 17, "01", &r), 0);
    ASSERT_EQ(r.status[NV_UPDATE_ROLLBACK], NV_UPDATE_FAIL);
    ASSERT_EQ(r.status[NV_UPDATE_EXPIRY], NV_UPDATE_SKIP);
    /* Version 2 again, but other content (a later expiry). */
    ASSERT_EQ(decide(&f, 2, "2028-01-01T00:00:00Z", 17, "01", &r), 0);
    ASSERT_EQ(r.status[NV_UPDATE_ROLLBACK], NV_UPDATE_FAIL);
    ASSERT(strstr(r.reason[NV_UPDATE_ROLLBACK], "other content"));
    ASSERT_EQ(decide(&f, 3, LATER, 17, "12", &r), 1);
    ASSERT_EQ(r.previous, 2);
    ASSERT_EQ(decide(&f, 2, LATER, 17, "01", &r), 0); /* 3 is the last now */
    fx_release(&f);
}

NV_TEST(update_expired_refused_state_kept)
{
    struct fx f;
    struct nv_update_result r;
    ASSERT(fx_init(&f));
    ASSERT_EQ(decide(&f, 5, NOW, 17, "01", &r), 0); /* expires at now */
    ASSERT_EQ(r.status[NV_UPDATE_EXPIRY], NV_UPDATE_FAIL);
    ASSERT(strstr(r.reason[NV_UPDATE_EXPIRY], "expired at " NOW));
    /* The refusal did not advance the state: version 1 still passes. */
    ASSERT_EQ(decide(&f, 1, LATER, 17, "01", &r), 1);
    ASSERT_EQ(r.previous, 0);
    fx_release(&f);
}

NV_TEST(update_target_length_and_hash)
{
    struct fx f;
    struct nv_update_result r;
    ASSERT(fx_init(&f));
    ASSERT_EQ(decide(&f, 1, LATER, 18, "01", &r), 0); /* file is shorter */
    ASSERT_EQ(r.status[NV_UPDATE_LENGTH], NV_UPDATE_FAIL);
    ASSERT_STREQ(r.reason[NV_UPDATE_LENGTH], "17 bytes; 18 listed");
    ASSERT_EQ(r.status[NV_UPDATE_SHA256], NV_UPDATE_SKIP);
    ASSERT_EQ(decide(&f, 1, LATER, 16, "01", &r), 0); /* file is longer */
    ASSERT(strstr(r.reason[NV_UPDATE_LENGTH], "longer than the 16 bytes"));
    ASSERT(write_file(f.target, "firmware image 2\n")); /* one byte */
    ASSERT_EQ(decide(&f, 1, LATER, 17, "01", &r), 0);
    ASSERT_EQ(r.status[NV_UPDATE_LENGTH], NV_UPDATE_PASS);
    ASSERT_EQ(r.status[NV_UPDATE_SHA256], NV_UPDATE_FAIL);
    ASSERT(write_file(f.target, FIRMWARE "and more\n")); /* appended */
    ASSERT_EQ(decide(&f, 1, LATER, 17, "01", &r), 0);
    ASSERT_EQ(r.status[NV_UPDATE_LENGTH], NV_UPDATE_FAIL);
    char other[sizeof f.target];
    snprintf(other, sizeof other, "%s/fw.old", f.dir);
    ASSERT(rename(f.target, other) == 0); /* not listed by that name */
    snprintf(f.target, sizeof f.target, "%s", other);
    ASSERT_EQ(decide(&f, 1, LATER, 17, "01", &r), 0);
    ASSERT_EQ(r.status[NV_UPDATE_TARGET], NV_UPDATE_FAIL);
    fx_release(&f);
}

NV_TEST(update_hardware)
{
    struct fx f;
    struct nv_update_result r;
    struct nv_err err = {0};
    char text[1024];
    ASSERT(fx_init(&f));
    payload(text, sizeof text, 1, LATER, 17, f.sha,
            ",\"hardware\":[\"acme-r1\",\"acme-r2\"]");
    char *env = envelope(&f, text, "12");
    ASSERT(env);
    ASSERT_EQ(check(&f, env, NULL, &r, &err), NV_OK);
    ASSERT(!r.accepted);
    ASSERT_EQ(r.status[NV_UPDATE_HARDWARE], NV_UPDATE_FAIL);
    ASSERT_EQ(check(&f, env, "acme-r3", &r, &err), NV_OK);
    ASSERT(!r.accepted);
    ASSERT_STREQ(r.reason[NV_UPDATE_HARDWARE],
                 "\"acme-r3\" is not among the 2 listed");
    ASSERT_EQ(check(&f, env, "acme-r2", &r, &err), NV_OK);
    ASSERT(r.accepted);
    free(env);
    fx_release(&f);
}

/* Parse a root of threshold and the JSON key objects in keys. */
static enum nv_rc root_with(int threshold, const char *keys, struct nv_err *err)
{
    struct nv_update_root *r = NULL;
    char text[1024];
    snprintf(text, sizeof text,
             "{\"spec\":\"netvet-update-root/1\",\n"
             "\"threshold\":%d,\n\"keys\":[%s]}",
             threshold, keys);
    nv_err_clear(err);
    enum nv_rc rc =
        nv_update_root_parse(text, strlen(text), "root.json", &r, err);
    nv_update_root_free(r);
    return rc;
}

NV_TEST(update_root_refused_with_positions)
{
    /* RFC 8032's first test key; its key id is the SHA-256 of it. */
    static const char pub[] =
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    char id[NV_SHA256_HEX], key[256], twice[600];
    unsigned char raw[32], sha[32];
    struct nv_err err = {0};
    ASSERT_EQ(nv_unhex(pub, 64, raw, 32, &err), NV_OK);
    nv_sha256(raw, 32, sha);
    nv_hex(sha, 32, id);
    snprintf(key, sizeof key, "{\"keyid\":\"%s\",\"public\":\"%s\"}", id, pub);
    snprintf(twice, sizeof twice, "%s,\n%s", key, key);
    ASSERT_EQ(root_with(1, key, &err), NV_OK);
    ASSERT_EQ(root_with(0, key, &err), NV_EPARSE);
    ASSERT_EQ(err.line, 2);
    ASSERT_EQ(err.col, 13);
    ASSERT_EQ(root_with(2, key, &err), NV_EPARSE);
    ASSERT(strstr(err.msg, "from 1 to 1"));
    ASSERT_EQ(root_with(1, twice, &err), NV_EPARSE);
    ASSERT(strstr(err.msg, "listed twice"));
    ASSERT_EQ(err.line, 4);
    id[0] = id[0] == '0' ? '1' : '0';
    snprintf(key, sizeof key, "{\"keyid\":\"%s\",\"public\":\"%s\"}", id, pub);
    ASSERT_EQ(root_with(1, key, &err), NV_EPARSE);
    ASSERT(strstr(err.msg, "not the SHA-256"));
    ASSERT_EQ(root_with(1, "{\"keyid\":\"ab\",\"pub\":\"cd\"}", &err),
              NV_EPARSE);
    ASSERT_STREQ(err.msg, "unknown member \"pub\"");
    ASSERT_EQ(err.line, 3);
    ASSERT_EQ(err.col, 23);
}

NV_TEST(update_metadata_refused_with_positions)
{
    struct fx f;
    struct nv_update_result r;
    struct nv_err err = {0};
    char text[1024];
    ASSERT(fx_init(&f));
    /* Signed by trusted keys but not targets metadata: bad input. */
    payload(text, sizeof text, 1, "2027-02-30T00:00:00Z", 17, f.sha, "");
    char *env = envelope(&f, text, "01");
    ASSERT(env);
    ASSERT_EQ(check(&f, env, NULL, &r, &err), NV_EPARSE);
    ASSERT_STREQ(err.file, "meta.json#payload");
    ASSERT_EQ(err.line, 1);
    ASSERT_EQ(err.col, 67);
    ASSERT_EQ(r.status[NV_UPDATE_SIGNATURES], NV_UPDATE_PASS);
    ASSERT_EQ(r.status[NV_UPDATE_METADATA], NV_UPDATE_FAIL);
    ASSERT(!r.accepted);
    free(env);
    /* nv_update_sign refuses to sign it in the first place. */
    FILE *out = fopen("/dev/null", "w");
    ASSERT(out);
    ASSERT_EQ(nv_update_sign(out, text, strlen(text), "p.json",
                             (const struct nv_key **)f.keys, 2, &err),
              NV_EPARSE);
    fclose(out);
    /* An envelope that is not JSON at all. */
    ASSERT_EQ(check(&f, "{\n  \"payloadType\": }", NULL, &r, &err), NV_EPARSE);
    ASSERT_STREQ(err.file, "meta.json");
    ASSERT_EQ(err.line, 2);
    fx_release(&f);
}

NV_TEST(update_parse_time)
{
    int64_t t;
    ASSERT_EQ(nv_update_parse_time("1970-01-01T00:00:00Z", 20, &t), NV_OK);
    ASSERT_EQ(t, 0);
    ASSERT_EQ(nv_update_parse_time("2024-02-29T23:59:59Z", 20, &t), NV_OK);
    ASSERT_EQ(t, 1709251199);
    ASSERT_EQ(nv_update_parse_time("2023-02-29T00:00:00Z", 20, &t), NV_EPARSE);
    ASSERT_EQ(nv_update_parse_time("2023-01-01T24:00:00Z", 20, &t), NV_EPARSE);
    ASSERT_EQ(nv_update_parse_time("2023-01-01 00:00:00Z", 20, &t), NV_EPARSE);
    ASSERT_EQ(nv_update_parse_time("2023-01-01T00:00:00", 19, &t), NV_EPARSE);
}

/* Each allocation of a check fails in turn: an error, never a refusal,
 * a crash or a leak; then the check succeeds. */
NV_TEST(update_allocation_failures)
{
    struct fx f;
    struct nv_update_result r;
    struct nv_err err = {0};
    char text[1024];
    ASSERT(fx_init(&f));
    payload(text, sizeof text, 1, LATER, 17, f.sha, ",\"hardware\":[\"r1\"]");
    char *env = envelope(&f, text, "01");
    ASSERT(env);
    for (long n = 0;; n++) {
        nv_alloc_fail_after(n);
        enum nv_rc rc = check(&f, env, "r1", &r, &err);
        int injected = nv_alloc_failed();
        nv_alloc_fail_after(-1);
        ASSERT(rc != NV_OK || r.accepted);
        if (!injected)
            break;
        ASSERT(rc != NV_OK);
    }
    ASSERT(r.accepted);
    free(env);
    fx_release(&f);
}
