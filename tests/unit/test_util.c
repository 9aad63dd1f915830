/* test_util.c - temporary files and subprocess helpers for the Check suites. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *rotate(void)
{
    static char bufs[8][256];
    static int next;
    return bufs[next++ % 8];
}

const char *test_write_temp(const char *text)
{
    char *path = rotate();
    snprintf(path, 256, "/tmp/dltest-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) return NULL;
    size_t len = strlen(text);
    if (write(fd, text, len) != (ssize_t)len) path[0] = 0;
    close(fd);
    return path;
}

const char *test_temp_dir(void)
{
    char *path = rotate();
    snprintf(path, 256, "/tmp/dltest-dir-XXXXXX");
    return mkdtemp(path);
}

const char *test_dlsim(void)
{
    const char *p = getenv("DLSIM");
    return p && *p ? p : "build/dlsim";
}

int test_run(const char *cmd, char *out, size_t outlen)
{
    char full[4096];
    snprintf(full, sizeof full, "%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    if (!p) return -1;
    size_t n = fread(out, 1, outlen - 1, p);
    out[n] = 0;
    while (fgetc(p) != EOF) {
    }
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

char *test_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)len + 1);
    if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    if (buf) buf[len] = 0;
    fclose(f);
    return buf;
}
