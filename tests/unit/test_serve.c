/*
 * test_serve.c - the parts of `netvet serve` that stand alone: the query,
 * session and screening parsers (well-formed, hostile, every allocation
 * failing in turn), ids and words, keys and permissions, a child run
 * with its limits, the keys and audit trail in the store, the address
 * to listen on, and the certificates and keys of HTTPS.
 */
#include "test.h"

#include "core/alloc.h"
#include "serve/parse.h"
#include "serve/run.h"
#include "serve/serve.h"
#include "serve/tls.h"
#include "store/keys.h"

#include <stdio.h>
#include <string.h>

NV_TEST(serve_query_decodes)
{
    struct nv_query q;
    struct nv_err err = {0};
    const char *t = "message=hello+world%21&group=vendor%3Ahuawei&empty=&flag";

    ASSERT_EQ(nv_query_parse(&q, t, strlen(t), &err), NV_OK);
    ASSERT_EQ(q.n, 4);
    ASSERT_STREQ(nv_query_get(&q, "message"), "hello world!");
    ASSERT_STREQ(nv_query_get(&q, "group"), "vendor:huawei");
    ASSERT_STREQ(nv_query_get(&q, "empty"), "");
    ASSERT_STREQ(nv_query_get(&q, "flag"), "");
    ASSERT(nv_query_get(&q, "none") == NULL);
    nv_query_release(&q);
}

NV_TEST(serve_query_refuses_hostile_input)
{
    static const char *const bad[] = {
        "a=%zz", "a=%4",  "a=%",     "a=1&a=2", "=x",
        "a=%00", "a=%0a", "a=b%7fc", "a=\x01",
    };
    char many[400] = "";
    struct nv_query q;
    struct nv_err err = {0};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ASSERT_EQ(nv_query_parse(&q, bad[i], strlen(bad[i]), &err), NV_EPARSE);
        ASSERT_STREQ(err.file, "query");
        nv_query_release(&q);
    }
    for (int i = 0; i <= NV_QUERY_MAX_PARAMS; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "k%d=1&", i);
    ASSERT_EQ(nv_query_parse(&q, many, strlen(many), &err), NV_EPARSE);
    nv_query_release(&q);
    ASSERT_EQ(nv_query_parse(&q, "a=%zz", 5, &err), NV_EPARSE);
    ASSERT_EQ(err.col, 3);
    nv_query_release(&q);
}

NV_TEST(serve_session_body)
{
    char key[80];
    struct nv_err err = {0};
    const char *good = "{\"key\": \"nvk_abc\"}";
    static const char *const bad[] = {"{\"key\": ", "[\"x\"]", "{\"key\": 3}",
                                      "{}", "{\"key\": \"a\\u0000b\"}"};

    ASSERT_EQ(nv_serve_session_body(good, strlen(good), key, sizeof key, &err),
              NV_OK);
    ASSERT_STREQ(key, "nvk_abc");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ASSERT(nv_serve_session_body(bad[i], strlen(bad[i]), key, sizeof key,
                                     &err) != NV_OK);
        ASSERT_STREQ(err.file, "body");
    }
    ASSERT_EQ(nv_serve_session_body(good, strlen(good), key, 4, &err),
              NV_EPARSE);
}

NV_TEST(serve_names_from_text_and_json)
{
    struct nv_buf b;
    struct nv_err err = {0};
    const char *text = "Huawei\r\n\n ZTE Corp \nlast";
    const char *json = "[\"Huawei\", \"ZTE\"]";

    nv_buf_init(&b, 1 << 20);
    ASSERT_EQ(nv_serve_names_body(text, strlen(text), 0, &b, &err), NV_OK);
    ASSERT_STREQ(b.data, "Huawei\n ZTE Corp \nlast\n");
    nv_buf_reset(&b);
    ASSERT_EQ(nv_serve_names_body(json, strlen(json), 1, &b, &err), NV_OK);
    ASSERT_STREQ(b.data, "Huawei\nZTE\n");
    nv_buf_reset(&b);
    ASSERT_EQ(nv_serve_names_body("[\"a\", 3]", 8, 1, &b, &err), NV_EPARSE);
    ASSERT_EQ(err.col, 7);
    ASSERT_EQ(nv_serve_names_body("[\"a\\nb\"]", 8, 1, &b, &err), NV_EPARSE);
    ASSERT_EQ(nv_serve_names_body("{}", 2, 1, &b, &err), NV_EPARSE);
    ASSERT_EQ(nv_serve_names_body("a\tb", 3, 0, &b, &err), NV_EPARSE);
    nv_buf_release(&b);
}

/* Every parser fails cleanly, with NV_ENOMEM and nothing leaked,
 * whichever allocation fails. */
NV_TEST(serve_parsers_survive_every_allocation_failure)
{
    const char *query = "message=a%20b&group=vendor:x&limit=3";
    const char *session = "{\"key\": \"nvk_0123\", \"other\": [1, 2]}";
    const char *names = "[\"Huawei\", \"ZTE\", \"Nokia\"]";

    for (int which = 0; which < 3; which++) {
        for (long n = 0;; n++) {
            struct nv_query q;
            struct nv_buf b;
            struct nv_err err = {0};
            char key[64];
            enum nv_rc rc;
            nv_buf_init(&b, 1 << 20);
            nv_alloc_fail_after(n);
            if (which == 0)
                rc = nv_query_parse(&q, query, strlen(query), &err);
            else if (which == 1)
                rc = nv_serve_session_body(session, strlen(session), key,
                                           sizeof key, &err);
            else
                rc = nv_serve_names_body(names, strlen(names), 1, &b, &err);
            nv_alloc_fail_after(-1);
            if (which == 0)
                nv_query_release(&q);
            nv_buf_release(&b);
            if (rc == NV_OK)
                break;
            ASSERT_EQ(rc, NV_ENOMEM);
            ASSERT(n < 1000);
        }
    }
}

NV_TEST(serve_ids_and_words)
{
    ASSERT(nv_serve_is_id("0123abcdef"));
    ASSERT(!nv_serve_is_id(""));
    ASSERT(!nv_serve_is_id("ABCD"));
    ASSERT(!nv_serve_is_id(".."));
    ASSERT(!nv_serve_is_id("abcd/../x"));
    ASSERT(nv_serve_is_word("vendor:huawei"));
    ASSERT(nv_serve_is_word("uk-2020"));
    ASSERT(!nv_serve_is_word("/etc/passwd"));
    ASSERT(!nv_serve_is_word("--output=x"));
    ASSERT(!nv_serve_is_word("a\nb"));
    ASSERT(!nv_serve_is_word(""));
}

NV_TEST(serve_keys_and_permissions)
{
    char key[NV_SERVE_KEY_SIZE], hash[NV_SHA256_HEX], again[NV_SHA256_HEX];
    char text[64];
    unsigned perms = 0;
    struct nv_err err = {0};

    ASSERT_EQ(nv_serve_key_new(key, hash, &err), NV_OK);
    ASSERT_EQ(strlen(key), 68);
    ASSERT(strncmp(key, "nvk_", 4) == 0);
    nv_serve_key_hash(key, again);
    ASSERT_STREQ(hash, again);
    ASSERT_EQ(nv_serve_perms_parse("read,admin", &perms, &err), NV_OK);
    ASSERT_EQ(perms, NV_PERM_READ | NV_PERM_ADMIN);
    nv_serve_perms_format(perms, text, sizeof text);
    ASSERT_STREQ(text, "read,admin");
    ASSERT_EQ(nv_serve_perms_parse("read,root", &perms, &err), NV_EINVAL);
    ASSERT_EQ(nv_serve_perms_parse("", &perms, &err), NV_EINVAL);
}

NV_TEST(serve_runs_a_child_with_its_limits)
{
    const char *echo[] = {"sh", "-c", "cat; echo oops >&2; exit 2", NULL};
    const char *loud[] = {"sh", "-c", "yes", NULL};
    const char *slow[] = {"sh", "-c", "exec sleep 30", NULL};
    struct nv_run r = {"/bin/sh", echo, NULL, "in", 2, 30, 1 << 20};
    struct nv_run_result res = {0};
    struct nv_err err = {0};

    ASSERT_EQ(nv_run(&r, &res, &err), NV_OK);
    ASSERT_EQ(res.status, 2);
    ASSERT_STREQ(res.out, "in");
    ASSERT_STREQ(res.errs, "oops\n");
    nv_run_result_release(&res);
    r.argv = loud;
    r.input = NULL;
    r.input_len = 0;
    r.max_output = 1000;
    ASSERT_EQ(nv_run(&r, &res, &err), NV_ELIMIT);
    r.argv = slow;
    r.seconds = 1;
    ASSERT_EQ(nv_run(&r, &res, &err), NV_OK);
    ASSERT(res.timed_out);
    ASSERT_EQ(res.status, -1);
    nv_run_result_release(&res);
}

NV_TEST(serve_keys_and_audit_in_the_store)
{
    char path[4096], name[NV_KEY_NAME_MAX + 1], hash[NV_SHA256_HEX];
    struct nv_store *s = NULL;
    struct nv_apikeys keys;
    struct nv_audits rows;
    struct nv_audit a = {
        0, "alice", "2026-01-01T00:00:00Z", "upload", "abcd", "why", "00", -1};
    struct nv_err err = {0};
    unsigned perms = 0;
    int64_t seq = 0;
    int gone = 1;

    memset(hash, 'a', 64);
    hash[64] = '\0';
    snprintf(path, sizeof path, "%s/k.db", nv_t_tmpdir());
    ASSERT_EQ(nv_store_create(path, &err), NV_OK);
    ASSERT_EQ(nv_store_open(path, &s, &err), NV_OK);
    ASSERT_EQ(nv_store_key_add(s, "alice", hash, 5, "t", &err), NV_OK);
    ASSERT_EQ(nv_store_key_add(s, "alice", hash, 5, "t", &err), NV_EDUP);
    ASSERT_EQ(nv_store_key_find(s, hash, name, &perms, &err), NV_OK);
    ASSERT_STREQ(name, "alice");
    ASSERT_EQ(perms, 5);
    ASSERT_EQ(nv_store_key_revoke(s, "alice", "t2", &err), NV_OK);
    ASSERT_EQ(nv_store_key_find(s, hash, name, &perms, &err), NV_ENOENT);
    ASSERT_EQ(nv_store_key_revoke(s, "alice", "t3", &err), NV_ENOENT);
    ASSERT_EQ(nv_store_key_list(s, &keys, &err), NV_OK);
    ASSERT_EQ(keys.n, 1);
    ASSERT_STREQ(keys.v[0].revoked, "t2");
    nv_store_keys_release(&keys);
    for (int i = 0; i < 3; i++)
        ASSERT_EQ(nv_store_audit_add(s, &a, &seq, &err), NV_OK);
    ASSERT_EQ(nv_store_audit_logged(s, seq, 7, &err), NV_OK);
    ASSERT_EQ(nv_store_audit_list(s, 0, 2, &rows, &err), NV_OK);
    ASSERT_EQ(rows.n, 2);
    ASSERT_EQ(rows.v[0].seq, 3);
    ASSERT_EQ(rows.v[0].log_index, 7);
    ASSERT_EQ(rows.v[1].log_index, -1);
    nv_store_audits_release(&rows);
    ASSERT_EQ(nv_store_audit_list(s, 2, 10, &rows, &err), NV_OK);
    ASSERT_EQ(rows.n, 1);
    nv_store_audits_release(&rows);
    ASSERT_EQ(nv_store_withdrawn(s, "abcd", &gone, &err), NV_OK);
    ASSERT_EQ(gone, 0);
    ASSERT_EQ(nv_store_withdraw(s, "abcd", seq, &err), NV_OK);
    ASSERT_EQ(nv_store_withdrawn(s, "abcd", &gone, &err), NV_OK);
    ASSERT_EQ(gone, 1);
    nv_store_close(s);
}

NV_TEST(serve_listen_addresses)
{
    static const struct {
        const char *text, *host;
        int port, v6;
    } good[] = {{"127.0.0.1:8470", "127.0.0.1", 8470, 0},
                {"0.0.0.0:0", "0.0.0.0", 0, 0},
                {"[::1]:8443", "::1", 8443, 1},
                {"[::]:65535", "::", 65535, 1},
                {"8470", "0.0.0.0", 8470, 0}};
    static const struct {
        const char *text;
        unsigned long col;
    } bad[] = {{"localhost:80", 1},     {"127.0.0.1:", 11},
               {"127.0.0.1:65536", 11}, {"127.0.0.1:-1", 11},
               {"::1:80", 1},           {"[::1]", 1},
               {"1.2.3.4:80x", 9},      {"", 1},
               {"[127.0.0.1]:80", 1},   {"1.2.3.4.5:80", 1}};
    struct nv_listen l;
    struct nv_err err = {0};

    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        ASSERT_EQ(nv_serve_listen_parse(good[i].text, &l, &err), NV_OK);
        ASSERT_STREQ(l.host, good[i].host);
        ASSERT_EQ(l.port, good[i].port);
        ASSERT_EQ(l.v6, good[i].v6);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        nv_err_clear(&err);
        ASSERT_EQ(nv_serve_listen_parse(bad[i].text, &l, &err), NV_EPARSE);
        ASSERT_STREQ(err.file, "listen");
        ASSERT_EQ(err.col, bad[i].col);
    }
}

#define TLS_DATA "tests/data/tls/"

/* nv_tls_new on cert and key: its code, or NV_ECONFLICT when it failed
 * without want in its message or file name. */
static enum nv_rc tls_try(const char *cert, const char *key, const char *want)
{
    struct nv_tls *t = NULL;
    struct nv_err err = {0};
    enum nv_rc rc;

    nv_err_clear(&err);
    rc = nv_tls_new(cert, key, &t, &err);
    nv_tls_free(t);
    if (rc && want && !strstr(err.msg, want) && !strstr(err.file, want)) {
        fprintf(stderr, "%s: %s (wanted %s)\n", err.file, err.msg, want);
        return NV_ECONFLICT;
    }
    return rc;
}

NV_TEST(serve_tls_certificates_and_keys)
{
    ASSERT_EQ(tls_try(TLS_DATA "cert.pem", TLS_DATA "key.pem", NULL), NV_OK);
    ASSERT_EQ(tls_try(TLS_DATA "chain.pem", TLS_DATA "key.pem", NULL), NV_OK);
    ASSERT_EQ(tls_try(TLS_DATA "cert.pem", TLS_DATA "other-key.pem",
                      "not the private key of the certificate"),
              NV_EINVAL);
    ASSERT_EQ(
        tls_try(TLS_DATA "key.pem", TLS_DATA "key.pem", "no PEM certificate"),
        NV_EPARSE);
    ASSERT_EQ(
        tls_try(TLS_DATA "cert.pem", TLS_DATA "cert.pem", "no PEM private key"),
        NV_EPARSE);
    /* Never a prompt for the passphrase: refused. */
    ASSERT_EQ(tls_try(TLS_DATA "cert.pem", TLS_DATA "encrypted-key.pem",
                      "no PEM private key"),
              NV_EPARSE);
    ASSERT_EQ(
        tls_try(TLS_DATA "README", TLS_DATA "key.pem", "no PEM certificate"),
        NV_EPARSE);
    ASSERT_EQ(tls_try(TLS_DATA "none.pem", TLS_DATA "key.pem", "none.pem"),
              NV_EIO);
    ASSERT_EQ(tls_try(TLS_DATA "cert.pem", TLS_DATA "none.pem", "none.pem"),
              NV_EIO);
}

NV_TEST(serve_tls_relay_starts_and_stops)
{
    struct nv_tls_config c = {"127.0.0.1:0", 1, 4, 1000};
    struct nv_tls *t = NULL;
    struct nv_err err = {0};
    char addr[64];

    ASSERT_EQ(nv_tls_new(TLS_DATA "cert.pem", TLS_DATA "key.pem", &t, &err),
              NV_OK);
    ASSERT_EQ(nv_tls_start(t, &c, &err), NV_OK);
    ASSERT(nv_tls_port(t) > 0);
    /* No connection relayed: no port is the relay's. */
    ASSERT_EQ(nv_tls_client(t, nv_tls_port(t), addr, sizeof addr), 0);
    ASSERT_EQ(nv_tls_client(t, 0, addr, sizeof addr), 0);
    nv_tls_stop(t);
    nv_tls_free(t);
    nv_tls_free(NULL);
}

NV_TEST(serve_tls_survives_every_allocation_failure)
{
    struct nv_tls_config c = {"127.0.0.1:0", 1, 4, 1000};

    for (long n = 0;; n++) {
        struct nv_tls *t = NULL;
        struct nv_err err = {0};
        enum nv_rc rc;
        nv_alloc_fail_after(n);
        rc = nv_tls_new(TLS_DATA "cert.pem", TLS_DATA "key.pem", &t, &err);
        if (!rc)
            rc = nv_tls_start(t, &c, &err);
        nv_alloc_fail_after(-1);
        nv_tls_free(t); /* NULL after a failed nv_tls_new */
        if (rc == NV_OK)
            break;
        ASSERT_EQ(rc, NV_ENOMEM);
        ASSERT(n < 100);
    }
}
