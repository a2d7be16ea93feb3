/*
 * summary.c - the report's first page, for the people who decide: the
 * protective marking at the top and bottom of every page, the title
 * block, and an executive summary in plain sentences: which rules are
 * broken and by how much, which deadlines are coming and what is left to
 * replace, what high-risk vendors could read or cut by sector, how many
 * suppliers it takes to cut each critical flow (the vendor margin), the
 * worst risks, what may be released to partners and which release
 * decisions changed since an earlier version, and what to do first
 * (actions.c).
 */
#include "report/report_int.h"

#include "core/alloc.h"
#include "exposure/margin.h"
#include "exposure/score.h"
#include "policy/release.h"

#include <string.h>

#define WORST_MAX 3

static const char css[] =
    ".marking{position:fixed;left:0;right:0;text-align:center;"
    "font-weight:bold;letter-spacing:.08em;background:#fff;color:#b71c1c;"
    "border:0 solid #b71c1c;padding:2px;z-index:9;font-size:12px}"
    ".marking.top{top:0;border-bottom-width:2px}.marking.bottom{bottom:0;"
    "border-top-width:2px}body.marked{padding:1.6em 0}"
    ".titleblock{border-bottom:3px solid #222;margin-bottom:1em}"
    ".titleblock h1{margin:.2em 0}.titleblock p{margin:.2em 0;color:#444}"
    ".summary{max-width:1000px}.summary h3{margin:.8em 0 .3em}"
    ".summary li{margin:.25em 0}.bad{color:#b71c1c;font-weight:bold}"
    ".good{color:#2e7d32;font-weight:bold}.later{color:#ef6c00;"
    "font-weight:bold}.headline{font-size:1.25em;padding:.6em;"
    "background:#ffebee;border-left:6px solid #c62828}"
    ".headline.ok{background:#e8f5e9;border-left-color:#2e7d32}"
    ".actions li{font-size:1.05em}"
    "@media print{.summary{break-after:page;font-size:8.5pt}"
    ".headline{font-size:1.1em}.summary li{margin:.1em 0}"
    ".summary h2{margin-top:.3em}.summary h3{margin:.5em 0 .2em}"
    ".summary p{margin:.3em 0;break-after:avoid}"
    ".sitekey,.summary table{break-inside:avoid}"
    "h3{break-after:avoid}thead{display:table-header-group}"
    "@page{margin:14mm 10mm}}";

/* s as the body of a CSS string: everything but letters, digits and
 * spaces as an escape, so that no marking can end the string or the
 * style element. */
static void css_string(FILE *out, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
            (ch >= '0' && ch <= '9') || ch == ' ')
            fputc(ch, out);
        else
            fprintf(out, "\\%x ", ch);
    }
}

/* On paper the marking goes in the page's top and bottom margin boxes,
 * which every printed page has and no content can run under; the fixed
 * bands are for the screen. */
void nv_report_summary_css(const struct nv_rview *v)
{
    const char *mk = v->r->marking;

    fprintf(v->out, "<style>%s", css);
    if (mk && mk[0]) {
        static const char *const box[] = {"top-center", "bottom-center"};
        fputs("@media print{.marking{display:none}body.marked{padding:0}}"
              "@page{",
              v->out);
        for (int i = 0; i < 2; i++) {
            fprintf(v->out, "@%s{content:\"", box[i]);
            css_string(v->out, mk);
            fputs("\";color:#b71c1c;font:bold 10pt sans-serif;"
                  "letter-spacing:.08em}",
                  v->out);
        }
        fputs("}", v->out);
    }
    fputs("</style>\n", v->out);
}

void nv_report_marking(const struct nv_rview *v)
{
    const char *mk = v->r->marking;

    if (!mk || !mk[0])
        return;
    nv_report_wrap(v->out, "<div class=\"marking top\">", mk, "</div>\n");
    nv_report_wrap(v->out, "<div class=\"marking bottom\">", mk, "</div>\n");
}

/* "YYYY-MM-DD" as "1 December 2026". */
static void long_date(FILE *out, const char *d)
{
    static const char *const months[] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    int mo = d && strlen(d) == 10 ? (d[5] - '0') * 10 + (d[6] - '0') : 0;

    if (mo < 1 || mo > 12) {
        nv_report_text(out, d);
        return;
    }
    fprintf(out, "%d %s %.4s", (d[8] - '0') * 10 + (d[9] - '0'), months[mo - 1],
            d);
}

static void title_block(const struct nv_rview *v)
{
    const struct nv_report *r = v->r;

    fputs("<div class=\"titleblock\">", v->out);
    nv_report_wrap(v->out, "<h1>",
                   r->title ? r->title : "Network vetting report", "</h1>");
    if (r->organisation)
        nv_report_wrap(v->out, "<p><b>", r->organisation, "</b></p>");
    fputs("<p>", v->out);
    long_date(v->out, r->date);
    if (r->marking && r->marking[0])
        nv_report_wrap(v->out, " &middot; <b>", r->marking, "</b>");
    fputs("</p></div>\n", v->out);
}

/* ------------------------------------------------------------- the rules */

/* How many violations rule i has in v[0..n). */
static uint32_t rule_count(const struct nv_violation *v, uint32_t n, uint32_t i,
                           uint32_t *first)
{
    uint32_t k = 0;

    *first = NV_NONE;
    for (uint32_t j = 0; j < n; j++)
        if (v[j].rule == i && k++ == 0)
            *first = j;
    return k;
}

static void violation_example(const struct nv_rview *v,
                              const struct nv_violation *vi)
{
    /* The why of an asset or a flow repeats its ids; an area's says by
     * how much the share is over its cap. */
    fputs(", for example ", v->out);
    if (vi->kind == NV_V_ASSET) {
        nv_report_asset(v->out, v->m, vi->item);
    } else if (vi->kind == NV_V_FLOW) {
        nv_report_flow(v->out, v->m, vi->item);
    } else {
        nv_report_text(v->out, vi->area);
        nv_report_wrap(v->out, " (", vi->why, ")");
    }
}

static void rule_now(const struct nv_rview *v, uint32_t i,
                     const struct nv_rule_info *ri)
{
    uint32_t first, n = rule_count(v->r->v, v->r->nv, i, &first);

    nv_report_wrap(v->out, "<li><b>", ri->id, "</b> &mdash; ");
    nv_report_text(v->out, ri->message);
    if (!n) {
        fputs(": <span class=\"good\">complies</span>.</li>\n", v->out);
        return;
    }
    fputs(": <span class=\"bad\">broken ", v->out);
    if (n == 1)
        fputs("once", v->out);
    else
        nv_report_count(v->out, n);
    fputs(n == 1 ? "</span>" : " times</span>", v->out);
    violation_example(v, &v->r->v[first]);
    fputs(".</li>\n", v->out);
}

/* A rule not yet in force: what would break it on the day it starts. */
static enum nv_rc rule_later(const struct nv_rview *v, uint32_t i,
                             const struct nv_rule_info *ri)
{
    struct nv_violation *later = NULL;
    uint32_t nlater = 0, first, n;
    struct nv_err err = {0};

    if (nv_policy_check(v->r->p, v->m, v->x, ri->from, &later, &nlater, &err))
        return err.rc == NV_ENOMEM ? NV_ENOMEM : NV_OK;
    n = rule_count(later, nlater, i, &first);
    nv_report_wrap(v->out, "<li><b>", ri->id, "</b> &mdash; ");
    nv_report_text(v->out, ri->message);
    fputs(": in force from <span class=\"later\">", v->out);
    long_date(v->out, ri->from);
    fputs("</span>; ", v->out);
    if (n) {
        fputs("<span class=\"bad\">", v->out);
        nv_report_count(v->out, n);
        fputs(n == 1 ? " item</span> still breaks it"
                     : " items</span> still break it",
              v->out);
        violation_example(v, &later[first]);
    } else {
        fputs("nothing left to do", v->out);
    }
    fputs(".</li>\n", v->out);
    nv_free(later);
    return NV_OK;
}

static enum nv_rc rules_part(const struct nv_rview *v)
{
    const struct nv_policy *p = v->r->p;
    enum nv_rc rc = NV_OK;
    uint32_t broken = 0, first;

    if (!p)
        return NV_OK;
    for (uint32_t i = 0; i < nv_policy_rules(p); i++)
        broken += rule_count(v->r->v, v->r->nv, i, &first) > 0;
    fprintf(v->out, "<h3>What is wrong: %u of %u rules broken</h3><ul>\n",
            broken, nv_policy_rules(p));
    for (uint32_t i = 0; i < nv_policy_rules(p) && !rc; i++) {
        struct nv_rule_info ri;
        nv_policy_rule(p, i, &ri);
        if (ri.from && strcmp(ri.from, v->r->date) > 0)
            rc = rule_later(v, i, &ri);
        else
            rule_now(v, i, &ri);
    }
    fputs("</ul>\n", v->out);
    return rc;
}

/* ------------------------------------------------------------ how bad */

/* Per sector: flows, and those high-risk vendors can read or cut. */
struct sector {
    const char *name;
    uint32_t flows, read, cut;
};

static struct sector *sector_of(struct sector *s, uint32_t *n, const char *name)
{
    for (uint32_t i = 0; i < *n; i++)
        if (strcmp(s[i].name, name) == 0)
            return &s[i];
    s[*n].name = name;
    return &s[(*n)++];
}

static void sector_row(FILE *out, const struct sector *s)
{
    nv_report_wrap(out, "<tr><td>", s->name, "</td><td class=\"num\">");
    nv_report_count(out, s->flows);
    fprintf(out, "</td><td class=\"num%s\">", s->read ? " bad" : "");
    nv_report_count(out, s->read);
    fprintf(out, "</td><td class=\"num%s\">", s->cut ? " bad" : "");
    nv_report_count(out, s->cut);
    fputs("</td></tr>\n", out);
}

static enum nv_rc sectors_part(const struct nv_rview *v)
{
    struct sector *s = nv_calloc((size_t)v->x->nflows + 1, sizeof *s);
    uint32_t n = 0, g;

    if (!s)
        return NV_ENOMEM;
    for (uint32_t f = 0; f < v->x->nflows; f++) {
        const struct nv_flow *fl = &NV_FLOWS(v->m)[f];
        enum nv_level lv = nv_score_hostile_level(v->x, f, &g);
        struct sector *e = sector_of(s, &n, fl->sector ? fl->sector : "other");
        e->flows++;
        e->read += lv >= NV_LEVEL_ROUTED && !fl->encrypted;
        e->cut += lv == NV_LEVEL_MUST;
    }
    fputs("<h3>How bad: what high-risk or prohibited vendors could do</h3>\n"
          "<table><thead><tr><th>sector</th><th class=\"num\">critical "
          "flows</th><th class=\"num\">they could read</th><th class=\"num\">"
          "they could cut</th></tr></thead><tbody>\n",
          v->out);
    for (uint32_t i = 0; i < n && i < NV_REPORT_TABLE_MAX; i++)
        sector_row(v->out, &s[i]);
    fputs("</tbody></table>\n<p>Read: their equipment is on the flow's "
          "route and the flow is not encrypted end to end.  Cut: their "
          "equipment is on every path, so switching it off stops the "
          "flow.</p>\n",
          v->out);
    nv_free(s);
    return NV_OK;
}

/* One clause of the margin sentence, when n flows have it: what[0]
 * when n is 1, else what[1]; bad: in red. */
static void margin_clause(FILE *out, uint32_t n, int *first,
                          const char *const what[2], int bad)
{
    if (!n)
        return;
    fputs(*first ? " " : "; ", out);
    fputs(bad ? "<span class=\"bad\">" : "", out);
    nv_report_count(out, n);
    fputs(bad ? "</span>" : "", out);
    fputs(what[n != 1], out);
    *first = 0;
}

/* How many suppliers it takes to cut each critical flow (margin.h). */
static enum nv_rc margin_part(const struct nv_rview *v)
{
    struct nv_margin *k = nv_calloc((size_t)v->x->nflows + 1, sizeof *k);
    static const int order[] = {1, 2, 3, NV_MARGIN_MAX + 1, 0};
    static const char *const clause[][2] = {
        {" has a margin of 1: a single supplier, trusted or not, can cut it, "
         "and read it unless it is encrypted end to end",
         " have a margin of 1: a single supplier, trusted or not, can cut "
         "them, and read them unless they are encrypted end to end"},
        {" has a margin of 2: two suppliers together can",
         " have a margin of 2: two suppliers together can"},
        {" has a margin of 3", " have a margin of 3"},
        {" takes more than three suppliers together",
         " take more than three suppliers together"},
        {" is not connected at all", " are not connected at all"}};
    uint32_t n[NV_MARGIN_MAX + 2] = {0};
    struct nv_err err = {0};
    enum nv_rc rc;
    int first = 1;

    if (!k)
        return NV_ENOMEM;
    nv_err_clear(&err);
    rc = nv_margin_compute(v->m, v->x, NV_GROUP_VENDOR, 0, k, &err);
    for (uint32_t f = 0; !rc && f < v->x->nflows; f++)
        n[k[f].k]++;
    nv_free(k);
    if (rc == NV_ENOMEM)
        return rc;
    fputs("<p id=\"margin\"><b>Vendor margin:</b>", v->out);
    if (!rc && v->x->nflows) {
        fputs(" of the ", v->out);
        nv_report_count(v->out, v->x->nflows);
        fputs(" critical flows,", v->out);
    }
    if (rc) {
        nv_report_wrap(v->out, " not worked out (", err.msg, ").</p>\n");
        return NV_OK;
    }
    for (int i = 0; i < 5; i++)
        margin_clause(v->out, n[order[i]], &first, clause[i], i == 0);
    fputs(first ? " no critical flow.</p>\n" : ".</p>\n", v->out);
    fputs("<p>The margin is the fewest suppliers (a vendor with its "
          "subsidiaries) whose equipment together lies on every path of a "
          "flow, the equipment at its two ends aside.</p>\n",
          v->out);
    return NV_OK;
}

static void worst_part(const struct nv_rview *v)
{
    if (!v->nrank)
        return;
    fputs("<p><b>The worst risks:</b></p><ol>\n", v->out);
    for (uint32_t i = 0; i < v->nrank && i < WORST_MAX; i++) {
        const struct ranked *k = &v->rank[i];
        const struct nv_flow *fl = &NV_FLOWS(v->m)[k->flow];
        nv_report_wrap(v->out, "<li title=\"", fl->id, "\"><b>");
        nv_report_flow(v->out, v->m, k->flow);
        fprintf(v->out,
                "</b> (%s, %sencrypted): ", nv_class_names[fl->classification],
                fl->encrypted ? "" : "not ");
        nv_report_group(v->out, v->m, v->x, k->group);
        fprintf(v->out, " is on %s.</li>\n",
                nv_exposure_level(v->x, k->flow, k->group) == NV_LEVEL_MUST
                    ? "every path"
                    : "its route");
    }
    fputs("</ol>\n", v->out);
}

/* ----------------------------------------------------------- releases */

/* " confidential, secret and top-secret may not be sent over any of
 * its 9 channels;" for classes lo..hi denied on n of all channels. */
static void denied_clause(FILE *out, int lo, int hi, uint32_t n, uint32_t all)
{
    for (int c = hi; c >= lo; c--)
        fprintf(out, "%s%s",
                c == hi   ? " "
                : c == lo ? " and "
                          : ", ",
                nv_class_names[c]);
    fputs(" may not be sent over <span class=\"bad\">", out);
    if (n == all)
        fprintf(out, n == 1 ? "its one channel" : "any of its %u channels",
                all);
    else
        fprintf(out, "%u of its %u channels", n, all);
    fputs("</span>;", out);
}

static void partner_release(const struct nv_rview *v,
                            const struct nv_partner *pa)
{
    uint32_t denied[NV_CLASS_COUNT] = {0};

    for (uint32_t k = 0; k < pa->channels.n; k++)
        for (int c = 0; c < NV_CLASS_COUNT; c++) {
            struct nv_release_cell cell;
            nv_release_decide(v->m, v->x, v->r->p, pa->channels.v[k].idx,
                              (enum nv_class)c, &cell);
            denied[c] += cell.d == NV_RELEASE_DENY;
        }
    nv_report_wrap(v->out, "<li title=\"", pa->id, "\"><b>");
    nv_report_text(v->out, pa->name ? pa->name : pa->id);
    fputs("</b>:", v->out);
    for (int c = NV_CLASS_COUNT - 1; c >= 0; c--) {
        int lo = c;
        if (!denied[c])
            continue;
        /* Classes denied on as many channels share a clause. */
        while (lo > 0 && denied[lo - 1] == denied[c])
            lo--;
        denied_clause(v->out, lo, c, denied[c], pa->channels.n);
        c = lo;
    }
    fputs(" everything else may be (encrypted where the matrix says).</li>\n",
          v->out);
}

static void release_part(const struct nv_rview *v)
{
    if (!v->r->p || !NV_COUNT(v->m, NV_T_PARTNER))
        return;
    fputs("<p><b>Sharing with partners:</b></p><ul>\n", v->out);
    for (uint32_t p = 0;
         p < NV_COUNT(v->m, NV_T_PARTNER) && p < NV_REPORT_TABLE_MAX; p++)
        partner_release(v, &NV_PARTNERS(v->m)[p]);
    fputs("</ul>\n", v->out);
}

/* ------------------------------------------------ release decisions */

#define CHANGES_MAX 10 /* changed decisions listed, classes merged */

static const char *const decided[NV_RELEASE_COUNT] = {
    "allowed", "allowed only if encrypted", "denied"};

/* Where the worst high-risk or prohibited group now is on channel f,
 * in words: the reason for its decision. */
static void change_reason(const struct nv_rview *v, uint32_t f)
{
    static const char *const where[NV_LEVEL_COUNT] = {
        "", "on some path of the channel",
        "on its route when one link or box fails", "on its route",
        "on every path of the channel"};
    uint32_t g;
    enum nv_level lv = nv_score_hostile_level(v->x, f, &g);

    if (g == NV_NONE || lv == NV_LEVEL_NONE) {
        fputs("no high-risk or prohibited vendor is on the channel now",
              v->out);
        return;
    }
    nv_report_group(v->out, v->m, v->x, g);
    fprintf(v->out, " is now %s", where[lv]);
    if (NV_FLOWS(v->m)[f].encrypted)
        fputs(" (the channel is encrypted end to end)", v->out);
}

/* Whether two flows read the same: one sector, the same two ends. */
static int looks_same(const struct nv_model *m, uint32_t f, uint32_t g)
{
    const struct nv_flow *a = &NV_FLOWS(m)[f], *b = &NV_FLOWS(m)[g];
    uint32_t sa = nv_report_end_site(m, &a->src), ta, sb, tb;

    if (f == g)
        return 1;
    ta = nv_report_end_site(m, &a->dst);
    sb = nv_report_end_site(m, &b->src);
    tb = nv_report_end_site(m, &b->dst);
    if (sa == NV_NONE || ta == NV_NONE)
        return 0; /* named by its assets: told apart */
    return sa == sb && ta == tb &&
           strcmp(a->sector ? a->sector : "", b->sector ? b->sector : "") == 0;
}

/* Whether change b reads like change a but for its classification or
 * its channel (a twin between the same sites). */
static int same_change(const struct nv_model *m,
                       const struct nv_report_change *a,
                       const struct nv_report_change *b)
{
    return a->partner == b->partner && a->from == b->from && a->to == b->to &&
           looks_same(m, a->flow, b->flow);
}

/* The classes of changes ch[0..n), highest first: "secret and top-secret",
 * and the channel ids for the tooltip. */
static uint32_t change_classes(const struct nv_rview *v,
                               const struct nv_report_change *ch, uint32_t n)
{
    unsigned mask = 0, k = 0, nclass = 0, channels = 1;

    for (uint32_t i = 0; i < n; i++) {
        mask |= 1u << ch[i].c;
        channels += i > 0 && ch[i].flow != ch[i - 1].flow;
    }
    for (int c = NV_CLASS_COUNT - 1; c >= 0; c--)
        nclass += mask >> c & 1;
    for (int c = NV_CLASS_COUNT - 1; c >= 0; c--)
        if (mask >> c & 1)
            fprintf(v->out, "%s<b>%s</b>",
                    !k++          ? ""
                    : k == nclass ? " and "
                                  : ", ",
                    nv_class_names[c]);
    return channels;
}

/* One change, with those that read like it merged in (other classes,
 * twin channels); returns how many it took. */
static uint32_t change_item(const struct nv_rview *v, uint32_t i)
{
    const struct nv_report_change *ch = v->r->changes + i;
    const struct nv_partner *pa = &NV_PARTNERS(v->m)[ch->partner];
    struct nv_release_cell cell;
    uint32_t n = 1, channels;

    while (i + n < v->r->nchanges && same_change(v->m, ch, &ch[n]))
        n++;
    nv_release_decide(v->m, v->x, v->r->p, ch->flow, ch->c, &cell);
    nv_report_wrap(v->out, "<li title=\"", NV_FLOWS(v->m)[ch->flow].id, "");
    nv_report_wrap(v->out, ": ", cell.why, "\">");
    channels = change_classes(v, ch, n);
    nv_report_wrap(v->out, " to <b>", pa->name ? pa->name : pa->id,
                   "</b> over ");
    if (channels > 1)
        fprintf(v->out, "%u channels, ", channels);
    nv_report_flow(v->out, v->m, ch->flow);
    fprintf(v->out, ": was %s, now <span class=\"%s\">%s</span>, because ",
            decided[ch->from], ch->to > ch->from ? "bad" : "good",
            decided[ch->to]);
    change_reason(v, ch->flow);
    fputs(".</li>\n", v->out);
    return n;
}

/* The release decisions that changed since the baseline, or one
 * sentence saying that there is none to compare with. */
static void changes_part(const struct nv_rview *v)
{
    const struct nv_report *r = v->r;
    uint32_t i = 0, shown = 0;

    if (!r->p || !NV_COUNT(v->m, NV_T_PARTNER))
        return;
    fputs("<p id=\"changes\"><b>What changed:</b> ", v->out);
    if (!r->baseline) {
        fputs("no earlier version of the network was given to compare "
              "with, so this report cannot say which release decisions "
              "changed.</p>\n",
              v->out);
        return;
    }
    nv_report_wrap(v->out, "compared with ", r->baseline, ", ");
    if (!r->nchanges) {
        fputs("no release decision changed.</p>\n", v->out);
        return;
    }
    nv_report_count(v->out, r->nchanges);
    fputs(r->nchanges == 1 ? " release decision changed:"
                           : " release decisions changed:",
          v->out);
    fputs("</p><ul>\n", v->out);
    for (; i < r->nchanges && shown < CHANGES_MAX; shown++)
        i += change_item(v, i);
    fputs("</ul>\n", v->out);
    if (i < r->nchanges) {
        fputs("<p>", v->out);
        nv_report_count(v->out, r->nchanges - i);
        fputs(" more are not shown; <code>netvet diff</code> of the two "
              "versions with the same policy lists them all.</p>\n",
              v->out);
    }
}

/* ---------------------------------------------------------- the page */

static void headline(const struct nv_rview *v)
{
    uint32_t read = 0, cut = 0, g, errors = 0;

    for (uint32_t f = 0; f < v->x->nflows; f++) {
        enum nv_level lv = nv_score_hostile_level(v->x, f, &g);
        read += lv >= NV_LEVEL_ROUTED && !NV_FLOWS(v->m)[f].encrypted;
        cut += lv == NV_LEVEL_MUST;
    }
    for (uint32_t i = 0; i < v->r->nv; i++) {
        struct nv_rule_info ri;
        nv_policy_rule(v->r->p, v->r->v[i].rule, &ri);
        errors += ri.severity == NV_SEV_ERROR;
    }
    fprintf(v->out,
            "<p class=\"headline%s\">High-risk or prohibited vendors "
            "could <b>read</b> ",
            read || cut || errors ? "" : " ok");
    nv_report_count(v->out, read);
    fputs(" and <b>cut</b> ", v->out);
    nv_report_count(v->out, cut);
    fputs(" of the network's ", v->out);
    nv_report_count(v->out, v->x->nflows);
    fputs(" critical flows", v->out);
    if (v->r->p) {
        fputs("; the policy is broken ", v->out);
        nv_report_count(v->out, errors);
        fputs(errors == 1 ? " time" : " times", v->out);
    }
    fputs(".</p>\n", v->out);
}

enum nv_rc nv_report_summary(const struct nv_rview *v)
{
    enum nv_rc rc;

    title_block(v);
    fputs("<section class=\"summary\" id=\"summary\"><h2>Summary</h2>\n",
          v->out);
    headline(v);
    rc = rules_part(v);
    if (!rc)
        rc = nv_report_actions(v);
    if (!rc)
        rc = sectors_part(v);
    if (!rc)
        rc = margin_part(v);
    if (!rc) {
        worst_part(v);
        release_part(v);
        changes_part(v);
    }
    fputs("</section>\n", v->out);
    return rc;
}
