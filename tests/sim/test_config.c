/* test_config.c - Check tests of the configuration reader: the key table,
 * every error path of INI files and --set, and the override rules. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "test_util.h"

static dl_config c;
static char err[1024];

static void setup(void) { cfg_defaults(&c); err[0] = 0; }

/* Loads text as a config file; returns cfg_load_file's result. */
static int load_text(const char *text)
{
    const char *path = test_write_temp(text);
    ck_assert_ptr_nonnull(path);
    return cfg_load_file(&c, path, err, sizeof err);
}

#define ck_assert_err_has(s) ck_assert_msg(strstr(err, (s)) != NULL, "error '%s' lacks '%s'", err, (s))

/* From the defaults, loading text fails with an error that has `expected`. */
#define ck_assert_load_fails(text, expected)   \
    do {                                       \
        setup();                               \
        ck_assert_int_eq(load_text(text), -1); \
        ck_assert_err_has(expected);           \
    } while (0)

START_TEST(table_defaults_parse_and_sections_exist)
{
    size_t n, ns;
    const cfg_key *k = cfg_keys(&n);
    const char *const *s = cfg_sections(&ns);
    ck_assert_uint_eq(ns, 11);
    for (size_t i = 0; i < n; i++) {
        dl_config t;
        cfg_defaults(&t);
        ck_assert_msg(cfg_set(&t, k[i].section, k[i].key, k[i].def, "table", err, sizeof err) == 0,
                      "default of %s.%s: %s", k[i].section, k[i].key, err);
        ck_assert_msg(k[i].help && strlen(k[i].help) > 10, "%s.%s has no meaning", k[i].section, k[i].key);
        int known = 0;
        for (size_t j = 0; j < ns; j++) known |= strcmp(s[j], k[i].section) == 0;
        ck_assert_msg(known, "%s.%s: section not listed", k[i].section, k[i].key);
        for (size_t j = 0; j < i; j++)
            ck_assert_msg(strcmp(k[i].section, k[j].section) || strcmp(k[i].key, k[j].key),
                          "%s.%s twice in the table", k[i].section, k[i].key);
    }
    ck_assert_int_eq(c.chip.width, 6);
    ck_assert_int_eq(c.chip.height, 6);
    ck_assert_int_eq(c.chip.clock_mhz, 1200);
    ck_assert_int_eq(c.mesh.order, CFG_ORDER_XY);
    ck_assert_int_eq(c.core.timing, 1);
}
END_TEST

START_TEST(file_sets_every_type)
{
    ck_assert_int_eq(load_text("; comment\n[chip]\nname = tiny\nwidth = 2\n"
                               "[core]\ntiming = off\nquantum = 0x100\n"
                               "[mesh]\norder = yx\n[port]\nrate_gbps = 2.5\n"), 0);
    ck_assert_str_eq(c.chip.name, "tiny");
    ck_assert_int_eq(c.chip.width, 2);
    ck_assert_int_eq(c.core.timing, 0);
    ck_assert_int_eq(c.core.quantum, 256);
    ck_assert_int_eq(c.mesh.order, CFG_ORDER_YX);
    ck_assert_double_eq(c.port.rate_gbps, 2.5);
    ck_assert_int_eq(c.chip.height, 6); /* untouched keys keep defaults */
}
END_TEST

START_TEST(missing_file)
{
    ck_assert_int_eq(cfg_load_file(&c, "/nonexistent/x.ini", err, sizeof err), -1);
    ck_assert_err_has("/nonexistent/x.ini");
    ck_assert_err_has("cannot open");
}
END_TEST

START_TEST(unknown_section_suggests)
{
    ck_assert_load_fails("[chip]\nwidth = 2\n[meshh]\norder = xy\n", ":3:");
    ck_assert_err_has("unknown section [meshh]");
    ck_assert_err_has("did you mean [mesh]?");
}
END_TEST

START_TEST(unknown_empty_section)
{
    ck_assert_load_fails("[chip]\nwidth = 2\n[deploymnt]\n",
                         ":3: unknown section [deploymnt]; did you mean [deployment]?");
}
END_TEST

START_TEST(unknown_key_suggests)
{
    ck_assert_load_fails("[mesh]\n\nhop_latncy = 2\n", ":3:");
    ck_assert_err_has("unknown key 'hop_latncy'");
    ck_assert_err_has("did you mean mesh.hop_latency?");
}
END_TEST

START_TEST(key_in_wrong_section_suggests_other_section)
{
    ck_assert_load_fails("[chip]\ntiming = on\n", "did you mean core.timing?");
}
END_TEST

START_TEST(wrong_type_int)
{
    ck_assert_load_fails("[chip]\nwidth = six\n", ":2:");
    ck_assert_err_has("chip.width");
    ck_assert_err_has("expected an integer");
}
END_TEST

START_TEST(wrong_type_bool_enum_double)
{
    ck_assert_load_fails("[core]\ntiming = maybe\n", "expected on or off");
    ck_assert_load_fails("[mesh]\norder = zx\n", "expected one of xy|yx");
    ck_assert_load_fails("[port]\nrate_gbps = fast\n", "expected a number");
}
END_TEST

START_TEST(out_of_range)
{
    ck_assert_load_fails("[chip]\nwidth = 40\n", "out of range");
    ck_assert_err_has("1 to 16");
    ck_assert_load_fails("[port]\nrate_gbps = 0\n", "out of range");
}
END_TEST

START_TEST(syntax_error_has_line)
{
    ck_assert_load_fails("[chip]\nwidth = 2\nthis line has no equals sign\n", ":3: syntax error");
}
END_TEST

/* The first bad line is reported, whether libinih or a key found it. */
START_TEST(first_error_wins)
{
    ck_assert_load_fails("[chip]\nthis is junk\nwidth = forty\n", ":2: syntax error");
    ck_assert_load_fails("[chip]\nwidth = forty\nthis is junk\n",
                         ":2: chip.width = 'forty': expected an integer");
}
END_TEST

START_TEST(key_outside_section)
{
    ck_assert_load_fails("width = 2\n", ":1:");
    ck_assert_err_has("outside any section");
}
END_TEST

START_TEST(duplicate_key)
{
    ck_assert_load_fails("[chip]\nwidth = 2\nwidth = 3\n", ":3:");
    ck_assert_err_has("set twice");
}
END_TEST

START_TEST(string_too_long)
{
    char text[512];
    snprintf(text, sizeof text, "chip.name=%0300d", 0);
    ck_assert_int_eq(cfg_set_arg(&c, text, err, sizeof err), -1);
    ck_assert_err_has("at most 255 characters");
}
END_TEST

/* A string value may have 255 characters in a file as on the command line;
 * 256 are refused naming file, line and key. */
START_TEST(string_value_boundary_in_file)
{
    char text[2 * CFG_LINE_MAX];
    snprintf(text, sizeof text, "[chip]\nname = %0255d   ; a comment\nwidth = 2\n", 7);
    ck_assert_msg(load_text(text) == 0, "255 characters refused: %s", err);
    ck_assert_uint_eq(strlen(c.chip.name), 255);
    ck_assert_int_eq(c.chip.name[254], '7');
    ck_assert_int_eq(c.chip.width, 2);
    snprintf(text, sizeof text, "[chip]\nname = %0256d\n", 7);
    ck_assert_load_fails(text, ":2: chip.name: expected a string of at most 255 characters");
}
END_TEST

/* Lines of up to CFG_LINE_MAX characters (without the line end, \n or
 * \r\n) are read whole; a longer one is an error naming its line. */
START_TEST(line_length_boundary)
{
    static char text[4 * CFG_LINE_MAX];
    char comment[CFG_LINE_MAX + 2];
    memset(comment, 'c', sizeof comment);
    comment[0] = ';';
    comment[CFG_LINE_MAX] = 0;
    snprintf(text, sizeof text, "[chip]\r\n%s\r\nwidth = 3\n", comment);
    ck_assert_msg(load_text(text) == 0, "a line of %d characters refused: %s", CFG_LINE_MAX, err);
    ck_assert_int_eq(c.chip.width, 3);
    comment[CFG_LINE_MAX] = 'c';
    comment[CFG_LINE_MAX + 1] = 0;
    snprintf(text, sizeof text, "[chip]\n%s\nwidth = 3\n", comment);
    ck_assert_load_fails(text, ":2: line of 1025 characters: expected at most 1024");
}
END_TEST

START_TEST(directory_is_refused)
{
    const char *dir = test_temp_dir();
    ck_assert_ptr_nonnull(dir);
    ck_assert_int_eq(cfg_load_file(&c, dir, err, sizeof err), -1);
    ck_assert_err_has(dir);
    ck_assert_err_has("is a directory");
    rmdir(dir);
}
END_TEST

START_TEST(endless_file_is_refused)
{
    ck_assert_int_eq(cfg_load_file(&c, "/dev/zero", err, sizeof err), -1);
    ck_assert_err_has("/dev/zero: more than 1048576 bytes");
}
END_TEST

START_TEST(nul_byte_is_refused)
{
    static const char text[] = "[chip]\nwidth = 2\nname = ti\0ny\n";
    const char *path = test_write_temp_bytes(text, sizeof text - 1);
    ck_assert_ptr_nonnull(path);
    ck_assert_int_eq(cfg_load_file(&c, path, err, sizeof err), -1);
    ck_assert_err_has(path);
    ck_assert_err_has(":3: NUL byte at column 10");
}
END_TEST

/* Geometries no TLB can have are refused before the run, naming both keys,
 * whether or not a tile ever uses the TLB. */
START_TEST(check_refuses_impossible_tlb)
{
    ck_assert_int_eq(cfg_check(&c, err, sizeof err), 0);
    ck_assert_int_eq(cfg_set_arg(&c, "mem.dtlb_entries=33", err, sizeof err), 0);
    ck_assert_int_eq(cfg_check(&c, err, sizeof err), -1);
    ck_assert_err_has("mem.dtlb_entries = 33 is not a multiple of mem.dtlb_assoc = 32");
    setup();
    ck_assert_int_eq(cfg_set_arg(&c, "mem.itlb_entries=24", err, sizeof err), 0);
    ck_assert_int_eq(cfg_set_arg(&c, "mem.itlb_assoc=8", err, sizeof err), 0);
    ck_assert_int_eq(cfg_check(&c, err, sizeof err), -1);
    ck_assert_err_has("mem.itlb_entries = 24, mem.itlb_assoc = 8: 3 sets is not a power of two");
    ck_assert_int_eq(cfg_set_arg(&c, "mem.itlb_entries=32", err, sizeof err), 0);
    ck_assert_int_eq(cfg_check(&c, err, sizeof err), 0); /* 4 sets of 8 */
}
END_TEST

START_TEST(check_refuses_hardwall_outside_mesh)
{
    ck_assert_int_eq(cfg_set_arg(&c, "chip.width=4", err, sizeof err), 0);
    ck_assert_int_eq(cfg_check(&c, err, sizeof err), 0); /* hardwall off: not checked */
    ck_assert_int_eq(cfg_set_arg(&c, "mesh.hardwall=on", err, sizeof err), 0);
    ck_assert_int_eq(cfg_check(&c, err, sizeof err), -1);
    ck_assert_err_has("mesh.hardwall_x0 = 0, mesh.hardwall_x1 = 5: expected hardwall_x0 <= "
                      "hardwall_x1 < chip.width = 4");
    ck_assert_int_eq(cfg_set_arg(&c, "mesh.hardwall_x1=3", err, sizeof err), 0);
    ck_assert_int_eq(cfg_check(&c, err, sizeof err), 0);
    ck_assert_int_eq(cfg_set_arg(&c, "mesh.hardwall_y0=4", err, sizeof err), 0);
    ck_assert_int_eq(cfg_set_arg(&c, "mesh.hardwall_y1=3", err, sizeof err), 0);
    ck_assert_int_eq(cfg_check(&c, err, sizeof err), -1);
    ck_assert_err_has("mesh.hardwall_y0 = 4, mesh.hardwall_y1 = 3");
}
END_TEST

/* deployment.stack_set names the stack tiles: a list of tiles and ranges on
 * the chip, each once, as many as deployment.stack_tiles; net.address and
 * net.mac are the chip's address, parsed or refused by name. */
START_TEST(check_stack_set_and_net)
{
    uint64_t set[4], mac;
    uint32_t ip, mask;
    ck_assert_int_eq(cfg_stack_set(&c, set, err, sizeof err), 8);   /* default: tiles 0-7 */
    ck_assert_uint_eq(set[0], 0xff);
    ck_assert_int_eq(cfg_set_arg(&c, "deployment.stack_tiles=4", err, sizeof err), 0);
    ck_assert_int_eq(cfg_set_arg(&c, "deployment.stack_set=0,5,30-31", err, sizeof err), 0);
    ck_assert_int_eq(cfg_stack_set(&c, set, err, sizeof err), 4);
    ck_assert_uint_eq(set[0], 1ULL | 1ULL << 5 | 1ULL << 30 | 1ULL << 31);
    ck_assert_int_eq(cfg_check(&c, err, sizeof err), 0);
    static const struct { const char *set, *msg; } bad[] = {
        { "0,5,30", "names 3 tile(s) but deployment.stack_tiles = 4" },
        { "0,5,30,36", "36-36: expected tiles from 0 to 35" },
        { "0,5,5,6", "tile 5 is named twice" },
        { "0,5,7-6", "7-6: expected tiles from 0 to 35, low to high" },
        { "0,5,x,6", "expected a list of tile numbers and ranges" },
        { "0,5,6,", "expected a list of tile numbers and ranges" },
        { "0,5,6-", "expected a list of tile numbers and ranges" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char a[64];
        snprintf(a, sizeof a, "deployment.stack_set=%s", bad[i].set);
        ck_assert_int_eq(cfg_set_arg(&c, a, err, sizeof err), 0);
        ck_assert_int_eq(cfg_check(&c, err, sizeof err), -1);
        ck_assert_err_has(bad[i].msg);
    }
    setup();
    ck_assert_int_eq(cfg_net(&c, &ip, &mask, &mac, err, sizeof err), 0);
    ck_assert_uint_eq(ip, 0x0a000001u);
    ck_assert_uint_eq(mask, 0xffffff00u);
    ck_assert_uint_eq(mac, 0x02dcff000001ULL);
    ck_assert_int_eq(cfg_set_arg(&c, "net.address=192.168.7.9/16", err, sizeof err), 0);
    ck_assert_int_eq(cfg_net(&c, &ip, &mask, &mac, err, sizeof err), 0);
    ck_assert_uint_eq(ip, 0xc0a80709u);
    ck_assert_uint_eq(mask, 0xffff0000u);
    ck_assert_int_eq(cfg_set_arg(&c, "net.mac=03:00:00:00:00:01", err, sizeof err), 0);
    ck_assert_int_eq(cfg_check(&c, err, sizeof err), -1);
    ck_assert_err_has("net.mac = '03:00:00:00:00:01': a group (multicast) address");
    ck_assert_int_eq(cfg_set_arg(&c, "net.mac=02:00:00:00:00", err, sizeof err), 0);
    ck_assert_int_eq(cfg_check(&c, err, sizeof err), -1);
    ck_assert_err_has("net.mac = '02:00:00:00:00': expected six hex bytes");
}
END_TEST

/* Writes `text` to run.ini in a new temporary folder (its path in
 * path[size]) and loads it into c; returns the folder. */
static const char *load_temp_file(const char *text, char *path, size_t size)
{
    const char *dir = test_temp_dir();
    ck_assert_ptr_nonnull(dir);
    snprintf(path, size, "%s/run.ini", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    ck_assert_int_eq(cfg_load_file(&c, path, err, sizeof err), 0);
    return dir;
}

/* Asserts that `got` is `head` followed by `tail`. */
#define ck_assert_str_eq_joined(got, head, tail)                  \
    do {                                                          \
        char joined_[512];                                        \
        snprintf(joined_, sizeof joined_, "%s%s", (head), (tail)); \
        ck_assert_str_eq((got), joined_);                         \
    } while (0)

/* deployment.firmware set in a file names a file next to it; set with
 * --set, it is relative to the current folder. Either way the value says
 * where it came from. */
START_TEST(firmware_relative_to_the_file)
{
    char path[256];
    const char *dir = load_temp_file("[chip]\nwidth = 2\n[deployment]\nfirmware = fw/x.elf\n", path, sizeof path);
    ck_assert_str_eq_joined(c.deployment.firmware, dir, "/fw/x.elf");
    ck_assert_str_eq_joined(c.deployment.firmware_from, path, ":4");
    ck_assert_int_eq(cfg_set_arg(&c, "deployment.firmware=fw/y.elf", err, sizeof err), 0);
    ck_assert_str_eq(c.deployment.firmware, "fw/y.elf");
    ck_assert_str_eq(c.deployment.firmware_from, "--set deployment.firmware=fw/y.elf");
    unlink(path);
    rmdir(dir);
    setup();
    ck_assert_int_eq(load_text("[deployment]\nfirmware = /abs/z.elf\n"), 0); /* absolute: as is */
    ck_assert_str_eq(c.deployment.firmware, "/abs/z.elf");
}
END_TEST

/* The per-role images resolve and record where they were set the same way,
 * each in its own field. */
START_TEST(role_firmware_relative_to_the_file)
{
    char path[256];
    const char *dir = load_temp_file("[deployment]\nstack_firmware = s.elf\napp_firmware = fw/a.elf\n", path, sizeof path);
    ck_assert_str_eq_joined(c.deployment.stack_firmware, dir, "/s.elf");
    ck_assert_str_eq_joined(c.deployment.app_firmware, dir, "/fw/a.elf");
    ck_assert_str_eq_joined(c.deployment.stack_firmware_from, path, ":2");
    ck_assert_str_eq_joined(c.deployment.app_firmware_from, path, ":3");
    ck_assert_str_eq(c.deployment.firmware, "");
    ck_assert_str_eq(c.deployment.firmware_from, "");
    unlink(path);
    rmdir(dir);
}
END_TEST

/* deployment.tile_firmware: each PATH of the list resolved against the
 * file's folder (absolute ones kept); cfg_tile_firmware splits it and
 * names a bad entry, a tile beyond the chip, a tile named twice. */
START_TEST(tile_firmware_list)
{
    char path[256], text[512];
    const char *dir = load_temp_file("[chip]\nwidth = 2\nheight = 2\n[deployment]\ntile_firmware = 3:h.elf,1:/abs/x.elf\n",
                                     path, sizeof path);
    snprintf(text, sizeof text, "3:%s/h.elf,1:/abs/x.elf", dir);
    ck_assert_str_eq(c.deployment.tile_firmware, text);
    ck_assert_str_eq_joined(c.deployment.tile_firmware_from, path, ":5");
    cfg_tile_fw tf[CFG_TILE_FW_MAX];
    ck_assert_int_eq(cfg_tile_firmware(&c, tf, err, sizeof err), 2);
    ck_assert_int_eq(tf[0].tile, 3);
    ck_assert_str_eq_joined(tf[0].path, dir, "/h.elf");
    ck_assert_int_eq(tf[1].tile, 1);
    ck_assert_str_eq(tf[1].path, "/abs/x.elf");
    ck_assert_int_eq(cfg_check(&c, err, sizeof err), 0);
    unlink(path);
    rmdir(dir);
    const struct { const char *set, *msg; } bad[] = {
        { "deployment.tile_firmware=4:a.elf", "tile 4 is not on the chip: expected 0 to 3" },
        { "deployment.tile_firmware=a.elf", "entry 'a.elf': expected TILE:PATH" },
        { "deployment.tile_firmware=x:a.elf", "entry 'x:a.elf': expected TILE:PATH" },
        { "deployment.tile_firmware=2:", "entry '2:': expected TILE:PATH" },
        { "deployment.tile_firmware=-1:a.elf", "entry '-1:a.elf': expected TILE:PATH" },
        { "deployment.tile_firmware=2:a.elf,2:b.elf", "tile 2 is named twice" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(cfg_set_arg(&c, bad[i].set, err, sizeof err), 0);
        ck_assert_int_eq(cfg_check(&c, err, sizeof err), -1);
        ck_assert_msg(strstr(err, bad[i].msg) && strstr(err, "--set deployment.tile_firmware"), "%s: %s",
                      bad[i].set, err);
    }
}
END_TEST

/* The whole path: dlsim names the file and line of a firmware it cannot
 * load, and finds one next to its configuration from any folder. */
START_TEST(dlsim_firmware_error_names_file_and_line)
{
    const char *dir = test_temp_dir();
    char path[512], args[1024], fw[512];
    ck_assert_ptr_nonnull(dir);
    snprintf(path, sizeof path, "%s/run.ini", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("[chip]\nwidth = 2\nheight = 2\n[deployment]\nstack_tiles = 1\nfirmware = missing.elf\n", f);
    fclose(f);
    snprintf(args, sizeof args, "-c %s -o %s/out", path, dir);
    ck_assert_int_eq(test_dlsim_run(args), 2);
    char want[600];
    snprintf(want, sizeof want, "%s:6: deployment.firmware", path);
    ck_assert_out_has(want);
    ck_assert_out_has("missing.elf");
    /* the same name next to the file: found, whatever the current folder */
    snprintf(fw, sizeof fw, "cp %s/fw/hello.elf %s/missing.elf", test_build_dir(), dir);
    ck_assert_int_eq(system(fw), 0);
    snprintf(args, sizeof args, "-c %s -o %s/out --set run.cycles=1000", path, dir);
    ck_assert_msg(test_dlsim_run(args) == 0, "%s", test_out);
    snprintf(fw, sizeof fw, "rm -rf %s", dir);
    ck_assert_int_eq(system(fw), 0);
}
END_TEST

START_TEST(dlsim_refuses_directory_and_bad_tlb)
{
    const char *dir = test_temp_dir();
    char args[512];
    ck_assert_ptr_nonnull(dir);
    snprintf(args, sizeof args, "-c %s -o %s/out", dir, dir);
    ck_assert_int_eq(test_dlsim_run(args), 2);
    ck_assert_out_has("is a directory");
    snprintf(args, sizeof args, "--set mem.dtlb_entries=33 -o %s/out", dir);
    ck_assert_int_eq(test_dlsim_run(args), 2);
    ck_assert_out_has("mem.dtlb_entries = 33 is not a multiple of mem.dtlb_assoc = 32");
    snprintf(args, sizeof args, "rm -rf %s", dir);
    ck_assert_int_eq(system(args), 0);
}
END_TEST

/* --help-config prints integer ranges as integers. */
START_TEST(help_prints_integer_ranges)
{
    static const char *const want[] = { "1..1000000 ", "0..9007199254740991 ", "0..1000000000000000 ",
                                        "0.001..400 " };
    ck_assert_int_eq(test_dlsim_run("--help-config"), 0);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(strstr(test_out, want[i]) != NULL, "--help-config lacks the range '%s'", want[i]);
    ck_assert_msg(strstr(test_out, "1..1e+06") == NULL, "an integer range printed as a float");
}
END_TEST

START_TEST(set_overrides_file)
{
    ck_assert_int_eq(load_text("[chip]\nwidth = 2\n"), 0);
    ck_assert_int_eq(cfg_set_arg(&c, "chip.width=3", err, sizeof err), 0);
    ck_assert_int_eq(c.chip.width, 3);
    ck_assert_int_eq(cfg_set_arg(&c, "chip.width=4", err, sizeof err), 0);
    ck_assert_int_eq(c.chip.width, 4); /* the last --set wins */
    ck_assert_int_eq(cfg_set_arg(&c, "core.timing=off", err, sizeof err), 0);
    ck_assert_int_eq(c.core.timing, 0);
}
END_TEST

START_TEST(set_errors_name_the_argument)
{
    ck_assert_int_eq(cfg_set_arg(&c, "chip.width", err, sizeof err), -1);
    ck_assert_err_has("--set chip.width");
    ck_assert_err_has("expected section.key=value");
    ck_assert_int_eq(cfg_set_arg(&c, "width=3", err, sizeof err), -1);
    ck_assert_err_has("expected section.key=value");
    ck_assert_int_eq(cfg_set_arg(&c, ".width=3", err, sizeof err), -1);
    ck_assert_int_eq(cfg_set_arg(&c, "chip.=3", err, sizeof err), -1);
    ck_assert_int_eq(cfg_set_arg(&c, "chp.width=3", err, sizeof err), -1);
    ck_assert_err_has("--set chp.width=3: unknown section [chp]; did you mean [chip]?");
    ck_assert_int_eq(cfg_set_arg(&c, "chip.widht=3", err, sizeof err), -1);
    ck_assert_err_has("did you mean chip.width?");
    ck_assert_int_eq(cfg_set_arg(&c, "chip.width=0", err, sizeof err), -1);
    ck_assert_err_has("--set chip.width=0: chip.width = 0 is out of range");
    ck_assert_int_eq(cfg_set_arg(&c, "chip.width=", err, sizeof err), -1);
    ck_assert_err_has("expected an integer");
    ck_assert_int_eq(c.chip.width, 6); /* failed sets change nothing */
}
END_TEST

START_TEST(int_parsing_rejects_junk)
{
    const char *bad[] = { "1.5", "3x", " 3", "0x", "010abc", "99999999999999999999999" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(cfg_set(&c, "chip", "width", bad[i], "t", err, sizeof err) == -1, "accepted '%s'", bad[i]);
    ck_assert_int_eq(cfg_set(&c, "chip", "width", "010", "t", err, sizeof err), 0);
    ck_assert_int_eq(c.chip.width, 10); /* decimal, not octal */
}
END_TEST

START_TEST(run_cycles_from_time)
{
    ck_assert_uint_eq(cfg_run_cycles(&c), (uint64_t)c.run.cycles);
    ck_assert_int_eq(cfg_set_arg(&c, "run.time_us=2.5", err, sizeof err), 0);
    ck_assert_uint_eq(cfg_run_cycles(&c), 3000); /* 2.5 us at 1200 MHz */
}
END_TEST

START_TEST(format_round_trips)
{
    size_t n;
    const cfg_key *k = cfg_keys(&n);
    char buf[128];
    ck_assert_int_eq(cfg_set_arg(&c, "port.rate_gbps=0.1", err, sizeof err), 0);
    ck_assert_int_eq(cfg_set_arg(&c, "mesh.order=yx", err, sizeof err), 0);
    for (size_t i = 0; i < n; i++) {
        dl_config t;
        cfg_defaults(&t);
        cfg_format_value(&c, &k[i], buf, sizeof buf);
        ck_assert_int_eq(cfg_set(&t, k[i].section, k[i].key, buf, "t", err, sizeof err), 0);
        ck_assert_msg(memcmp((char *)&t + k[i].offset, (char *)&c + k[i].offset,
                             k[i].type == CFG_STRING ? CFG_STR_MAX
                             : k[i].type == CFG_INT  ? sizeof(int64_t)
                             : k[i].type == CFG_DOUBLE ? sizeof(double) : sizeof(int)) == 0,
                      "%s.%s does not round-trip through '%s'", k[i].section, k[i].key, buf);
    }
}
END_TEST

Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *t = tcase_create("config");
    tcase_set_timeout(t, 60);
    tcase_add_checked_fixture(t, setup, NULL);
    tcase_add_test(t, table_defaults_parse_and_sections_exist);
    tcase_add_test(t, file_sets_every_type);
    tcase_add_test(t, missing_file);
    tcase_add_test(t, unknown_section_suggests);
    tcase_add_test(t, unknown_empty_section);
    tcase_add_test(t, unknown_key_suggests);
    tcase_add_test(t, key_in_wrong_section_suggests_other_section);
    tcase_add_test(t, wrong_type_int);
    tcase_add_test(t, wrong_type_bool_enum_double);
    tcase_add_test(t, out_of_range);
    tcase_add_test(t, syntax_error_has_line);
    tcase_add_test(t, first_error_wins);
    tcase_add_test(t, key_outside_section);
    tcase_add_test(t, duplicate_key);
    tcase_add_test(t, string_too_long);
    tcase_add_test(t, string_value_boundary_in_file);
    tcase_add_test(t, line_length_boundary);
    tcase_add_test(t, directory_is_refused);
    tcase_add_test(t, nul_byte_is_refused);
    tcase_add_test(t, endless_file_is_refused);
    tcase_add_test(t, check_refuses_impossible_tlb);
    tcase_add_test(t, check_refuses_hardwall_outside_mesh);
    tcase_add_test(t, check_stack_set_and_net);
    tcase_add_test(t, firmware_relative_to_the_file);
    tcase_add_test(t, role_firmware_relative_to_the_file);
    tcase_add_test(t, tile_firmware_list);
    tcase_add_test(t, dlsim_firmware_error_names_file_and_line);
    tcase_add_test(t, dlsim_refuses_directory_and_bad_tlb);
    tcase_add_test(t, help_prints_integer_ranges);
    tcase_add_test(t, set_overrides_file);
    tcase_add_test(t, set_errors_name_the_argument);
    tcase_add_test(t, int_parsing_rejects_junk);
    tcase_add_test(t, run_cycles_from_time);
    tcase_add_test(t, format_round_trips);
    suite_add_tcase(s, t);
    return s;
}
