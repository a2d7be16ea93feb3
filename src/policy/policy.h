/*
 * policy.h - policies as text: rules over the model and its exposure,
 * and what may be released to partners (grammar in docs/policy.md).
 *
 *   rule UK-CORE error "No high-risk vendor in the core"
 *     source "NCSC advice on high-risk vendors, 28 January 2020"
 *     deny assets where designation >= high-risk and layer = core
 *
 *   rule UK-RAN-35 error "High-risk share of the access network <= 35%"
 *     limit share of assets where designation >= high-risk
 *       in assets where layer = ran per network <= 35%
 *
 *   release secret tolerate may encrypted routed
 *
 * A policy is parsed once (errors carry FILE:LINE:COL and say what was
 * expected) and evaluated against a finished model and, when a rule
 * needs it, the model's exposure.
 */
#ifndef NV_POLICY_H
#define NV_POLICY_H

#include "exposure/exposure.h"

enum nv_severity { NV_SEV_WARNING, NV_SEV_ERROR };

struct nv_policy;

/* An empty policy (rules are added by loading files); NULL on ENOMEM. */
struct nv_policy *nv_policy_new(void);
void nv_policy_free(struct nv_policy *p);

/* Parse the policy text of file name and add its rules and release
 * thresholds to p.  On error p is unchanged... except for rules of the
 * file parsed before the error, which the caller discards with p. */
enum nv_rc nv_policy_parse(struct nv_policy *p, const char *name,
                           const char *text, size_t len,
                           struct nv_err *err) NV_WUR;

/* A reference of a policy that names nothing of the model it is bound
 * to, with where it was written and what it may have meant. */
struct nv_policy_warning {
    const char *file, *rule;
    unsigned long line, col;
    char msg[256]; /* "vendor 'Huawie' names no ...; did you mean ..." */
};

/*
 * Resolve p's references against m, as the model's own vendor strings
 * are (resolve.h): vendors by entity id, name or alias in any case and
 * without legal forms, then by the catalogue of makers; countries as ISO
 * 3166 codes in any case; tags, sectors, regions, sites and partners in
 * any case.  Values that resolve are rewritten to what the model calls
 * them; each that resolves to nothing is a warning in *w (free with
 * nv_free; *n of them), with the closest candidates.  Bind before
 * checking; binding again to another model of the same entities is
 * harmless.
 */
enum nv_rc nv_policy_bind(struct nv_policy *p, const struct nv_model *m,
                          struct nv_policy_warning **w, uint32_t *n,
                          struct nv_err *err) NV_WUR;

/* Whether some rule looks at exposure (so it must be computed). */
int nv_policy_needs_exposure(const struct nv_policy *p);

/* One broken rule, about one asset, flow or area. */
struct nv_violation {
    uint32_t rule;
    enum { NV_V_ASSET, NV_V_FLOW, NV_V_AREA } kind;
    uint32_t item;    /* asset or flow index */
    const char *area; /* region, or "network", for area rules */
    char why[200];
};

/* The id of what violation v of model m is about: the asset's or the
 * flow's id, or the area. */
const char *nv_violation_item(const struct nv_model *m,
                              const struct nv_violation *v);

/* What a rule's body is: deny assets, deny flows, limit a share of
 * assets per area, require a number of vendors per area. */
enum nv_rule_body {
    NV_RULE_DENY_ASSETS,
    NV_RULE_DENY_FLOWS,
    NV_RULE_LIMIT_SHARE,
    NV_RULE_REQUIRE_VENDORS
};

struct nv_rule_info {
    const char *id, *message, *source, *file;
    enum nv_severity severity;
    const char *from; /* "YYYY-MM-DD" or NULL */
    unsigned long line;
    enum nv_rule_body body;
    int per_region; /* area rules: per region, else the whole network */
    double bound;   /* limit: percent; require: vendors */
};

uint32_t nv_policy_rules(const struct nv_policy *p);
void nv_policy_rule(const struct nv_policy *p, uint32_t i,
                    struct nv_rule_info *out);

/*
 * Mark in out[a] (one entry per asset of m) whether rule i's condition
 * holds on asset a (within = 0) or, for a share rule, the condition of
 * the population the share is of (within = 1).  Asset, share and
 * `require vendors` rules only; planning uses it.
 */
enum nv_rc nv_policy_rule_assets(const struct nv_policy *p, uint32_t i,
                                 const struct nv_model *m, int within,
                                 unsigned char *out, struct nv_err *err) NV_WUR;

/*
 * Check m against every rule in force on date ("YYYY-MM-DD"); x is the
 * exposure (NULL if no rule needs it).  *v (free with nv_free) lists the
 * violations, rule by rule.
 */
enum nv_rc nv_policy_check(const struct nv_policy *p, const struct nv_model *m,
                           const struct nv_exposure *x, const char *date,
                           struct nv_violation **v, uint32_t *n,
                           struct nv_err *err) NV_WUR;

/* What a rule measured, whether it passed or not (docs/policy.md). */
enum nv_rule_status {
    NV_RULE_PASS,
    NV_RULE_FAIL,
    NV_RULE_NOT_APPLICABLE, /* nothing to check, or not yet in force */
    NV_RULE_STATUS_COUNT
};

/* "pass", "fail", "not-applicable". */
extern const char *const nv_rule_status_names[NV_RULE_STATUS_COUNT];

struct nv_rule_result {
    enum nv_rule_status status;
    double measured;  /* the figure the rule bounds: a share in percent,
                         a number of vendors, or of items that break it */
    double threshold; /* the bound it is held to */
    const char *unit; /* "%", "vendors", "assets", "flows" */
    uint32_t checked; /* assets, flows or areas looked at */
    uint32_t violations;
    char evidence[320]; /* the figures, or why not applicable */
};

/*
 * nv_policy_check, and also each rule's result: *res (free with
 * nv_free) has one entry a rule, in the policy's order.
 */
enum nv_rc nv_policy_evaluate(const struct nv_policy *p,
                              const struct nv_model *m,
                              const struct nv_exposure *x, const char *date,
                              struct nv_violation **v, uint32_t *n,
                              struct nv_rule_result **res,
                              struct nv_err *err) NV_WUR;

/* Release thresholds: the worst exposure to a high-risk or prohibited
 * group that a channel may have to carry information of class c in the
 * clear, and encrypted.  -1 when the policy says nothing for c. */
int nv_policy_tolerates(const struct nv_policy *p, enum nv_class c,
                        int encrypted);

/* Which statement set the threshold for class c ("pack uk-2020, release
 * secret at policies/uk-2020.nvp:36"; the last one read wins), or NULL
 * when none did. */
const char *nv_policy_tolerance_source(const struct nv_policy *p,
                                       enum nv_class c);

#endif
