/*
 * Relationship entities (docs.joinmastodon.org/entities/Relationship):
 * how one local account stands to others (follows, requests, blocks,
 * mutes, both ways), rendered by PostgreSQL in one statement for a whole
 * list. Every follow, block and mute endpoint answers with one.
 */
#ifndef MEENT_API_RELATIONSHIP_H
#define MEENT_API_RELATIONSHIP_H

#include <stddef.h>

#include <jansson.h>

struct http_req;

#define API_RELATIONSHIPS_MAX	1000	/* ids in one GET /api/v1/accounts/relationships */

/*
 * The Relationships of viewer to the n accounts ids, in that order, each
 * once, unknown ones left out and suspended ones too unless
 * with_suspended: a new array in *out. 0, or -1 on a database error.
 */
int	 api_relationships_render(struct http_req *req, long long viewer,
	    const long long *ids, size_t n, int with_suspended, json_t **out);

/* Replies 200 with the Relationship of viewer to target (or a DB error). */
void	 api_relationship_reply(struct http_req *req, long long viewer, long long target);

#endif
