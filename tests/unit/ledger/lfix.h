/* SPDX-License-Identifier: MIT */
/*
 * Shared by the ledger tests: a fresh store in a temporary folder per test (removed after),
 * CST times, actors and item builders. Header-only so each test stays one executable.
 */
#ifndef EW_TEST_LEDGER_LFIX_H
#define EW_TEST_LEDGER_LFIX_H

#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <envwatch/err.h>
#include <envwatch/ledger.h>
#include <envwatch/store.h>

#include "util/time.h"

struct lfx {
    char dir[64];
    struct ew_store *s;
    char why[512];
};

static inline int
lfx_rm(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static inline int
lfx_setup(void **state)
{
    struct lfx *f = calloc(1, sizeof(*f));

    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/ew-ledger-test-XXXXXX");
    if (mkdtemp(f->dir) == NULL || ew_store_open(f->dir, EW_STORE_CREATE, &f->s) != EW_OK) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static inline int
lfx_teardown(void **state)
{
    struct lfx *f = *state;

    ew_store_close(f->s);
    nftw(f->dir, lfx_rm, 8, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* CST civil time as Unix seconds. */
static inline int64_t
lfx_t(int y, int mo, int d, int h, int mi)
{
    struct ew_civil c = { y, mo, d, h, mi, 0 };

    return ew_civil_to_unix(&c);
}

/* The last second of a CST day. */
static inline int64_t
lfx_end(int y, int mo, int d)
{
    return lfx_t(y, mo, d, 23, 59) + 59;
}

static const struct ew_ledger_actor lfx_operator = { "王调度", "operator", "市生态环境局" };
static const struct ew_ledger_actor lfx_leader = { "李局长", "leader", "市生态环境局" };
static const struct ew_ledger_actor lfx_inspector = { "赵督察", "inspector", "市督察办" };
static const struct ew_ledger_actor lfx_officer = { "张科长", "officer", "平定县人民政府" };
static const struct ew_ledger_actor lfx_other_officer = { "陈科长", "officer", "盂县人民政府" };
static const struct ew_ledger_actor lfx_public = { "匿名", "public", "" };

static inline struct ew_ledger_act
lfx_act(const char *action, struct ew_ledger_actor who, const char *note, int64_t now)
{
    struct ew_ledger_act a = { .action = action, .who = who, .note = note, .qty = NAN,
                               .amount_yuan = NAN, .now_unix_s = now };

    return a;
}

/* A valid item of each kind, with the fields that kind requires. */
static inline void
lfx_item(struct ew_ledger_item *it, int kind, const char *code)
{
    ew_ledger_item_init(it, kind);
    snprintf(it->code, sizeof(it->code), "%s", code);
    snprintf(it->title, sizeof(it->title), "item %s", code);
    snprintf(it->unit, sizeof(it->unit), "平定县人民政府");
    snprintf(it->county, sizeof(it->county), "平定县");
    switch (kind) {
    case EW_LEDGER_RECTIFY:
        snprintf(it->leader, sizeof(it->leader), "县委书记");
        snprintf(it->gov_leader, sizeof(it->gov_leader), "县长");
        snprintf(it->source, sizeof(it->source), "中央第二环境保护督察组 2017");
        break;
    case EW_LEDGER_COMPLAINT:
        snprintf(it->source, sizeof(it->source), "12369");
        snprintf(it->category, sizeof(it->category), "air");
        snprintf(it->subject, sizeof(it->subject), "某焦化厂");
        break;
    case EW_LEDGER_CASE:
        snprintf(it->source, sizeof(it->source), "inspection");
        snprintf(it->subject, sizeof(it->subject), "某水泥厂");
        break;
    case EW_LEDGER_RIVER:
        it->level = 5;
        snprintf(it->subject, sizeof(it->subject), "TAO-V1");
        snprintf(it->leader, sizeof(it->leader), "村河长甲");
        break;
    }
}

#endif
