/* Admission and replies of the public endpoints: see instance_internal.h. */
#include <stdio.h>

#include "api/auth.h"
#include "api/instance_internal.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"

int
api_public_begin(struct http_req *req)
{
	char	 peer[64], key[96];

	/* The key api_authenticate uses for callers without a token, so
	 * both kinds of endpoint share one count per address. */
	snprintf(key, sizeof(key), "addr:%s", http_req_peer(req, peer, sizeof(peer)));
	return api_rate_limit(req, key, (int)req->req_meent->cfg.api_rate_limit,
	    API_RATE_PERIOD);
}

void
api_public_reply(struct http_req *req, json_t *body, int max_age)
{
	char	 cc[48];

	if (body == NULL) {
		http_reply_error(req, 500, "Internal server error");
		return;
	}
	snprintf(cc, sizeof(cc), "public, max-age=%d", max_age);
	http_reply_header(req, "Cache-Control", cc);
	http_reply_json(req, 200, body);
}
