/* Test-only: the AVX-512 configuration of the shared SIMD kernel body (16 lanes,
 * AVX-512's register blocks and mask tails) built on portable vector types, so its
 * loop and tail logic is checked on every machine, AVX-512 or not. */
#ifndef EMULATED_SELFTEST_H
#define EMULATED_SELFTEST_H

/* Runs every kernel of the emulated 16-lane table against the scalar reference on
 * awkward shapes. Returns the number of mismatching cases and writes the first
 * mismatch (or a summary) into report. */
int optima_emulated512_selftest(char *report, int report_size);

#endif
