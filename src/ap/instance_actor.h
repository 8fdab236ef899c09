/*
 * The instance actor: an Application at https://<domain>/actor whose key
 * signs the fetches the server makes on its own behalf, as Mastodon's does
 * (and which authorized-fetch peers let through). It is created once, by
 * whichever meentd starts first.
 */
#ifndef MEENT_AP_INSTANCE_ACTOR_H
#define MEENT_AP_INSTANCE_ACTOR_H

struct db;
struct config;

/* Makes sure the instance actor exists, creating its key pair if not. 0 or -1. */
int	 ap_instance_actor_ensure(struct db *db, const struct config *cfg);

#endif
