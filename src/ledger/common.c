/* SPDX-License-Identifier: MIT */
/* Small helpers shared by the files of src/ledger/: reasons, bounded copies, history lines. */
#include <stdio.h>
#include <string.h>

#include <envwatch/err.h>
#include <envwatch/ledger.h>

#include "ledger/internal.h"

int
ew__ledger_say(char *why, size_t len, int rc, const char *fmt, ...)
{
    va_list ap;

    if (why == NULL || len == 0)
        return rc;
    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return rc;
}

void
ew__ledger_copy(char *dst, size_t size, const char *src)
{
    size_t n;

    if (src == NULL)
        src = "";
    n = strnlen(src, size - 1);
    /* Never cut inside a UTF-8 sequence: step back over continuation bytes. */
    if (src[n] != '\0')
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void
ew__ledger_event_init(struct ew_ledger_event *ev, const struct ew_ledger_actor *who,
                      const char *action, int64_t now_unix_s)
{
    memset(ev, 0, sizeof(*ev));
    ev->at_ms = now_unix_s * 1000;
    ew__ledger_copy(ev->action, sizeof(ev->action), action);
    ew__ledger_copy(ev->actor, sizeof(ev->actor), who != NULL ? who->name : "system");
    ew__ledger_copy(ev->role, sizeof(ev->role), who != NULL ? who->role : "system");
    ew__ledger_copy(ev->unit, sizeof(ev->unit), who != NULL ? who->unit : "");
}
