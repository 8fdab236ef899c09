/*
 * Remote actor documents: the bytes another server sent for an actor URL,
 * turned into a validated struct, following the rules of Mastodon's
 * ActivityPub::FetchRemoteActorService and ProcessAccountService. Pure: the
 * fetch, the WebFinger round trip, HTML sanitising and storage belong to
 * the callers. ActivityPub §4.1 (actor objects), Mastodon docs
 * spec/activitypub.md (profile metadata).
 */
#ifndef MEENT_AP_REMOTE_ACTOR_H
#define MEENT_AP_REMOTE_ACTOR_H

#include <stddef.h>

#define AP_REMOTE_ACTOR_MAX_BODY	(1024 * 1024)	/* whole document */
#define AP_REMOTE_ACTOR_MAX_STRING	(64 * 1024)	/* each text kept */
#define AP_REMOTE_ACTOR_MAX_USERNAME	2048		/* Mastodon's USERNAME_LENGTH_HARD_LIMIT */
#define AP_REMOTE_ACTOR_MAX_FIELDS	64		/* PropertyValues kept; the rest ignored */
#define AP_REMOTE_ACTOR_MAX_ALIASES	32		/* alsoKnownAs kept; the rest ignored */

/* A profile field: a PropertyValue attachment. Both raw HTML, unsanitised. */
struct ap_remote_field {
	char	*name;
	char	*value;
};

/*
 * A parsed actor. Every string is owned by the struct (freed by
 * ap_remote_actor_cleanup) and is NULL when the document did not give a
 * usable value, except those marked "never NULL". URLs are checked to be
 * absolute http(s) URLs (url.h); ones that are not are left out, not
 * refused, as Mastodon keeps going without them.
 */
struct ap_remote_actor {
	char	*id;			/* never NULL; its host is the fetched URL's */
	char	*type;			/* never NULL: Person, Service, Organization, Group or Application */
	char	*preferred_username;	/* never NULL; as sent (case kept) */
	char	*name;			/* display name, plain text as sent */
	char	*summary;		/* raw HTML, UNSANITISED: a later module cleans it */
	char	*url;			/* profile page; the id when absent or on another host */
	char	*inbox;			/* never NULL */
	char	*outbox;
	char	*shared_inbox;		/* endpoints.sharedInbox */
	char	*followers;
	char	*following;
	char	*featured;		/* pinned posts collection */
	char	*featured_tags;
	char	*public_key_id;		/* never NULL; on the id's host */
	char	*public_key_pem;	/* never NULL; PEM text as sent, not yet parsed */
	char	*icon_url;		/* avatar */
	char	*image_url;		/* header */
	char	*moved_to;
	char	*published;		/* as sent (ISO 8601 expected, not checked) */
	char	**also_known_as;	/* array of also_known_as_count URLs */
	size_t	 also_known_as_count;
	struct ap_remote_field *fields;	/* array of fields_count */
	size_t	 fields_count;
	int	 manually_approves_followers;	/* the booleans are 1 only for JSON true */
	int	 discoverable;
	int	 indexable;
	int	 suspended;
	int	 memorial;
	int	 bot;			/* type Service or Application */
};

/*
 * Parses body (len bytes, borrowed, need not be NUL-terminated) as the
 * actor document fetched from fetched_url (borrowed). The rules:
 * a JSON object of at most AP_REMOTE_ACTOR_MAX_BODY bytes; "id" an
 * absolute https URL (http too when allow_http) on the same host and port
 * as fetched_url; "type" (or one entry of a "type" array) an actor type;
 * a non-empty "inbox" URL; a "preferredUsername" without control
 * characters, spaces or '@'; a "publicKey" (object or array) whose owner is
 * the id and whose id is on the id's host. Unknown properties are ignored.
 * Returns 0 and fills out (caller's storage, overwritten; release with
 * ap_remote_actor_cleanup), or -1 with *reason set to a static text that
 * names the first rule broken; out is then empty (cleanup is harmless).
 * reason may be NULL.
 */
int	 ap_remote_actor_parse(const char *body, size_t len, const char *fetched_url,
	    int allow_http, struct ap_remote_actor *out, const char **reason);

/* Frees everything out owns and zeroes it. out may be NULL. */
void	 ap_remote_actor_cleanup(struct ap_remote_actor *out);

#endif
