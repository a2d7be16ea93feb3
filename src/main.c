/*
 * main.c - netvet's command table: one line per subcommand.
 */
#include "cmd/cli.h"
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>

struct nv_cmd {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct nv_cmd commands[] = {
    {"assess", cmd_assess, "who can intercept or cut which critical flow"},
    {"check", cmd_check, "check a network against policy packs; risk score"},
    {"concentration", cmd_concentration,
     "vendor shares, single-vendor areas, rip-and-replace"},
    {"import", cmd_import, "build a model from NetBox or Nautobot"},
    {"inspect", cmd_inspect, "load and check a model; summarise it"},
    {"keygen", cmd_keygen, "create an Ed25519 key pair for signing evidence"},
    {"log", cmd_log, "append to, show, prove and verify the evidence log"},
    {"manifest", cmd_manifest, "record and sign what an evaluated build holds"},
    {"merge", cmd_merge, "write several model files as one native model"},
    {"release", cmd_release, "what may still be shared with each partner"},
    {"report", cmd_report, "write a self-contained HTML report: map, charts"},
    {"screen", cmd_screen, "screen names against restricted-party lists"},
    {"synth", cmd_synth, "generate a realistic national network model"},
    {"update", cmd_update, "check a signed update before it is installed"},
    {"verify", cmd_verify, "compare an image with a signed manifest"},
    {"version", cmd_version, "print the version"},
    {"wargame", cmd_wargame, "what a hostile supplier could read or cut"},
};

static void usage(FILE *out)
{
    fputs("usage: netvet COMMAND [OPTIONS] [ARGS]\n\n"
          "netvet vets telecom and critical-infrastructure networks for\n"
          "equipment from untrusted vendors.\n\ncommands:\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'netvet COMMAND --help' explains a command, with examples.\n",
          out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return NV_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return NV_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "netvet: '%s' is not a command (see 'netvet --help')\n",
            argv[1]);
    return NV_EXIT_USAGE;
}
