/* SPDX-License-Identifier: MIT */
/*
 * Where the detection rules of each series (point, factor) must start reading: the oldest run
 * still open after the last upload, the last record judged, and which of its conditions are
 * known active. With it the engine judges a normal record without reading the store, and
 * reads the run itself while one lasts. An open-addressing table of pointers, grown at 3/4
 * load; the entries themselves never move, so a pointer to one stays valid while others are
 * added. Writer thread only.
 */
#include <stdlib.h>
#include <string.h>

#include "alarm/internal.h"

static uint64_t
key_hash(int64_t point_id, const char *factor)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)point_id;

    h *= 1099511628211ULL;
    for (; *factor != '\0'; factor++)
        h = (h ^ (unsigned char)*factor) * 1099511628211ULL;
    return h;
}

static struct al_series **
slot(struct al_series **v, size_t cap, int64_t point_id, const char *factor)
{
    size_t i = (size_t)key_hash(point_id, factor) & (cap - 1);

    while (v[i] != NULL && (v[i]->point_id != point_id || strcmp(v[i]->factor, factor) != 0))
        i = (i + 1) & (cap - 1);
    return &v[i];
}

static int
grow(struct al_series_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 256;
    struct al_series **v = calloc(cap, sizeof(*v));

    if (v == NULL)
        return -1;
    for (size_t i = 0; i < m->cap; i++)
        if (m->v[i] != NULL)
            *slot(v, cap, m->v[i]->point_id, m->v[i]->factor) = m->v[i];
    free(m->v);
    m->v = v;
    m->cap = cap;
    return 0;
}

struct al_series *
al_series_get(struct al_series_map *m, int64_t point_id, const char *factor)
{
    struct al_series **e;

    if (point_id == 0 || strlen(factor) >= sizeof((*e)->factor))
        return NULL;
    if ((m->n + 1) * 4 > m->cap * 3 && grow(m) != 0)
        return NULL;
    e = slot(m->v, m->cap, point_id, factor);
    if (*e == NULL) {
        if ((*e = calloc(1, sizeof(**e))) == NULL)
            return NULL;
        (*e)->point_id = point_id;
        memcpy((*e)->factor, factor, strlen(factor) + 1);
        m->n++;
    }
    return *e;
}

void
al_series_free(struct al_series_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->v[i]);
    free(m->v);
    *m = (struct al_series_map){ 0 };
}
