/*
 * actions.c - "What to do first" on the report's decision page.
 *
 * With a replacement plan (plan.h) the actions are its first steps: what
 * to replace in its first year, at what cost, and which rules hold once
 * it is done, then a line for each later year.  Without one (or when no
 * plan meets the rules) they are the choke points: high-risk or
 * prohibited assets that alone carry critical flows at risk, ranked by
 * the score of those flows.  The choke points are exposure/choke.h's
 * separating assets, plus the flows' own ends, which choke.h sets aside
 * by definition but which carry the flow alone just the same.
 */
#include "report/report_int.h"

#include "core/alloc.h"
#include "exposure/choke.h"
#include "exposure/score.h"

#include <math.h>
#include <string.h>

#define CHOKE_MAX 5 /* choke points listed */
#define NAMED_MAX 5 /* assets named for a plan's first year */
#define YEARS_MAX 3 /* later years of a plan, a line each */

/* An asset that alone carries flows at risk. */
struct choke {
    double score;
    uint32_t asset, flows, top; /* top: its highest-scored flow */
};

struct credit_work {
    const struct nv_model *m;
    const struct ranked *rank;
    uint32_t *pos; /* flow -> its place in rank when a high-risk or
                      prohibited group reaches it at must, else NV_NONE */
    struct nv_report_chokes *k;
};

static int hostile_asset(const struct nv_model *m, uint32_t a)
{
    uint32_t e = NV_ASSETS(m)[a].entity;

    return e != NV_NONE && nv_model_designation(m, e) >= NV_DESIG_HIGH_RISK;
}

/* Asset a alone carries flow f: count it when a is hostile and f at
 * risk; the best-ranked flow is a's top. */
static void credit(struct credit_work *w, uint32_t a, uint32_t f)
{
    struct nv_report_chokes *k = w->k;
    uint32_t i = w->pos[f];

    if (i == NV_NONE || !hostile_asset(w->m, a))
        return;
    if (!k->flows[a]++ || i < w->pos[k->top[a]])
        k->top[a] = f;
    k->score[a] += w->rank[i].score;
}

static enum nv_rc chokes_alloc(struct credit_work *w, uint32_t nflows)
{
    size_t na = (size_t)NV_COUNT(w->m, NV_T_ASSET) + 1;
    struct nv_report_chokes *k = w->k;

    w->pos = nv_malloc(((size_t)nflows + 1) * sizeof *w->pos);
    k->score = nv_calloc(na, sizeof *k->score);
    k->flows = nv_calloc(na, sizeof *k->flows);
    k->top = nv_calloc(na, sizeof *k->top);
    if (!w->pos || !k->score || !k->flows || !k->top)
        return NV_ENOMEM;
    memset(w->pos, 0xff, ((size_t)nflows + 1) * sizeof *w->pos);
    return NV_OK;
}

enum nv_rc nv_report_chokes(const struct nv_model *m, const struct ranked *rank,
                            uint32_t nrank, const struct nv_exposure *x,
                            struct nv_report_chokes *k, struct nv_err *err)
{
    struct credit_work w = {m, rank, NULL, k};
    struct nv_chokes c;
    uint32_t g;
    enum nv_rc rc;

    memset(k, 0, sizeof *k);
    rc = nv_choke_compute(m, x, &c, err);
    if (rc)
        return rc;
    rc = chokes_alloc(&w, x->nflows);
    for (uint32_t i = 0; !rc && i < nrank; i++)
        if (nv_score_hostile_level(x, rank[i].flow, &g) == NV_LEVEL_MUST)
            w.pos[rank[i].flow] = i;
    for (uint32_t f = 0; !rc && f < x->nflows; f++) {
        const struct nv_flow *fl = &NV_FLOWS(m)[f];
        credit(&w, fl->src.idx, f);
        if (fl->dst.idx != fl->src.idx)
            credit(&w, fl->dst.idx, f);
    }
    for (uint32_t i = 0; !rc && i < c.n; i++)
        for (uint32_t j = c.off[i]; j < c.off[i + 1]; j++)
            credit(&w, c.asset[i], c.flow[j]);
    nv_free(w.pos);
    nv_choke_release(&c);
    if (rc)
        nv_report_chokes_release(k);
    return rc ? nv_err_set(err, rc, "out of memory") : NV_OK;
}

void nv_report_chokes_release(struct nv_report_chokes *k)
{
    nv_free(k->score);
    nv_free(k->flows);
    nv_free(k->top);
    memset(k, 0, sizeof *k);
}

/* ------------------------------------------------------ choke points */

static void choke_item(const struct nv_rview *v, const struct choke *c)
{
    nv_report_wrap(v->out, "<li title=\"", NV_ASSETS(v->m)[c->asset].id,
                   "\">Replace the <b>");
    nv_report_asset(v->out, v->m, c->asset);
    fputs("</b>: alone it carries <span class=\"bad\">", v->out);
    nv_report_count(v->out, c->flows);
    fputs(c->flows == 1 ? " critical flow" : " critical flows", v->out);
    fputs("</span> at risk (the worst: ", v->out);
    nv_report_flow(v->out, v->m, c->top);
    fputs(").</li>\n", v->out);
}

/* The CHOKE_MAX assets carrying the highest score alone, best first. */
static uint32_t choke_best(const struct nv_model *m,
                           const struct nv_report_chokes *k, struct choke *best)
{
    uint32_t n = 0;

    for (uint32_t a = 0; a < NV_COUNT(m, NV_T_ASSET); a++) {
        uint32_t at;
        if (!k->flows[a] ||
            (n == CHOKE_MAX && k->score[a] <= best[n - 1].score))
            continue;
        at = n < CHOKE_MAX ? n++ : n - 1;
        while (at > 0 && best[at - 1].score < k->score[a]) {
            best[at] = best[at - 1];
            at--;
        }
        best[at] = (struct choke){k->score[a], a, k->flows[a], k->top[a]};
    }
    return n;
}

static enum nv_rc choke_actions(const struct nv_rview *v)
{
    struct nv_report_chokes k;
    struct choke best[CHOKE_MAX];
    struct nv_err err = {0};
    uint32_t n = 0;
    enum nv_rc rc = nv_report_chokes(v->m, v->rank, v->nrank, v->x, &k, &err);

    if (!rc)
        n = choke_best(v->m, &k, best);
    nv_report_chokes_release(&k);
    if (rc)
        return rc;
    if (!n) {
        fputs("<p>No single high-risk or prohibited asset carries a critical "
              "flow alone.</p>\n",
              v->out);
        return NV_OK;
    }
    fputs("<p>Each of these high-risk or prohibited assets is on every "
          "path of the flows counted (a choke point): that one box alone "
          "could cut them all.  Replace them first.</p>"
          "<ol class=\"actions\">\n",
          v->out);
    for (uint32_t i = 0; i < n; i++)
        choke_item(v, &best[i]);
    fputs("</ol>\n", v->out);
    return NV_OK;
}

/* -------------------------------------------------------------- plan */

static void money(FILE *out, double v)
{
    nv_report_count(out, v > 0 ? (uint64_t)llround(v) : 0);
}

/* "No high-risk vendor in the core (UK-CORE) and ..." */
static void rules_held(const struct nv_rview *v, const struct nv_plan_year *y)
{
    if (!y->nrules)
        return;
    fprintf(v->out, "  After %d, ", y->year);
    for (uint32_t i = 0; i < y->nrules; i++) {
        struct nv_rule_info ri;
        nv_policy_rule(v->r->p, y->rules[i], &ri);
        fputs(!i ? "" : i + 1 == y->nrules ? " and " : "; ", v->out);
        nv_report_wrap(v->out, "&ldquo;", ri.message, "&rdquo;");
        nv_report_wrap(v->out, " (", ri.id, ")");
    }
    fputs(y->nrules == 1 ? " holds" : " hold", v->out);
}

/* The first NAMED_MAX replacements of year y (steps from first on). */
static void named_steps(const struct nv_rview *v, uint32_t first, uint32_t n)
{
    const struct nv_plan *pl = v->r->plan;

    for (uint32_t i = 0; i < n && i < NAMED_MAX; i++) {
        fputs(!i ? ": " : i + 1 == n ? " and " : ", ", v->out);
        nv_report_wrap(v->out, "<span title=\"",
                       NV_ASSETS(v->m)[pl->step[first + i].asset].id,
                       "\">the ");
        nv_report_asset(v->out, v->m, pl->step[first + i].asset);
        fputs("</span>", v->out);
    }
    if (n > NAMED_MAX) {
        fputs(" and ", v->out);
        nv_report_count(v->out, n - NAMED_MAX);
        fputs(" more", v->out);
    }
    fputs(".", v->out);
}

/* One year of the plan: how many replacements, the cost, the first
 * year's by name, and the rules that hold after it. */
static void plan_year(const struct nv_rview *v, const struct nv_plan_year *y,
                      uint32_t first, uint32_t n, int named)
{
    fprintf(v->out, "<li>In <b>%d</b>, ", y->year);
    if (!n) {
        fputs("nothing more to replace.", v->out);
    } else {
        fputs("replace <b>", v->out);
        nv_report_count(v->out, n);
        fputs(n == 1 ? " asset</b>" : " assets</b>", v->out);
        fputs(" at a cost of <b>", v->out);
        money(v->out, y->cost);
        fputs("</b>", v->out);
    }
    if (n && named)
        named_steps(v, first, n);
    else if (n)
        fputs(".", v->out);
    rules_held(v, y);
    fprintf(v->out, "%s the risk score is then %.1f.</li>\n",
            y->nrules ? ";" : "  After it,", y->score);
}

static void plan_years(const struct nv_rview *v)
{
    const struct nv_plan *pl = v->r->plan;
    uint32_t s = 0, shown = 0;
    int named = 0; /* the first year with replacements names them */

    fputs("<ol class=\"actions\">\n", v->out);
    for (int y = 0; y <= pl->last - pl->first && shown <= YEARS_MAX; y++) {
        const struct nv_plan_year *py = &pl->year[y];
        uint32_t n = 0;
        while (s + n < pl->nstep && pl->step[s + n].year == py->year)
            n++;
        if (n || py->nrules) {
            plan_year(v, py, s, n, n && !named);
            named |= n > 0;
            shown++;
        }
        s += n;
    }
    fputs("</ol>\n", v->out);
}

/* The plan's first steps; 0 when it has none to give (no plan meets the
 * rules, or nothing needs replacing), and the choke points follow. */
static int plan_actions(const struct nv_rview *v)
{
    const struct nv_plan *pl = v->r->plan;

    if (pl->status > NV_PLAN_BOUNDED || !pl->year) {
        nv_report_wrap(v->out, "<p>No replacement plan makes every rule hold: ",
                       pl->why[0] ? pl->why : "the goal cannot be met", ".");
        fputs("  Meanwhile, the choke points:</p>\n", v->out);
        return 0;
    }
    if (!pl->nstep) {
        fputs("<p>The policy's rules need no replacement.</p>\n", v->out);
        return 0;
    }
    fputs("<p>The replacement plan (Recommended actions, below) makes "
          "every error rule of the policy hold on its date: <b>",
          v->out);
    nv_report_count(v->out, pl->nstep);
    fprintf(v->out,
            " assets</b> of high-risk or prohibited vendors from %d "
            "to %d, at a cost of <b>",
            pl->first, pl->last);
    money(v->out, pl->cost);
    fprintf(v->out,
            "</b> (the risk score is %.1f today).  Start with its "
            "first year:</p>\n",
            pl->score_before);
    plan_years(v);
    return 1;
}

enum nv_rc nv_report_actions(const struct nv_rview *v)
{
    fputs("<h3>What to do first</h3>\n", v->out);
    if (v->r->plan && v->r->p && plan_actions(v))
        return NV_OK;
    return choke_actions(v);
}
