/*
 * release.c - release decisions for partner channels.
 */
#include "policy/release.h"

#include "exposure/score.h"

#include <stdio.h>
#include <string.h>

const char *const nv_release_names[NV_RELEASE_COUNT] = {
    "allow", "allow-if-encrypted", "deny"};

void nv_release_decide(const struct nv_model *m, const struct nv_exposure *x,
                       const struct nv_policy *p, uint32_t f, enum nv_class c,
                       struct nv_release_cell *out)
{
    uint32_t g;
    enum nv_level worst = nv_score_hostile_level(x, f, &g);
    int clear = nv_policy_tolerates(p, c, 0),
        enc = nv_policy_tolerates(p, c, 1);
    const char *by = g == NV_NONE ? "no high-risk group" : x->groups.v[g].id;

    if (!x->connected[f]) {
        out->d = NV_RELEASE_DENY;
        snprintf(out->why, sizeof out->why, "the channel is not connected");
        return;
    }
    if (clear < 0) {
        out->d = NV_RELEASE_DENY;
        snprintf(out->why, sizeof out->why,
                 "no pack sets a release threshold for %s", nv_class_names[c]);
        return;
    }
    out->d = (int)worst <= clear ? NV_RELEASE_ALLOW
             : (int)worst <= enc
                 ? (NV_FLOWS(m)[f].encrypted ? NV_RELEASE_ALLOW
                                             : NV_RELEASE_IF_ENCRYPTED)
                 : NV_RELEASE_DENY;
    snprintf(out->why, sizeof out->why,
             "%s%s%s; tolerated %s, encrypted %s%s (%s)", by,
             worst ? " at " : "", worst ? nv_level_names[worst] : "",
             nv_level_names[clear], nv_level_names[enc],
             NV_FLOWS(m)[f].encrypted ? "; channel encrypted end to end" : "",
             nv_policy_tolerance_source(p, c));
}

void nv_release_name_assets(struct nv_culprits *cf, uint32_t f,
                            struct nv_release_cell *cell)
{
    size_t len = strlen(cell->why);
    struct nv_err err = {0};
    uint32_t g;

    if (nv_score_hostile_level(cf->x, f, &g) == NV_LEVEL_NONE ||
        nv_culprits_find(cf, f, g, &err) || !cf->nassets)
        return;
    for (uint32_t i = 0; i < cf->nassets && len + 1 < sizeof cell->why; i++) {
        int n = snprintf(cell->why + len, sizeof cell->why - len, "%s%s",
                         i ? ", " : "; decided by ",
                         NV_ASSETS(cf->m)[cf->assets[i]].id);
        len += n > 0 ? (size_t)n : 0;
    }
    if (len >= sizeof cell->why) /* cut short: say so */
        memcpy(cell->why + sizeof cell->why - 4, "...", 4);
}
