/* SPDX-License-Identifier: MIT */
/*
 * Working days: Monday to Friday, minus the public holidays, plus the weekend days that the
 * State Council's yearly notice turns into working days (调休). The holidays change every
 * year, so they are data: a text file the bureau keeps (docs/ledger.md), never a table here.
 * Days are CST civil days counted from 1970-01-01.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/err.h>
#include <envwatch/ledger.h>

#include "ledger/internal.h"
#include "util/time.h"

#define CAL_MAX_DAYS 20000              /* 50 years of every holiday and swap */
#define WORKDAYS_MAX 3660               /* ten years ahead is as far as any deadline goes */

struct cal_day {
    int64_t day;
    int     work;                       /* 1: a working day, 0: a day off */
};

struct ew_calendar {
    struct cal_day *d;                  /* sorted by day, unique */
    size_t n, cap;
};

int
ew_calendar_create(struct ew_calendar **out)
{
    struct ew_calendar *c = calloc(1, sizeof(*c));

    if (c == NULL)
        return EW_ENOMEM;
    *out = c;
    return EW_OK;
}

void
ew_calendar_destroy(struct ew_calendar *c)
{
    if (c == NULL)
        return;
    free(c->d);
    free(c);
}

static int
cmp_day(const void *a, const void *b)
{
    const struct cal_day *x = a, *y = b;

    return (x->day > y->day) - (x->day < y->day);
}

/* One line: "YYYY-MM-DD off|work" with an optional comment; 1 = a day, 0 = blank, -1 bad. */
static int
parse_line(const char *line, struct cal_day *out)
{
    char date[16], what[32];
    struct ew_civil cv = { 0 };
    int n;

    while (*line == ' ' || *line == '\t')
        line++;
    if (*line == '\0' || *line == '#' || *line == '\r')
        return 0;
    n = sscanf(line, "%15s %31s", date, what);
    if (n != 2 || sscanf(date, "%4d-%2d-%2d", &cv.year, &cv.month, &cv.day) != 3 ||
        strlen(date) != 10 || !ew_civil_valid(&cv))
        return -1;
    if (strcmp(what, "off") == 0 || strcmp(what, "holiday") == 0 || strcmp(what, "休") == 0)
        out->work = 0;
    else if (strcmp(what, "work") == 0 || strcmp(what, "workday") == 0 ||
             strcmp(what, "班") == 0)
        out->work = 1;
    else
        return -1;
    out->day = ew_days_from_civil(cv.year, cv.month, cv.day);
    return 1;
}

/* Sorts and keeps the last entry of each day (a later line wins). */
static void
normalize(struct ew_calendar *c)
{
    size_t w = 0;

    /* A stable order is needed for "later wins": tag each entry with its position first. */
    for (size_t i = 0; i < c->n; i++)
        c->d[i].day = c->d[i].day * 65536 + (int64_t)(i & 0xFFFF);
    qsort(c->d, c->n, sizeof(*c->d), cmp_day);
    for (size_t i = 0; i < c->n; i++) {
        c->d[i].day >>= 16;
        if (w > 0 && c->d[w - 1].day == c->d[i].day)
            c->d[w - 1] = c->d[i];
        else
            c->d[w++] = c->d[i];
    }
    c->n = w;
}

int
ew_calendar_parse(struct ew_calendar *c, const char *text, int *bad_line, char *why,
                  size_t why_len)
{
    struct cal_day *d = NULL, one;
    size_t n = 0, cap = 0;
    int line_no = 0;

    if (c == NULL || text == NULL)
        return EW_EINVAL;
    while (*text != '\0') {
        const char *nl = strchr(text, '\n');
        size_t len = nl != NULL ? (size_t)(nl - text) : strlen(text);
        char line[256];
        int r;
        line_no++;
        if (len >= sizeof(line))
            goto bad;
        memcpy(line, text, len);
        line[len] = '\0';
        text += len + (nl != NULL);
        if ((r = parse_line(line, &one)) < 0)
            goto bad;
        if (r == 0)
            continue;
        if (c->n + n >= CAL_MAX_DAYS) {
            free(d);
            return ew__ledger_say(why, why_len, EW_ETOOBIG, "the calendar holds more than %d "
                                  "days", CAL_MAX_DAYS);
        }
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            struct cal_day *nd = realloc(d, nc * sizeof(*d));
            if (nd == NULL) {
                free(d);
                return EW_ENOMEM;
            }
            d = nd;
            cap = nc;
        }
        d[n++] = one;
    }
    if (n > 0) {
        struct cal_day *all = realloc(c->d, (c->n + n) * sizeof(*all));
        if (all == NULL) {
            free(d);
            return EW_ENOMEM;
        }
        memcpy(all + c->n, d, n * sizeof(*d));
        c->d = all;
        c->n += n;
        c->cap = c->n;
        normalize(c);
    }
    free(d);
    return EW_OK;
bad:
    free(d);
    if (bad_line != NULL)
        *bad_line = line_no;
    return ew__ledger_say(why, why_len, EW_EFORMAT, "calendar line %d: expected "
                          "'YYYY-MM-DD off' or 'YYYY-MM-DD work'", line_no);
}

int
ew_calendar_is_workday(const struct ew_calendar *c, int64_t day)
{
    /* 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Monday. */
    int64_t wd = ((day + 3) % 7 + 7) % 7;
    struct cal_day key = { day, 0 }, *hit;

    if (c != NULL && c->n > 0 &&
        (hit = bsearch(&key, c->d, c->n, sizeof(*c->d), cmp_day)) != NULL)
        return hit->work;
    return wd < 5;
}

static int64_t
day_of(int64_t t_unix_s)
{
    int64_t local = t_unix_s + EW_CST_OFFSET_S;

    return local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
}

int64_t
ew_ledger_day_end(int64_t t_unix_s, int n_days)
{
    return (day_of(t_unix_s) + n_days + 1) * 86400 - EW_CST_OFFSET_S - 1;
}

int
ew_calendar_add_workdays(const struct ew_calendar *c, int64_t t_unix_s, int n,
                         int64_t *due_unix_s)
{
    int64_t day = day_of(t_unix_s);
    int left = n;

    if (n < 0 || n > WORKDAYS_MAX)
        return EW_EINVAL;
    while (left > 0) {
        day++;
        if (ew_calendar_is_workday(c, day))
            left--;
    }
    *due_unix_s = (day + 1) * 86400 - EW_CST_OFFSET_S - 1;
    return EW_OK;
}

int
ew_calendar_workdays_between(const struct ew_calendar *c, int64_t from_unix_s,
                             int64_t to_unix_s, int *n)
{
    int64_t a = day_of(from_unix_s), b = day_of(to_unix_s);
    int count = 0;

    if (b - a > 40000)
        return EW_EINVAL;
    for (int64_t d = a + 1; d <= b; d++)
        count += ew_calendar_is_workday(c, d);
    *n = count;
    return EW_OK;
}
