/* SPDX-License-Identifier: MIT */
/* libhj212 CRC: the vectors of reference/hj212.md 2.5, the catalogue check values, and the
 * word-at-a-time implementation against the standard's bit loop on many inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hj212/hj212.h>

#include "unit/hj212/vectors.h"

/* The standard's routine (2017 Appendix A), restated bit by bit. */
static unsigned
crc_bitwise(const unsigned char *p, size_t n)
{
    unsigned reg = 0xFFFF;

    for (size_t i = 0; i < n; i++) {
        reg = (reg >> 8) ^ p[i];
        for (int k = 0; k < 8; k++)
            reg = reg & 1 ? (reg >> 1) ^ 0xA001 : reg >> 1;
    }
    return reg;
}

static void
standard_vectors_match(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        size_t n = strlen(vectors[i].segment);

        assert_int_equal(vectors[i].len, n);
        assert_int_equal(vectors[i].crc, hj212_crc(vectors[i].segment, n));
        assert_int_equal(vectors[i].crc, crc_bitwise((const unsigned char *)vectors[i].segment, n));
    }
}

static void
gbk_text_and_check_values(void **state)
{
    (void)state;
    assert_int_equal(148, strlen(V10_GBK));
    assert_int_equal(0xE2C1, hj212_crc(V10_GBK, strlen(V10_GBK)));
    /* Catalogue check values for "123456789" (reference 2.2). */
    assert_int_equal(0x2F80, hj212_crc("123456789", 9));
    assert_int_equal(0x4B37, hj212_crc_modbus("123456789", 9));
    assert_int_equal(0xFFFF, hj212_crc_modbus("", 0));
}

/* Every length 0..600 at every alignment, random bytes: the fast CRC equals the bit loop. */
static void
fast_crc_equals_bit_loop(void **state)
{
    unsigned char buf[640];
    uint32_t x = 12345;

    (void)state;
    for (size_t n = 0; n <= 600; n++) {
        for (size_t off = 0; off < 8; off++) {
            for (size_t i = 0; i < n; i++) {
                x = x * 1103515245u + 12345u;
                buf[off + i] = (unsigned char)(x >> 16);
            }
            assert_int_equal(crc_bitwise(buf + off, n), hj212_crc(buf + off, n));
        }
    }
}

/* Only 8 bits of state pass between bytes: the low byte of every non-empty CRC is one of 8
 * values, and every single-byte change of a segment changes its CRC (reference 2.2). */
static void
low_byte_and_single_changes(void **state)
{
    const char *seg = vectors[0].segment;
    size_t n = strlen(seg);
    char copy[256];
    unsigned base = hj212_crc(seg, n);

    (void)state;
    for (unsigned i = 0; i < 4096; i++) {
        char b[2] = { (char)i, (char)(i >> 4) };
        unsigned lo = hj212_crc(b, 1 + (i & 1)) & 0xFF;

        assert_true(lo == 0x00 || lo == 0x01 || lo == 0x40 || lo == 0x41 || lo == 0x80 ||
                    lo == 0x81 || lo == 0xC0 || lo == 0xC1);
    }
    memcpy(copy, seg, n);
    for (size_t i = 0; i < n; i++) {
        for (int v = 0; v < 256; v += 37) {
            if ((unsigned char)seg[i] == v)
                continue;
            copy[i] = (char)v;
            assert_int_not_equal(base, hj212_crc(copy, n));
            copy[i] = seg[i];
        }
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(standard_vectors_match),
        cmocka_unit_test(gbk_text_and_check_values),
        cmocka_unit_test(fast_crc_equals_bit_loop),
        cmocka_unit_test(low_byte_and_single_changes),
    };
    return cmocka_run_group_tests_name("hj212/crc", tests, NULL, NULL);
}
