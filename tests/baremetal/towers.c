/* towers.c - benchmark: the towers of Hanoi with 14 discs, recursive, on
 * three pegs kept as arrays; every move is checked (a disc only on a larger
 * one), then the move count (2^14 - 1) and the final tower. */
#include "bm.h"

#define DISCS 14

typedef struct peg {
    int disc[DISCS];
    int n;
} peg;

static peg pegs[3];
static long moves;
static int illegal;

static void move(int from, int to)
{
    peg *f = &pegs[from], *t = &pegs[to];
    if (f->n == 0) {
        illegal++;
        return;
    }
    int d = f->disc[--f->n];
    if (t->n > 0 && t->disc[t->n - 1] < d)
        illegal++;
    t->disc[t->n++] = d;
    moves++;
}

static void hanoi(int n, int from, int to, int via)
{
    if (n == 0)
        return;
    hanoi(n - 1, from, via, to);
    move(from, to);
    hanoi(n - 1, via, to, from);
}

int main(void)
{
    uint64_t t0, t1, sum = 0;
    int errors = 0;
    for (int i = 0; i < DISCS; i++)
        pegs[0].disc[i] = DISCS - i; /* largest at the bottom */
    pegs[0].n = DISCS;
    t0 = bm_instret();
    hanoi(DISCS, 0, 2, 1);
    t1 = bm_instret();
    errors += illegal + (moves != (1L << DISCS) - 1);
    errors += pegs[0].n != 0 || pegs[1].n != 0 || pegs[2].n != DISCS;
    for (int i = 0; i < pegs[2].n; i++) {
        errors += pegs[2].disc[i] != DISCS - i;
        sum = sum * 16 + (uint64_t)pegs[2].disc[i];
    }
    return bm_verdict("towers", errors, sum ^ (uint64_t)moves, t1 - t0);
}
