/*
 * A local actor's collections, laid out as Mastodon lays them out: the
 * outbox (app/controllers/activitypub/outboxes_controller.rb, paged by
 * max_id/min_id), followers and following (follower_accounts_controller,
 * paged by number; totals only when collections_show_items is no, as for
 * a Mastodon user who hides their network), and the featured (pinned)
 * statuses and featured tags. ActivityPub JSON only: the HTML pages of
 * these come with the public web. Signed requests only in authorized-fetch
 * mode.
 */
#ifndef MEENT_AP_COLLECTIONS_H
#define MEENT_AP_COLLECTIONS_H

struct http_req;

/* Items per page of the outbox, followers and following. */
#define AP_COLLECTION_PAGE	20

void	 ap_collection_outbox_get(struct http_req *req);	/* .../outbox */
void	 ap_collection_followers_get(struct http_req *req);	/* .../followers */
void	 ap_collection_following_get(struct http_req *req);	/* .../following */
void	 ap_collection_featured_get(struct http_req *req);	/* .../collections/featured */
void	 ap_collection_tags_get(struct http_req *req);		/* .../collections/tags */

#endif
