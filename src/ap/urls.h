/*
 * The instance's own URLs: the base (scheme and domain) that every local
 * actor, object and discovery link is built on. One place decides the
 * scheme, so a development instance on plain http stays consistent.
 */
#ifndef MEENT_AP_URLS_H
#define MEENT_AP_URLS_H

#include <stddef.h>

struct config;

/*
 * Writes "https://<domain>" into buf ("http://" under the development
 * switch allow_insecure_http_for_development); returns buf.
 */
const char	*ap_url_base(const struct config *cfg, char *buf, size_t bufsz);

/* The addresses of a local actor, laid out as Mastodon lays them out. */
struct ap_actor_urls {
	char	*uri;		/* the actor id: <base>/users/<u> */
	char	*url;		/* the profile page: <base>/@<u> */
	char	*inbox;
	char	*outbox;
	char	*shared_inbox;	/* <base>/inbox */
	char	*followers;
	char	*following;
	char	*featured;
	char	*key_id;	/* uri#main-key, as Mastodon names it */
};

/* Fills u with new strings for username; free them with ap_actor_urls_cleanup. */
void	 ap_actor_urls_init(struct ap_actor_urls *u, const struct config *cfg,
	    const char *username);
void	 ap_actor_urls_cleanup(struct ap_actor_urls *u);

#endif
