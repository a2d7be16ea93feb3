/*
 * test_json.c - the positioned JSON tree, streaming, and the writer.
 */
#include "core/alloc.h"
#include "core/json.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

static enum nv_rc parse(const char *text, struct nv_arena *a,
                        struct nv_json **root, struct nv_err *err)
{
    nv_err_clear(err);
    return nv_json_parse(text, strlen(text), "t.json", a, root, err);
}

NV_TEST(json_tree_keeps_offsets)
{
    struct nv_arena a;
    struct nv_json *root;
    struct nv_err err = {0};
    const struct nv_json *v;
    const char *text = "{\"a\": [1, \"x\\\"y\"],\n \"b\": {\"c\": null}}";

    nv_arena_init(&a);
    ASSERT_EQ(parse(text, &a, &root, &err), NV_OK);
    ASSERT_EQ(root->type, NV_JSON_OBJECT);
    ASSERT_EQ(root->len, 2);
    v = nv_json_get(root, "a");
    ASSERT(v && v->type == NV_JSON_ARRAY && v->len == 2);
    ASSERT_EQ(v->off, 6);
    ASSERT_STREQ(v->u.items[0].u.str, "1");
    ASSERT_EQ(v->u.items[0].off, 7);
    ASSERT_STREQ(v->u.items[1].u.str, "x\"y");
    ASSERT_EQ(v->u.items[1].off, 10);
    ASSERT_EQ(root->u.members[1].koff, 20);
    v = nv_json_get(nv_json_get(root, "b"), "c");
    ASSERT(v && v->type == NV_JSON_NULL);
    nv_arena_release(&a);
}

NV_TEST(json_errors_have_line_and_column)
{
    struct nv_arena a;
    struct nv_json *root;
    struct nv_err err = {0};

    nv_arena_init(&a);
    ASSERT_EQ(parse("{\"a\": 1,\n \"a\": 2}", &a, &root, &err), NV_EDUP);
    ASSERT_EQ(err.line, 2);
    ASSERT_EQ(err.col, 2);
    ASSERT_EQ(parse("{\"a\": 1,\n  ]", &a, &root, &err), NV_EPARSE);
    ASSERT_EQ(err.line, 2);
    ASSERT_EQ(parse("{\"a\": \"\xff\"}", &a, &root, &err), NV_EPARSE);
    ASSERT_EQ(parse("{\"a\": [1, 2", &a, &root, &err), NV_EPARSE);
    ASSERT_EQ(parse("", &a, &root, &err), NV_EPARSE);
    nv_arena_release(&a);
}

NV_TEST(json_depth_is_bounded)
{
    struct nv_arena a;
    struct nv_json *root;
    struct nv_err err = {0};
    char text[400];

    memset(text, '[', 200);
    memset(text + 200, ']', 199);
    text[399] = '\0';
    nv_arena_init(&a);
    ASSERT_EQ(parse(text, &a, &root, &err), NV_ELIMIT);
    nv_arena_release(&a);
}

struct seen {
    int items, scalars;
    char last_key[16];
};

static enum nv_rc on_item(void *ctx, const char *key, int64_t index,
                          const struct nv_json *v, struct nv_err *err)
{
    struct seen *s = ctx;

    (void)err;
    snprintf(s->last_key, sizeof s->last_key, "%s", key);
    if (index < 0)
        s->scalars++;
    else if (v->type == NV_JSON_OBJECT && index == s->items)
        s->items++;
    return NV_OK;
}

NV_TEST(json_stream_hands_out_elements)
{
    const char *text = "{\"v\": 1, \"xs\": [{\"a\": 1}, {\"a\": 2}, {}],"
                       " \"o\": {\"k\": 3}}";
    struct seen s = {0, 0, ""};
    struct nv_err err = {0};

    nv_err_clear(&err);
    ASSERT_EQ(nv_json_stream(text, strlen(text), "t", on_item, &s, &err),
              NV_OK);
    ASSERT_EQ(s.items, 3);
    ASSERT_EQ(s.scalars, 2);
    ASSERT_STREQ(s.last_key, "o");
    ASSERT_EQ(nv_json_stream("[1]", 3, "t", on_item, &s, &err), NV_EPARSE);
}

NV_TEST(json_allocation_failures_are_clean)
{
    const char *text = "{\"a\": [1, 2, {\"b\": \"c\"}], \"d\": \"e\"}";

    for (long n = 0;; n++) {
        struct nv_arena a;
        struct nv_json *root;
        struct nv_err err = {0};
        enum nv_rc rc;

        nv_arena_init(&a);
        nv_alloc_fail_after(n);
        rc = parse(text, &a, &root, &err);
        nv_alloc_fail_after(-1);
        nv_arena_release(&a);
        if (rc == NV_OK)
            break;
        ASSERT_EQ(rc, NV_ENOMEM);
        ASSERT(n < 1000);
    }
}

NV_TEST(json_writer_round_trips)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    struct nv_jsonw *w = nv_jsonw_new(f, 0);
    struct nv_err err = {0};

    nv_jsonw_obj(w);
    nv_jsonw_key(w, "s");
    nv_jsonw_str(w, "a\"b\n");
    nv_jsonw_key(w, "n");
    nv_jsonw_num(w, 0.97);
    nv_jsonw_key(w, "i");
    nv_jsonw_int(w, -3);
    nv_jsonw_obj_end(w);
    ASSERT_EQ(nv_jsonw_finish(w, &err), NV_OK);
    nv_jsonw_free(w);
    fclose(f);
    ASSERT_STREQ(out, "{\"s\":\"a\\\"b\\n\",\"n\":0.97,\"i\":-3}\n");
    free(out);
}

NV_TEST(json_skips_a_byte_order_mark)
{
    struct nv_arena a;
    struct nv_json *root;
    struct nv_err err = {0};
    unsigned long col;

    nv_arena_init(&a);
    ASSERT_EQ(parse("\xEF\xBB\xBF{\"a\": 1}", &a, &root, &err), NV_OK);
    ASSERT_EQ(root->u.members[0].koff, 4);
    ASSERT_EQ(parse("{\"a\": x}", &a, &root, &err), NV_EPARSE);
    col = err.col;
    /* The mark is one character: errors move one column to the right. */
    ASSERT_EQ(parse("\xEF\xBB\xBF{\"a\": x}", &a, &root, &err), NV_EPARSE);
    ASSERT_EQ(err.col, col + 1);
    nv_arena_release(&a);
}
