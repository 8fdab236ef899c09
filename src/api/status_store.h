/*
 * What a composed post writes beside its own row, shared by posting and
 * editing: its mentions (and the notification of each local account newly
 * mentioned; mentions an edit took out go silent), its hashtags and its
 * media. Runs in the caller's transaction.
 */
#ifndef MEENT_API_STATUS_STORE_H
#define MEENT_API_STATUS_STORE_H

struct api_compose;
struct api_status_media;
struct db;

/*
 * Stores the mentions, hashtags and media of c for status id (text) by
 * author (text); with edit, also silences the mentions no longer there
 * and detaches the media no longer attached. 0, or -1 on a database
 * failure.
 */
int	 api_status_store_parts(struct db *db, const struct api_compose *c,
	    const struct api_status_media *media, const char *id, const char *author,
	    int edit);

#endif
