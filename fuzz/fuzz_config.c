/* SPDX-License-Identifier: MIT */
/*
 * The daemon's INI configuration (src/ingest/config.c). Invariants: a refused text leaves the
 * config exactly as it was; an accepted one leaves every number inside its documented range
 * and every string NUL-terminated inside its field.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <envwatch/daemon.h>
#include <envwatch/err.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_strings(const struct ew_config *c)
{
    const char *fields[] = { c->data_dir, c->hj212_listen, c->http_listen, c->log_file,
                             c->web_dir, c->tile_url, c->webhook_url, c->tls_cert, c->tls_key };
    const size_t sizes[] = { sizeof(c->data_dir), sizeof(c->hj212_listen),
                             sizeof(c->http_listen), sizeof(c->log_file), sizeof(c->web_dir),
                             sizeof(c->tile_url), sizeof(c->webhook_url), sizeof(c->tls_cert),
                             sizeof(c->tls_key) };

    for (size_t i = 0; i < EW_ARRAY_LEN(fields); i++)
        if (memchr(fields[i], '\0', sizes[i]) == NULL)
            __builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ew_config c, before;
    char *text = malloc(size + 1), err[256];
    int line = 0;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    ew_config_defaults(&c);
    before = c;
    if (ew_config_parse(&c, text, &line, err, sizeof(err)) != EW_OK) {
        if (memcmp(&c, &before, sizeof(c)) != 0)
            __builtin_trap();
    } else {
        if (c.batch_packets < 1 || c.batch_ms < 1 || c.queue_packets < 16 ||
            c.max_segment < 64 || c.max_segment > 9999 || c.synchronous_full > 1 ||
            c.http_threads < 1 || c.idle_timeout_s < 5)
            __builtin_trap();
    }
    check_strings(&c);
    free(text);
    return 0;
}
