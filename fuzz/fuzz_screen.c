/*
 * fuzz_screen.c - screening a name: the normaliser (scripts, legal forms,
 * places, numbers), the sub-queries, mended joins and splits, acronyms
 * read for their expansions, and the alignment, against a small list
 * whose names exercise each of them.
 * The list is read once; each input is one name.
 */
#include "screen/lists.h"
#include "screen/match.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char list[] =
    "id,name,aliases,country,designation,parent\n"
    "hw,Huawei Technologies Co. Ltd. (Huawei),HUAWEI; 华为技术有限公司,CN,,\n"
    "hwuk,Huawei Technologies (UK) Co. Ltd.,,GB,,hw\n"
    "mik,PJSC Mikron,ПАО «Микрон»,RU,,\n"
    "smic,Semiconductor Manufacturing International Corporation (SMIC),,CN,,\n"
    "cetc14,14th Research Institute of CETC,,CN,,\n"
    "casic31,\"CASIC 3rd Academy, 31 Research Institute\",,CN,,\n"
    "sky,Skylinks FZC,,AE,,\n"
    "pak,Mecatech (Private) Limited,,PK,,\n"
    "nec,\"NEC Engineers Private, Ltd.\",,PK,,\n"
    "iran,Iran Aircraft Industries (formerly HESA),,IR,,\n"
    "cetc,China Electronics Technology Group Corporation (CETC),,CN,,\n"
    "avic,Aviation Industry Corporation of China Ltd.,AVIC,CN,,\n"
    "cetc15,15th Research Institute of CETC,,CN,,cetc\n";

static struct nv_lists lists;
static struct nv_matcher *matcher;

/* The matcher over the list, built on the first call and kept. */
static struct nv_matcher *the_matcher(void)
{
    struct nv_err err = {0};

    if (matcher)
        return matcher;
    nv_lists_init(&lists);
    if (nv_lists_load_text(&lists, "list.csv", list, strlen(list), &err) ||
        nv_lists_link(&lists, &err) || nv_matcher_new(&lists, &matcher, &err))
        abort(); /* the list is the target's own: it must load */
    return matcher;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nv_matcher *mt = the_matcher();
    struct nv_match_hit hits[8];
    struct nv_err err = {0};
    char *name = malloc(size + 1);
    uint32_t n;

    if (!name)
        return 0;
    memcpy(name, data, size);
    name[size] = '\0'; /* a name ends at its first NUL, as a line read does */
    /* Only crashes and sanitizer reports matter, not the verdict. */
    (void)!nv_matcher_screen(mt, name, hits, 8, &n, &err);
    free(name);
    return 0;
}
