/*
 * serve.c - `netvet serve`: the API and the web page over a history
 * store (docs/serve.md), and `netvet serve keys` to make and revoke the
 * keys that open it.
 */
#include "cmd/cli.h"
#include "cmd/cmd.h"
#include "cmd/history.h"
#include "core/crypto.h"
#include "core/parse.h"
#include "serve/parse.h"
#include "serve/serve.h"
#include "store/keys.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char about[] =
    "Serve the JSON API of /api/v1 (described at /api/v1/openapi.json)\n"
    "and the web page over the history store DB: upload snapshots, list\n"
    "and compare them, assess, war-game, check and release them, screen\n"
    "names, read the audit trail and the evidence log's proofs.  Requests\n"
    "carry an API key (X-Api-Key) made with 'netvet serve keys add', or\n"
    "the session cookie the page gets by logging in with one.  Every\n"
    "upload, withdrawal and decision (check, release) is a row of the\n"
    "audit trail and, with --log DIR --log-key KEY, an entry of the\n"
    "evidence log.  Analyses are netvet itself, run as a child process\n"
    "with a time limit; one taking longer than --sync-wait (a second)\n"
    "answers 202 with a job to poll.  Listens on the loopback address\n"
    "unless told otherwise; with --tls-cert and --tls-key (PEM), HTTPS\n"
    "only (TLS 1.2 or later).  SIGINT or SIGTERM stop it once the\n"
    "requests under way are answered.\n\n"
    "  serve keys add DB --name N --permissions read,write,analyse,admin\n"
    "                     make a key; it is printed once, alone\n"
    "  serve keys list DB  the keys (names, permissions, revoked)\n"
    "  serve keys revoke DB --name N";

static const char examples[] =
    "  netvet store init history.db\n"
    "  netvet serve keys add history.db --name alice "
    "--permissions read,write,analyse,admin\n"
    "  netvet serve --store history.db\n"
    "  netvet serve --store history.db --listen 0.0.0.0:8443 "
    "--tls-cert cert.pem --tls-key key.pem\n";

struct serve_opts {
    const char *store, *listen, *cert, *key, *max_body, *threads, *jobs;
    const char *timeout, *sync_wait, *name, *perms;
    struct nv_strlist lists;
    struct nv_cli_evidence evidence;
};

/* The most --list files: a screening child's arguments are bounded. */
#define MAX_LISTS 8

static volatile sig_atomic_t stop_now;

static void on_signal(int sig)
{
    (void)sig;
    stop_now = 1;
}

/* ---- keys ---- */

/* Record a change of keys in the audit trail (and the log with --log);
 * who is the user at the command line. */
static int record(struct nv_store *s, const struct serve_opts *o,
                  const char *action, const char *message)
{
    const char *user = getenv("USER");
    char who[NV_KEY_NAME_MAX + 8];
    struct nv_serve_event e = {who, action, o->name, message};
    struct nv_key *key = NULL;
    struct nv_err err = {0};
    int64_t seq;
    int rc = NV_EXIT_OK;

    nv_err_clear(&err);
    snprintf(who, sizeof who, "cli:%s", user && *user ? user : "unknown");
    if (o->evidence.key && nv_key_load(o->evidence.key, &key, &err))
        rc = nv_cli_fail(&err);
    if (!rc && nv_serve_record(s, o->evidence.log, key, &e, &seq, &err))
        rc = nv_cli_fail(&err);
    nv_key_free(key);
    return rc;
}

static int keys_add(const struct nv_cmd_spec *spec, struct nv_store *s,
                    const struct serve_opts *o)
{
    char key[NV_SERVE_KEY_SIZE], hash[NV_SHA256_HEX], now[32], perms_text[64];
    unsigned perms = 0;
    struct nv_err err = {0};
    int rc;

    nv_err_clear(&err);
    if (!o->name || !o->perms)
        return nv_cli_usage_error(spec, "give --name N and --permissions P");
    if (nv_serve_perms_parse(o->perms, &perms, &err) ||
        nv_serve_key_new(key, hash, &err))
        return nv_cli_fail(&err);
    nv_serve_now(now);
    if (nv_store_key_add(s, o->name, hash, perms, now, &err))
        return nv_cli_fail(&err);
    nv_serve_perms_format(perms, perms_text, sizeof perms_text);
    rc = record(s, o, "key-add", perms_text);
    if (rc)
        return rc;
    printf("%s\n", key);
    return fflush(stdout) == 0 ? NV_EXIT_OK : NV_EXIT_INTERNAL;
}

static int keys_list(struct nv_store *s)
{
    struct nv_apikeys l;
    struct nv_err err = {0};
    char perms[64];

    nv_err_clear(&err);
    if (nv_store_key_list(s, &l, &err))
        return nv_cli_fail(&err);
    for (uint32_t i = 0; i < l.n; i++) {
        nv_serve_perms_format(l.v[i].perms, perms, sizeof perms);
        printf("%-20s %-28s created %s%s%s\n", l.v[i].name, perms,
               l.v[i].created, l.v[i].revoked ? ", revoked " : "",
               l.v[i].revoked ? l.v[i].revoked : "");
    }
    nv_store_keys_release(&l);
    return NV_EXIT_OK;
}

static int keys(const struct nv_cmd_spec *spec, const struct serve_opts *o,
                const struct nv_strlist *args)
{
    const char *action = args->n > 1 ? args->items[1] : "";
    struct nv_store *s = NULL;
    struct nv_err err = {0};
    char now[32];
    int rc;

    if (args->n != 3)
        return nv_cli_usage_error(spec, "expected keys add|list|revoke DB");
    rc = nv_cli_evidence_check(spec, &o->evidence);
    if (!rc)
        rc = nv_cli_open_store(args->items[2], &s);
    nv_err_clear(&err);
    nv_serve_now(now);
    if (rc)
        return rc;
    if (!strcmp(action, "add"))
        rc = keys_add(spec, s, o);
    else if (!strcmp(action, "list"))
        rc = keys_list(s);
    else if (!strcmp(action, "revoke") && !o->name)
        rc = nv_cli_usage_error(spec, "give --name N");
    else if (!strcmp(action, "revoke"))
        rc = nv_store_key_revoke(s, o->name, now, &err)
                 ? nv_cli_fail(&err)
                 : record(s, o, "key-revoke", "revoked");
    else
        rc =
            nv_cli_usage_error(spec, "'%s' is not add, list or revoke", action);
    nv_store_close(s);
    return rc;
}

/* ---- the server ---- */

/* Parse the limits of o into c and hc; a usage error otherwise. */
static int limits(const struct nv_cmd_spec *spec, const struct serve_opts *o,
                  struct nv_serve_config *c, struct nv_http_config *hc)
{
    uint32_t threads = 64, jobs = 2, timeout = 300, wait = 1000;
    int64_t body = (int64_t)512 << 20;
    int rc = nv_cli_number(spec, "threads", o->threads, 1024, &threads);

    if (!rc)
        rc = nv_cli_number(spec, "jobs", o->jobs, 256, &jobs);
    if (!rc)
        rc = nv_cli_number(spec, "sync-wait", o->sync_wait, 3600000, &wait);
    if (!rc)
        rc = nv_cli_number(spec, "timeout", o->timeout, 86400, &timeout);
    if (!rc && o->max_body &&
        nv_parse_i64(o->max_body, strlen(o->max_body), 1, INT64_MAX, &body))
        rc = nv_cli_usage_error(spec, "--max-body: a number of bytes");
    c->max_body = (size_t)body;
    c->jobs = jobs ? (int)jobs : 1;
    c->seconds = timeout ? (int)timeout : 1;
    c->wait_ms = (int)wait;
    hc->threads = threads ? (int)threads : 1;
    hc->timeout_ms = 30000;
    if (!rc && (!o->cert) != (!o->key))
        rc = nv_cli_usage_error(spec, "give both --tls-cert and --tls-key");
    if (!rc && o->lists.n > MAX_LISTS)
        rc = nv_cli_usage_error(spec, "at most %d --list files", MAX_LISTS);
    return rc;
}

static void wait_for_signal(void)
{
    struct sigaction sa;
    struct timespec tick = {0, 100000000L};

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    while (!stop_now)
        nanosleep(&tick, NULL);
}

static int run(const struct nv_cmd_spec *spec, const struct serve_opts *o)
{
    char store[PATH_MAX], exe[PATH_MAX];
    struct nv_serve_config c = {
        store, o->evidence.log, o->evidence.key, exe, 0, 0, 0, 0, NULL, 0};
    struct nv_http_config hc = {o->listen ? o->listen : "127.0.0.1:8470",
                                o->cert, o->key, 0, 0};
    struct nv_serve *s = NULL;
    struct nv_http *h = NULL;
    struct nv_err err = {0};
    struct nv_listen where;
    int rc = limits(spec, o, &c, &hc);

    nv_err_clear(&err);
    if (!rc && nv_serve_listen_parse(hc.listen, &where, &err))
        rc = nv_cli_fail(&err);
    if (!rc)
        rc = nv_cli_evidence_check(spec, &o->evidence);
    if (!rc && (!realpath(o->store, store) || !realpath("/proc/self/exe", exe)))
        rc = nv_cli_usage_error(spec, "%s: no such store", o->store);
    c.lists = o->lists.items;
    c.nlists = o->lists.n;
    signal(SIGPIPE, SIG_IGN); /* a client gone is an error, not our end */
    if (!rc && (nv_serve_new(&c, &s, &err) ||
                nv_http_start(&hc, nv_serve_handle, s, &h, &err)))
        rc = nv_cli_fail(&err);
    if (!rc) {
        fprintf(stderr, "netvet serve: listening on http%s://%s%s%s:%d/\n",
                o->cert ? "s" : "", where.v6 ? "[" : "", where.host,
                where.v6 ? "]" : "", nv_http_port(h));
        wait_for_signal();
        fprintf(stderr, "netvet serve: stopping\n");
    }
    nv_http_stop(h);
    nv_serve_free(s);
    return rc;
}

int cmd_serve(int argc, char **argv)
{
    struct serve_opts o = {0};
    const struct nv_opt opts[] = {
        {"store", NV_OPT_STRING, &o.store, "DB", "the history store to serve"},
        {"listen", NV_OPT_STRING, &o.listen, "ADDR:PORT",
         "where to listen (default 127.0.0.1:8470; port 0 picks one)"},
        {"log", NV_OPT_STRING, &o.evidence.log, "DIR",
         "record the audit trail in this evidence log"},
        {"log-key", NV_OPT_STRING, &o.evidence.key, "KEY",
         "the private key that signs the log's checkpoints"},
        {"tls-cert", NV_OPT_STRING, &o.cert, "FILE", "PEM certificate (HTTPS)"},
        {"tls-key", NV_OPT_STRING, &o.key, "FILE", "its PEM private key"},
        {"max-body", NV_OPT_STRING, &o.max_body, "BYTES",
         "the largest request body (default 536870912)"},
        {"threads", NV_OPT_STRING, &o.threads, "N",
         "connections served at once (default 64)"},
        {"jobs", NV_OPT_STRING, &o.jobs, "N",
         "analyses run at once (default 2)"},
        {"timeout", NV_OPT_STRING, &o.timeout, "S",
         "the most seconds an analysis may take (default 300)"},
        {"sync-wait", NV_OPT_STRING, &o.sync_wait, "MS",
         "how long a request waits for its analysis before it answers 202 "
         "with a job to poll (default 1000; 0 answers 202 at once)"},
        {"list", NV_OPT_LIST, &o.lists, "FILE",
         "a restricted-party list for /api/v1/screen (repeatable)"},
        {"name", NV_OPT_STRING, &o.name, "N", "keys: the key's name"},
        {"permissions", NV_OPT_STRING, &o.perms, "P",
         "keys add: read,write,analyse,admin (any of them)"},
    };
    const struct nv_cmd_spec spec = {"serve", "--store DB | keys ACTION DB",
                                     about,   examples,
                                     opts,    sizeof opts / sizeof opts[0]};
    struct nv_strlist args = {0};
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    if (rc == 0 && args.n && !strcmp(args.items[0], "keys"))
        rc = keys(&spec, &o, &args);
    else if (rc == 0 && (args.n || !o.store))
        rc = nv_cli_usage_error(&spec, "expected --store DB or keys ACTION");
    else if (rc == 0)
        rc = run(&spec, &o);
    nv_strlist_release(&args);
    nv_strlist_release(&o.lists);
    return rc < 0 ? NV_EXIT_OK : rc;
}
