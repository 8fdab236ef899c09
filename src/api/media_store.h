/*
 * Local files that clients upload (avatars, headers), kept under the
 * configured media_dir and named by keys we make ourselves:
 * "<folder>/<32 random hex digits>.<ext>", served at /system/<key>. A key
 * is only ever [a-z0-9._-] segments joined by '/', none starting with a
 * dot, so no key, made here or arriving in a URL, can leave media_dir.
 */
#ifndef MEENT_API_MEDIA_STORE_H
#define MEENT_API_MEDIA_STORE_H

#include <stddef.h>

#define API_MEDIA_KEY_MAX	200	/* bytes of a key, terminated */

/*
 * 1 when key is a well-formed storage key (see above), 1 to 4 segments,
 * at most API_MEDIA_KEY_MAX - 1 bytes; else 0.
 */
int	 api_media_key_valid(const char *key);

/*
 * Writes the len bytes at data to a new file under media_dir/folder
 * (folder is ours, e.g. "accounts/avatars"; created if missing) with a
 * random name ending in ".ext", atomically (a temporary file renamed into
 * place). Returns the key (new), or NULL with the failure logged.
 */
char	*api_media_store_put(const char *media_dir, const char *folder, const char *ext,
	    const void *data, size_t len);

/* Removes the file of key, if key is valid; failures are only logged. */
void	 api_media_store_remove(const char *media_dir, const char *key);

/*
 * Reads the file of key (which must be valid) into *data (new) and *len,
 * refusing anything that is not a regular file, a symbolic link, or over
 * max bytes. 0; -1 when there is no such file (or it is refused).
 */
int	 api_media_store_get(const char *media_dir, const char *key, size_t max,
	    unsigned char **data, size_t *len);

/* The Content-Type for a key by its extension (ours), or NULL if unknown. */
const char *api_media_content_type(const char *key);

#endif
