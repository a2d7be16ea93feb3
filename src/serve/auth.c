/*
 * auth.c - sessions of the web page and the limit on failed attempts.
 * A session holds the hash of the key that opened it, so revoking the
 * key ends it at the next request.  Tokens are 32 random bytes; the
 * tables are fixed arrays, so a flood of logins or of clients cannot
 * grow memory: the oldest entry gives way.
 */
#include "serve/serve_int.h"

#include "core/alloc.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define MAX_SESSIONS 1024
#define SESSION_SECONDS (8 * 3600)
#define MAX_CLIENTS 1024
#define WINDOW_SECONDS 60
#define MAX_FAILURES 10

struct session {
    char token[NV_TOKEN_SIZE], csrf[NV_TOKEN_SIZE], key[NV_SHA256_HEX];
    time_t until;
};

struct client {
    char addr[48];
    time_t since; /* the start of its window */
    int failures;
};

struct nv_auth {
    pthread_mutex_t lock;
    struct session sessions[MAX_SESSIONS];
    struct client clients[MAX_CLIENTS];
};

struct nv_auth *nv_auth_new(void)
{
    struct nv_auth *a = nv_calloc(1, sizeof *a);

    if (a)
        pthread_mutex_init(&a->lock, NULL);
    return a;
}

void nv_auth_free(struct nv_auth *a)
{
    if (!a)
        return;
    pthread_mutex_destroy(&a->lock);
    nv_free(a);
}

/* The entry of remote, or (when add) a new one in place of the oldest;
 * NULL when absent and not added.  Called locked. */
static struct client *client(struct nv_auth *a, const char *remote, int add)
{
    struct client *oldest = &a->clients[0];

    for (int i = 0; i < MAX_CLIENTS; i++) {
        struct client *c = &a->clients[i];
        if (strcmp(c->addr, remote) == 0)
            return c;
        if (c->since < oldest->since)
            oldest = c;
    }
    if (!add)
        return NULL;
    snprintf(oldest->addr, sizeof oldest->addr, "%s", remote);
    oldest->since = time(NULL);
    oldest->failures = 0;
    return oldest;
}

int nv_auth_blocked(struct nv_auth *a, const char *remote)
{
    time_t now = time(NULL);
    struct client *c;
    int blocked;

    pthread_mutex_lock(&a->lock);
    c = client(a, remote, 0);
    if (c && now - c->since >= WINDOW_SECONDS) {
        c->since = now;
        c->failures = 0;
    }
    blocked = c && c->failures >= MAX_FAILURES;
    pthread_mutex_unlock(&a->lock);
    return blocked;
}

void nv_auth_failed(struct nv_auth *a, const char *remote)
{
    struct client *c;

    pthread_mutex_lock(&a->lock);
    c = client(a, remote, 1);
    c->failures++;
    pthread_mutex_unlock(&a->lock);
}

static enum nv_rc token(char out[NV_TOKEN_SIZE], struct nv_err *err)
{
    unsigned char b[32];
    enum nv_rc rc = nv_random(b, sizeof b, err);

    if (!rc)
        nv_hex(b, sizeof b, out);
    return rc;
}

enum nv_rc nv_auth_login(struct nv_auth *a, const char *key_hash,
                         char tok[NV_TOKEN_SIZE], char csrf[NV_TOKEN_SIZE],
                         struct nv_err *err)
{
    struct session *slot;
    enum nv_rc rc = token(tok, err);

    if (!rc)
        rc = token(csrf, err);
    if (rc)
        return rc;
    pthread_mutex_lock(&a->lock);
    slot = &a->sessions[0];
    for (int i = 1; i < MAX_SESSIONS; i++)
        if (a->sessions[i].until < slot->until)
            slot = &a->sessions[i];
    memcpy(slot->token, tok, NV_TOKEN_SIZE);
    memcpy(slot->csrf, csrf, NV_TOKEN_SIZE);
    memcpy(slot->key, key_hash, NV_SHA256_HEX);
    slot->until = time(NULL) + SESSION_SECONDS;
    pthread_mutex_unlock(&a->lock);
    return NV_OK;
}

/* The live session of tok, called locked; NULL if none. */
static struct session *find(struct nv_auth *a, const char *tok)
{
    time_t now = time(NULL);

    if (strlen(tok) != NV_TOKEN_SIZE - 1)
        return NULL;
    for (int i = 0; i < MAX_SESSIONS; i++) {
        struct session *s = &a->sessions[i];
        if (s->until > now && strcmp(s->token, tok) == 0)
            return s;
    }
    return NULL;
}

int nv_auth_session(struct nv_auth *a, const char *tok,
                    char key_hash[NV_SHA256_HEX], char csrf[NV_TOKEN_SIZE])
{
    struct session *s;

    pthread_mutex_lock(&a->lock);
    s = find(a, tok);
    if (s) {
        memcpy(key_hash, s->key, NV_SHA256_HEX);
        memcpy(csrf, s->csrf, NV_TOKEN_SIZE);
    }
    pthread_mutex_unlock(&a->lock);
    return s != NULL;
}

void nv_auth_logout(struct nv_auth *a, const char *tok)
{
    struct session *s;

    pthread_mutex_lock(&a->lock);
    s = find(a, tok);
    if (s)
        memset(s, 0, sizeof *s);
    pthread_mutex_unlock(&a->lock);
}
