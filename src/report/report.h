/*
 * report.h - one self-contained HTML report: a map of the sites with the
 * critical flows, vendor shares, the risk score, and sortable tables of
 * flows at risk, policy violations and release decisions.  Nothing is
 * loaded from the network: styles, script and pictures (SVG) are inline,
 * and a print stylesheet makes the same file a clean PDF.  docs/report.md
 * says what each section shows.
 */
#ifndef NV_REPORT_H
#define NV_REPORT_H

#include "exposure/exposure.h"
#include "plan/plan.h"
#include "policy/policy.h"
#include "policy/release.h"

#include <stdio.h>

/* One snapshot of a network's history (store.h, posture.h): a point of
 * the report's posture chart. */
struct nv_report_point {
    const char *time, *id, *message;
    uint32_t flows[NV_LEVEL_COUNT]; /* by worst hostile level */
    double score;
    uint32_t errors;
    int64_t one_vendor; /* flows one vendor can cut (vendor margin 1);
                           -1: margins not worked out */
};

/* A release decision that changed since an earlier version of the
 * network (store/findings.h finds them): partner's channel flow, at
 * classification c, was from and is to. */
struct nv_report_change {
    uint32_t partner, flow; /* in the report's model */
    enum nv_class c;
    enum nv_release from, to;
};

/* What goes into a report; everything is borrowed. */
struct nv_report {
    const struct nv_model *m; /* finished */
    const struct nv_exposure *x;
    const struct nv_policy *p;    /* NULL: no violations, no release matrix */
    const struct nv_violation *v; /* the violations of p on date */
    uint32_t nv;
    const char *date; /* "YYYY-MM-DD" the policy was checked for */
    uint32_t group;   /* a group of x whose blast radius is shown, or
                         NV_NONE */
    const struct nv_report_point *history; /* oldest first; NULL: none */
    uint32_t nhistory;
    /* The first page: a title (NULL: a plain one), who the report is
     * for, and a protective marking printed at the top and bottom of
     * every page (NULL or "": none). */
    const char *title, *organisation, *marking;
    const struct nv_plan *plan; /* recommended actions (plan.h), or NULL */
    /* The earlier version the release decisions are compared with, by
     * the same policy on the same date: its name for the reader (NULL:
     * none was given, and the summary says so), and the decisions that
     * changed, by partner, channel and classification. */
    const char *baseline;
    const struct nv_report_change *changes;
    uint32_t nchanges;
};

/*
 * Write the report to out.  Every string of the model and the policy is
 * escaped.  NV_ENOMEM when the working memory cannot be had, NV_EIO when
 * out reports a write error; what was written by then is incomplete.
 */
enum nv_rc nv_report_html(const struct nv_report *r, FILE *out,
                          struct nv_err *err) NV_WUR;

#endif
