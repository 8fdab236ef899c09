/*
 * Shared by the files of the instance group (instance.c, instance_about.c,
 * absent.c): how their public endpoints admit a caller and answer. Not
 * for other modules.
 */
#ifndef MEENT_API_INSTANCE_INTERNAL_H
#define MEENT_API_INSTANCE_INTERNAL_H

#include <jansson.h>

struct http_req;

/*
 * Admits a caller of a public endpoint. Mastodon ignores the token on the
 * endpoints that have no scope (instance, rules, peers, custom emoji,
 * trends): an expired or revoked token must not make an app believe the
 * server is gone. So no token is checked, and only the address's rate
 * limit applies. 0, or -1 when it replied (429, 503).
 */
int	 api_public_begin(struct http_req *req);

/*
 * Replies 200 with body (takes the reference) and "Cache-Control: public,
 * max-age=<max_age>", as Mastodon lets shared caches keep these answers.
 * A NULL body (out of memory while building it) becomes a 500.
 */
void	 api_public_reply(struct http_req *req, json_t *body, int max_age);

#endif
