/*
 * The instance's own URLs: the base (scheme and domain) that every local
 * actor, object and discovery link is built on. One place decides the
 * scheme, so a development instance on plain http stays consistent.
 */
#ifndef MEENT_AP_URLS_H
#define MEENT_AP_URLS_H

#include <stddef.h>

struct config;

/* Writes "https://<domain>" into buf; returns buf. */
const char	*ap_url_base(const struct config *cfg, char *buf, size_t bufsz);

#endif
