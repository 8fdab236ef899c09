/*
 * Small things every client API handler needs: Mastodon's ids (decimal
 * strings of a 64-bit snowflake), its standard errors, and the instance's
 * base URL for the entities. Entities are api/entity.h, authentication
 * api/auth.h, parameters api/params.h, pagination api/page.h.
 */
#ifndef MEENT_API_API_H
#define MEENT_API_API_H

#include <stddef.h>

struct http_req;

/*
 * Parses a Mastodon id: 1 to 19 decimal digits, no sign, no spaces,
 * within a positive bigint. 0 with *out set, or -1.
 */
int	 api_id_parse(const char *s, long long *out);

/* 404 {"error": "Record not found"}, as Mastodon answers a bad or unknown id. */
void	 api_reply_not_found(struct http_req *req);

/* 422 {"error": "Validation failed: <what>"}, Mastodon's invalid-record reply. */
void	 api_reply_invalid(struct http_req *req, const char *what);

/* The instance's base URL ("https://<domain>") for req, into buf; returns buf. */
const char *api_base(const struct http_req *req, char *buf, size_t bufsz);

#endif
