/*
 * cmd.h - the subcommands.  Each lives in src/cmd/<name>.c, owns its
 * option table and usage text, and returns an enum nv_exit.
 */
#ifndef NV_CMD_H
#define NV_CMD_H

int cmd_assess(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_concentration(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_manifest(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_save(int argc, char **argv);
int cmd_release(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_screen(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_store(int argc, char **argv);
int cmd_synth(int argc, char **argv);
int cmd_update(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_wargame(int argc, char **argv);

#endif
