/*
 * version.c - `netvet version`: which netvet and which libraries.
 */
#include "cmd/cli.h"
#include "cmd/cmd.h"
#include "core/version.h"

#include <stdio.h>

static const struct nv_cmd_spec spec = {"version",
                                        "",
                                        "Print the version of netvet,\n"
                                        "for bug reports and evidence records.",
                                        "  netvet version\n",
                                        NULL,
                                        0};

int cmd_version(int argc, char **argv)
{
    struct nv_strlist args = {0};
    int rc = nv_cli_parse(&spec, argc, argv, &args);

    if (rc == NV_EXIT_OK && args.n)
        rc = nv_cli_usage_error(&spec, "takes no arguments");
    nv_strlist_release(&args);
    if (rc)
        return rc < 0 ? NV_EXIT_OK : rc;
    printf("netvet %s\n", NV_VERSION);
    return NV_EXIT_OK;
}
