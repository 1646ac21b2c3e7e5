/* SPDX-License-Identifier: MIT */
/* Messages for the ew_err codes. */
#include <envwatch/err.h>

const char *
ew_strerror(int err)
{
    switch (err) {
    case EW_OK:
        return "ok";
#define X(name, value, msg)                                                                    \
    case EW_##name:                                                                            \
        return msg;
        EW_ERR_MAP(X)
#undef X
    }
    return "unknown error";
}
