/* mpipe_fake.h - a host fake of the mPIPE for the driver's unit tests: the
 * mpipe_hal_* functions over a register file and 8 MiB of host memory that
 * stands for the shared memory at TILE_SHARED_BASE. It delivers frames
 * when told to (fake_mpipe_deliver) and "sends" egress frames at once on a
 * doorbell, returning hwb buffers and advancing the completion counter. */
#ifndef DL_TESTS_MPIPE_FAKE_H
#define DL_TESTS_MPIPE_FAKE_H

#include <stddef.h>
#include <stdint.h>

#define FAKE_MEM_BYTES (8u << 20)

void fake_mpipe_reset(void);

/* Writes frame f into a buffer popped from stack s and its descriptor into
 * ring r, as the engine would (on channel 0). Returns 0, or -1 when the
 * stack is empty or the ring has no credit. */
int fake_mpipe_deliver(unsigned r, unsigned s, const uint8_t *f, size_t len);

/* Frames sent so far, and the bytes of frame i. */
unsigned fake_mpipe_sent(void);
const uint8_t *fake_mpipe_frame(unsigned i, size_t *len);

/* The first 4 bytes of frame i (the last FAKE_TAGS frames are kept). */
#define FAKE_TAGS 65536u
uint32_t fake_mpipe_tag(unsigned i);

/* Credits ring r has now. */
uint64_t fake_mpipe_credits(unsigned r);

#endif
