/* bench.h — what the benchmarks share: a monotonic clock and a small,
 * seeded random generator (the same sequence on every run). */
#ifndef HL_BENCH_H
#define HL_BENCH_H

#include <stdint.h>
#include <time.h>

/* Seconds on the monotonic clock. */
static inline double bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* xorshift64's state: a fixed seed; a benchmark may set it (never 0). */
static uint64_t bench_rng = 0x9E3779B97F4A7C15ULL;

/* A number in [0, n) from bench_rng. */
static inline unsigned bench_rnd(unsigned n)
{
    bench_rng ^= bench_rng << 13, bench_rng ^= bench_rng >> 7, bench_rng ^= bench_rng << 17;
    return (unsigned)(bench_rng % n);
}

#endif
