/* SPDX-License-Identifier: MIT */
/*
 * fuzz/fuzz_xlsx.c -- the workbook reader of ledger import (src/ledger/xlsx.c) on hostile
 * bytes: a zip directory, members and XML from an untrusted upload. Invariants: a sheet read
 * has at least one row, every cell is a NUL-terminated string within the cell limit, and a
 * failure leaves an empty sheet. Seeds in fuzz/corpus/xlsx/.
 */
#include <stdint.h>
#include <string.h>

#include <envwatch/err.h>

#include "ledger/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ew__sheet sh;
    char why[200];
    int rc = ew__sheet_xlsx(data, size, &sh, why, sizeof(why));

    if (rc != EW_OK) {
        if (sh.rows != 0 || sh.cell != NULL)
            __builtin_trap();
        return 0;
    }
    if (sh.rows == 0 || sh.cols == 0 || sh.cols > EW__SHEET_MAX_COLS)
        __builtin_trap();
    for (size_t r = 0; r < sh.rows; r++)
        for (size_t c = 0; c < sh.cols; c++)
            if (strlen(ew__sheet_cell(&sh, r, c)) >= EW__SHEET_MAX_CELL)
                __builtin_trap();
    ew__sheet_free(&sh);
    return 0;
}
