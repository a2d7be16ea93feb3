/*
 * policy_int.h - what the policy parser (policy.c) and evaluator
 * (policy_eval.c) share: the syntax tree.
 */
#ifndef NV_POLICY_INT_H
#define NV_POLICY_INT_H

#include "core/arena.h"
#include "exposure/margin.h"
#include "policy/policy.h"

/* Where a condition is evaluated: on an asset, a flow, or a group. */
enum ctx { CTX_ASSET = 1, CTX_FLOW = 2, CTX_GROUP = 4 };

enum field {
    F_LAYER,
    F_KIND,
    F_VENDOR,
    F_COUNTRY,
    F_DESIGNATION,
    F_REGION,
    F_TAG,
    F_SITE,
    F_CLASSIFICATION,
    F_SECTOR,
    F_PARTNER,
    F_GROUP,     /* a group's kind: vendor, country or designation */
    F_ENCRYPTED, /* flags: no value */
    F_UNRESOLVED,
    F_COUNT
};

/* Where a value was written in its policy file. */
struct nv_pos {
    unsigned long line, col;
};

enum op { OP_EQ, OP_NE, OP_GE, OP_LE, OP_GT, OP_LT, OP_IN };

enum node_kind {
    N_AND,
    N_OR,
    N_NOT,
    N_TEST,
    N_FLAG,
    N_NEAR,
    N_WITHIN,
    N_EXPOSURE,
    N_MARGIN
};

struct node {
    enum node_kind kind;
    enum field field;
    enum op op;
    const char **values; /* N_TEST: the values, as written; once bound to
                            a model, vendors become entity ids and
                            countries upper-case codes */
    int *ivalues;        /* ... and as enum indices for enum fields */
    struct nv_pos *pos;  /* ... and where each was written */
    uint32_t nvalues;
    struct node *a, *b; /* and/or: a, b; not: a; near, exposure: a */
    uint32_t number;    /* near: links; exposure: the level compared;
                           margin: the number compared (field: F_VENDOR
                           or F_COUNTRY, the kind of groups) */
    double metres;      /* within: the distance on the ground */
};

enum body { B_DENY_ASSETS, B_DENY_FLOWS, B_LIMIT_SHARE, B_REQUIRE_VENDORS };
enum scope { S_NETWORK, S_REGION };

struct rule {
    struct nv_rule_info info;
    enum body body;
    struct node *cond;   /* which assets or flows */
    struct node *within; /* limit: the population the share is of */
    enum scope scope;
    double bound; /* limit: percent; require: vendors */
};

struct nv_policy {
    struct nv_arena arena;
    struct rule *rules;
    uint32_t nrules;
    size_t cap;
    int tolerate[NV_CLASS_COUNT][2]; /* [class][encrypted]: level or -1 */
    const char *tolerate_by[NV_CLASS_COUNT]; /* the statement that set it */
};

/* The enum names of a field, or NULL when its values are free text. */
const char *const *nv_policy_field_names(enum field f, int *n);

#endif
