/* The instance's own URLs: see urls.h. */
#include <stdio.h>
#include <stdlib.h>

#include "ap/urls.h"
#include "util/config.h"
#include "util/mem.h"

const char *
ap_url_base(const struct config *cfg, char *buf, size_t bufsz)
{
	/* The development switch that lets us fetch plain http:// also makes
	 * us name ourselves that way: two test instances on loopback must
	 * agree on the scheme of every URL they exchange. */
	snprintf(buf, bufsz, "%s://%s",
	    cfg->allow_insecure_http_for_development ? "http" : "https", cfg->domain);
	return buf;
}

void
ap_actor_urls_init(struct ap_actor_urls *u, const struct config *cfg,
    const char *username)
{
	char base[300];

	ap_url_base(cfg, base, sizeof(base));
	u->uri = xasprintf("%s/users/%s", base, username);
	u->url = xasprintf("%s/@%s", base, username);
	u->inbox = xasprintf("%s/inbox", u->uri);
	u->outbox = xasprintf("%s/outbox", u->uri);
	u->shared_inbox = xasprintf("%s/inbox", base);
	u->followers = xasprintf("%s/followers", u->uri);
	u->following = xasprintf("%s/following", u->uri);
	u->featured = xasprintf("%s/collections/featured", u->uri);
	u->key_id = xasprintf("%s#main-key", u->uri);
}

void
ap_actor_urls_cleanup(struct ap_actor_urls *u)
{
	free(u->uri);
	free(u->url);
	free(u->inbox);
	free(u->outbox);
	free(u->shared_inbox);
	free(u->followers);
	free(u->following);
	free(u->featured);
	free(u->key_id);
}
