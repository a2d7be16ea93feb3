/*
 * api_session.c - the web page's session: logging in with a key (which
 * sets the session cookie and gives the CSRF token), the session's
 * holder, logging out.
 */
#include "serve/api_int.h"

#include "core/alloc.h"

#include <stdio.h>

static void session_json(struct nv_api_req *q, int status, const char *csrf,
                         const char *headers)
{
    struct nv_api_out o;
    struct nv_jsonw *w = nv_api_out_open(&o);

    if (w) {
        nv_jsonw_obj(w);
        nv_jsonw_key(w, "name");
        nv_jsonw_str(w, q->who);
        nv_jsonw_key(w, "permissions");
        nv_jsonw_arr(w);
        for (int i = 0; i < 4; i++)
            if (q->perms & (1u << i))
                nv_jsonw_str(w, nv_serve_perm_names[i]);
        nv_jsonw_arr_end(w);
        nv_jsonw_key(w, "csrf");
        nv_jsonw_str_or_null(w, csrf);
        nv_jsonw_obj_end(w);
    }
    nv_api_out_send(q, &o, status, headers);
}

void nv_api_login(struct nv_api_req *q)
{
    char key[256], hash[NV_SHA256_HEX], tok[NV_TOKEN_SIZE];
    char headers[300];
    char *text = NULL;
    size_t len = 0;
    struct nv_err err = {0};

    nv_err_clear(&err);
    if (nv_auth_blocked(q->s->auth, q->r->remote)) {
        nv_api_problem(q, 429, "too many requests",
                       "too many failed attempts: wait a minute");
        return;
    }
    if (!nv_api_body(q, 4096, &text, &len))
        return;
    if (nv_serve_session_body(text, len, key, sizeof key, &err)) {
        nv_free(text);
        nv_api_fail(q, &err);
        return;
    }
    nv_free(text);
    nv_serve_key_hash(key, hash);
    if (!nv_api_key_valid(q, hash)) {
        nv_auth_failed(q->s->auth, q->r->remote);
        nv_api_problem(q, 401, "unauthorized", "no valid key");
        return;
    }
    if (nv_auth_login(q->s->auth, hash, tok, q->csrf, &err)) {
        nv_api_fail(q, &err);
        return;
    }
    snprintf(headers, sizeof headers,
             "Set-Cookie: netvet_session=%s; Path=/; HttpOnly; "
             "SameSite=Strict%s\r\n",
             tok, q->r->tls ? "; Secure" : "");
    session_json(q, 200, q->csrf, headers);
}

void nv_api_session(struct nv_api_req *q)
{
    session_json(q, 200, q->by_cookie ? q->csrf : NULL, NULL);
}

void nv_api_logout(struct nv_api_req *q)
{
    char tok[NV_TOKEN_SIZE + 8];
    struct nv_answer a = {204, "application/json", NULL, 0};

    if (nv_api_cookie(q, "netvet_session", tok, sizeof tok))
        nv_auth_logout(q->s->auth, tok);
    nv_api_send(
        q, &a,
        "Set-Cookie: netvet_session=; Path=/; HttpOnly; SameSite=Strict; "
        "Max-Age=0\r\n");
}
