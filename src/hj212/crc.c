/* SPDX-License-Identifier: MIT */
/*
 * The HJ 212 CRC and CRC-16/MODBUS. The standard's routine shifts the register right by 8
 * before mixing in each byte, so only 8 bits of state pass from byte to byte and the whole
 * step is one lookup: reg = T[(reg >> 8) ^ b], with T the reflected 0xA001 table
 * (reference/hj212.md section 2.2). Modbus keeps 16 bits: reg = (reg >> 8) ^ T[(reg ^ b) & 0xFF].
 *
 * Why hj212_crc() needs no serial chain: T is linear over GF(2) (T[a ^ b] = T[a] ^ T[b], and
 * T[0] = 0), so the 8-bit state h = reg >> 8 evolves as h' = M(h) ^ M(b), with M(x) =
 * T[x] >> 8. M is a linear map of order 8 (M^8 is the identity; checked over all 256 states,
 * and by the test against the standard's bit loop). Unrolling, the state before the last byte
 * (B = len - 1 bytes in) is
 *     h = M^B(0xFF) ^ XOR over i < B of M^((B - 1 - i) mod 8)(M(b_i))
 * Grouping the bytes by i mod 8 and using linearity once more, each group needs only the XOR
 * of its bytes: XOR_i M(b_i) = M(XOR_i b_i). So the CRC is an XOR of the data as 64-bit words
 * (byte lane j of the result = the XOR of the bytes at i = j mod 8), then eight lookups and
 * seven steps of Horner's rule. It runs at memory speed instead of one dependent table lookup
 * per byte (bench/bench_hj212.c prints both).
 */
#include <string.h>

#include "internal.h"

/* The reflected CRC-16 table for polynomial 0xA001, computed by the standard's bit loop. */
static const uint16_t crc_table[256] = {
    0x0000, 0xC0C1, 0xC181, 0x0140, 0xC301, 0x03C0, 0x0280, 0xC241, 0xC601, 0x06C0, 0x0780,
    0xC741, 0x0500, 0xC5C1, 0xC481, 0x0440, 0xCC01, 0x0CC0, 0x0D80, 0xCD41, 0x0F00, 0xCFC1,
    0xCE81, 0x0E40, 0x0A00, 0xCAC1, 0xCB81, 0x0B40, 0xC901, 0x09C0, 0x0880, 0xC841, 0xD801,
    0x18C0, 0x1980, 0xD941, 0x1B00, 0xDBC1, 0xDA81, 0x1A40, 0x1E00, 0xDEC1, 0xDF81, 0x1F40,
    0xDD01, 0x1DC0, 0x1C80, 0xDC41, 0x1400, 0xD4C1, 0xD581, 0x1540, 0xD701, 0x17C0, 0x1680,
    0xD641, 0xD201, 0x12C0, 0x1380, 0xD341, 0x1100, 0xD1C1, 0xD081, 0x1040, 0xF001, 0x30C0,
    0x3180, 0xF141, 0x3300, 0xF3C1, 0xF281, 0x3240, 0x3600, 0xF6C1, 0xF781, 0x3740, 0xF501,
    0x35C0, 0x3480, 0xF441, 0x3C00, 0xFCC1, 0xFD81, 0x3D40, 0xFF01, 0x3FC0, 0x3E80, 0xFE41,
    0xFA01, 0x3AC0, 0x3B80, 0xFB41, 0x3900, 0xF9C1, 0xF881, 0x3840, 0x2800, 0xE8C1, 0xE981,
    0x2940, 0xEB01, 0x2BC0, 0x2A80, 0xEA41, 0xEE01, 0x2EC0, 0x2F80, 0xEF41, 0x2D00, 0xEDC1,
    0xEC81, 0x2C40, 0xE401, 0x24C0, 0x2580, 0xE541, 0x2700, 0xE7C1, 0xE681, 0x2640, 0x2200,
    0xE2C1, 0xE381, 0x2340, 0xE101, 0x21C0, 0x2080, 0xE041, 0xA001, 0x60C0, 0x6180, 0xA141,
    0x6300, 0xA3C1, 0xA281, 0x6240, 0x6600, 0xA6C1, 0xA781, 0x6740, 0xA501, 0x65C0, 0x6480,
    0xA441, 0x6C00, 0xACC1, 0xAD81, 0x6D40, 0xAF01, 0x6FC0, 0x6E80, 0xAE41, 0xAA01, 0x6AC0,
    0x6B80, 0xAB41, 0x6900, 0xA9C1, 0xA881, 0x6840, 0x7800, 0xB8C1, 0xB981, 0x7940, 0xBB01,
    0x7BC0, 0x7A80, 0xBA41, 0xBE01, 0x7EC0, 0x7F80, 0xBF41, 0x7D00, 0xBDC1, 0xBC81, 0x7C40,
    0xB401, 0x74C0, 0x7580, 0xB541, 0x7700, 0xB7C1, 0xB681, 0x7640, 0x7200, 0xB2C1, 0xB381,
    0x7340, 0xB101, 0x71C0, 0x7080, 0xB041, 0x5000, 0x90C1, 0x9181, 0x5140, 0x9301, 0x53C0,
    0x5280, 0x9241, 0x9601, 0x56C0, 0x5780, 0x9741, 0x5500, 0x95C1, 0x9481, 0x5440, 0x9C01,
    0x5CC0, 0x5D80, 0x9D41, 0x5F00, 0x9FC1, 0x9E81, 0x5E40, 0x5A00, 0x9AC1, 0x9B81, 0x5B40,
    0x9901, 0x59C0, 0x5880, 0x9841, 0x8801, 0x48C0, 0x4980, 0x8941, 0x4B00, 0x8BC1, 0x8A81,
    0x4A40, 0x4E00, 0x8EC1, 0x8F81, 0x4F40, 0x8D01, 0x4DC0, 0x4C80, 0x8C41, 0x4400, 0x84C1,
    0x8581, 0x4540, 0x8701, 0x47C0, 0x4680, 0x8641, 0x8201, 0x42C0, 0x4380, 0x8341, 0x4100,
    0x81C1, 0x8081, 0x4040,
};

/* M^k(0xFF) for k = 0..7: the contribution of the preset 0xFFFF after k mod 8 bytes. */
static const uint8_t preset_pow[8] = { 0xFF, 0x40, 0xF0, 0x44, 0x33, 0x15, 0xCF, 0x54 };

/* XOR of p[0..n) folded into 8 lanes: lane j = XOR of the bytes at i with i mod 8 = j; and
 * the OR of all bytes, for the caller that wants to know about non-ASCII in the same pass. */
static void
xor_lanes(const unsigned char *p, size_t n, unsigned char lane[8], uint64_t *or_all)
{
    uint64_t x = 0, o = 0, w;
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        memcpy(&w, p + i, 8);
        x ^= w;
        o |= w;
    }
    for (int j = 0; j < 8; j++)
        lane[j] = 0;
    for (; i < n; i++) {
        lane[i & 7] ^= p[i];
        o |= p[i];
    }
    for (int j = 0; j < 8; j++) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        lane[j] ^= (unsigned char)(x >> (56 - 8 * j));
#else
        lane[j] ^= (unsigned char)(x >> (8 * j));
#endif
    }
    *or_all = o;
}

uint16_t
hj212__crc_scan(const void *data, size_t len, int *high)
{
    const unsigned char *p = data;
    unsigned char lane[8];
    uint16_t s[8], acc;
    uint64_t o;
    size_t n;

    if (len == 0) {
        *high = 0;
        return 0xFFFF;
    }
    n = len - 1;                        /* the last byte is mixed in with the full table */
    xor_lanes(p, n, lane, &o);
    *high = ((o & 0x8080808080808080ULL) | (p[n] & 0x80)) != 0;
    /* Lane j's bytes need M applied (n - 1 - j) mod 8 more times: regroup by that count. */
    for (size_t j = 0; j < 8; j++)
        s[(n - 1 - j) & 7] = (uint16_t)(crc_table[lane[j]] >> 8);
    acc = s[7];
    for (size_t j = 7; j-- > 0;)
        acc = (uint16_t)((crc_table[acc] >> 8) ^ s[j]);
    acc ^= preset_pow[n & 7];
    return crc_table[acc ^ p[n]];
}

uint16_t
hj212_crc(const void *data, size_t len)
{
    int high;

    return hj212__crc_scan(data, len, &high);
}

uint16_t
hj212_crc_modbus(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint16_t reg = 0xFFFF;

    for (size_t i = 0; i < len; i++)
        reg = (uint16_t)((reg >> 8) ^ crc_table[(reg ^ p[i]) & 0xFF]);
    return reg;
}
