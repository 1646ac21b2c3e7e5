/* SPDX-License-Identifier: MIT */
/*
 * envwatch error codes. Every fallible function of libewcore returns EW_OK (0) or one of the
 * negative codes below; results come back through out-parameters written only on success.
 * The numbers are ABI: append only, never renumber or reuse.
 */
#ifndef EW_ERR_H
#define EW_ERR_H

#define EW_ERR_MAP(X)                                                                          \
    X(EINVAL, -1, "invalid argument")                                                          \
    X(ENOMEM, -2, "out of memory")                                                             \
    X(EAGAIN, -3, "incomplete input; feed more")                                               \
    X(EFORMAT, -4, "malformed input")                                                          \
    X(ETOOBIG, -5, "input exceeds its limit")                                                  \
    X(EIO, -6, "I/O error")                                                                    \
    X(ENOTFOUND, -7, "not found")                                                              \
    X(EEXIST, -8, "already exists")                                                            \
    X(ESTATE, -9, "not allowed in the current state")                                         \
    X(EDENIED, -10, "permission denied")                                                       \
    X(ENODATA, -11, "not enough valid data")                                                   \
    X(EBUSY, -12, "busy; try again")

enum ew_err {
    EW_OK = 0,
#define X(name, value, msg) EW_##name = (value),
    EW_ERR_MAP(X)
#undef X
};

/* Returns a static message for an ew_err code; never NULL. */
const char *ew_strerror(int err);

#define EW_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
