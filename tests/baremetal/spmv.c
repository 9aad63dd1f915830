/* spmv.c - benchmark: sparse matrix (compressed rows, 300 x 300, 1 to 9
 * non-zeros per row at distinct columns) times a vector, checked row by row
 * against the dense product of the same row rebuilt in a dense array. */
#include "bm.h"

#define ROWS 300
#define MAXNZ 9

static long ptr[ROWS + 1];
static int col[ROWS * MAXNZ];
static int64_t val[ROWS * MAXNZ], x[ROWS], y[ROWS], dense[ROWS];

static void spmv(long rows, const long *p, const int *c, const int64_t *v, const int64_t *in,
                 int64_t *out)
{
    for (long r = 0; r < rows; r++) {
        int64_t s = 0;
        for (long k = p[r]; k < p[r + 1]; k++)
            s += v[k] * in[c[k]];
        out[r] = s;
    }
}

int main(void)
{
    uint64_t seed = 31337, sum = 0, t0, t1;
    long nz = 0;
    int errors = 0;
    for (int i = 0; i < ROWS; i++)
        x[i] = (int64_t)(bm_rand(&seed) % 200) - 100;
    for (int r = 0; r < ROWS; r++) {
        int k = 1 + (int)(bm_rand(&seed) % MAXNZ), c = (int)(bm_rand(&seed) % ROWS);
        ptr[r] = nz;
        for (int j = 0; j < k; j++) {
            c = (c + 1 + (int)(bm_rand(&seed) % 29)) % ROWS; /* distinct: steps sum below ROWS */
            col[nz] = c;
            val[nz++] = (int64_t)(bm_rand(&seed) % 2001) - 1000;
        }
    }
    ptr[ROWS] = nz;
    t0 = bm_instret();
    spmv(ROWS, ptr, col, val, x, y);
    t1 = bm_instret();
    for (int r = 0; r < ROWS; r++) {
        int64_t s = 0;
        memset(dense, 0, sizeof dense);
        for (long k = ptr[r]; k < ptr[r + 1]; k++)
            dense[col[k]] += val[k];
        for (int c = 0; c < ROWS; c++)
            s += dense[c] * x[c];
        errors += s != y[r];
        sum = sum * 3 + (uint64_t)y[r];
    }
    return bm_verdict("spmv", errors, sum, t1 - t0);
}
