/*
 * The media a post attaches (media_ids[] of POST and PUT
 * /api/v1/statuses), checked as Mastodon's validate_media! checks them:
 * at most four, the poster's own, not attached to another post, not a
 * video or sound among others, and done processing. Ids that are not the
 * poster's free media are dropped without a word, as Mastodon drops them.
 */
#ifndef MEENT_API_STATUS_MEDIA_H
#define MEENT_API_STATUS_MEDIA_H

#include <stddef.h>

struct http_req;
struct api_params;

#define API_STATUS_MEDIA_MAX	4	/* Status::MEDIA_ATTACHMENTS_LIMIT */

struct api_status_media {
	long long	 ids[API_STATUS_MEDIA_MAX];	/* ascending */
	size_t		 n;
	char		 array[API_STATUS_MEDIA_MAX * 21 + 3];	/* "{1,2}" for statements */
};

/*
 * Reads and checks the media of p for account (text id) posting status
 * (text id of the status being edited, or NULL for a new one) into out.
 * 0; or -1 after replying (422 with Mastodon's message, or a database
 * error).
 */
int	 api_status_media(struct http_req *req, const struct api_params *p,
	    const char *account, const char *status, struct api_status_media *out);

#endif
