/*
 * Local uploaded files: see media_store.h. Keys are checked again here on
 * every use, not trusted because we made them: the database could hold
 * anything by the time a key comes back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/media_store.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/rand.h"

#define MEDIA_MAX_SEGMENTS	4
#define MEDIA_DIR_MODE		0750
#define MEDIA_FILE_MODE		0640

int
api_media_key_valid(const char *key)
{
	size_t	 i, seglen = 0, segments = 1;

	if (key == NULL || *key == '\0' || strlen(key) >= API_MEDIA_KEY_MAX)
		return 0;
	for (i = 0; key[i] != '\0'; i++) {
		char c = key[i];

		if (c == '/') {
			if (seglen == 0 || ++segments > MEDIA_MAX_SEGMENTS)
				return 0;
			seglen = 0;
			continue;
		}
		/* A leading dot would allow "." and "..", and hidden files. */
		if (seglen == 0 && c == '.')
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '_' || c == '-'))
			return 0;
		seglen++;
	}
	return seglen > 0;
}

/* mkdir -p of media_dir/folder, one level at a time. 0 or -1 (logged). */
static int
media_mkdirs(const char *media_dir, const char *folder)
{
	char	*path = xasprintf("%s/%s", media_dir, folder);
	size_t	 base = strlen(media_dir);
	int	 rc = 0;

	if (mkdir(media_dir, MEDIA_DIR_MODE) == -1 && errno != EEXIST)
		rc = -1;
	for (size_t i = base + 1; rc == 0; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		char c = path[i];

		path[i] = '\0';
		if (mkdir(path, MEDIA_DIR_MODE) == -1 && errno != EEXIST)
			rc = -1;
		path[i] = c;
		if (c == '\0')
			break;
	}
	if (rc == -1)
		log_error("media_mkdir_failed", "path=%s error=\"%s\"", path, strerror(errno));
	free(path);
	return rc;
}

static int
media_write_all(int fd, const unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

char *
api_media_store_put(const char *media_dir, const char *folder, const char *ext,
    const void *data, size_t len)
{
	char	 name[33], *key, *path = NULL, *tmp = NULL;
	int	 fd = -1;

	rand_hex(name, 16);
	key = xasprintf("%s/%s.%s", folder, name, ext);
	if (!api_media_key_valid(key) || media_mkdirs(media_dir, folder) == -1)
		goto fail;
	path = xasprintf("%s/%s", media_dir, key);
	tmp = xasprintf("%s/%s/.%s.tmp", media_dir, folder, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, MEDIA_FILE_MODE);
	if (fd == -1 || media_write_all(fd, data, len) == -1 || close(fd) == -1) {
		log_error("media_write_failed", "path=%s error=\"%s\"", tmp, strerror(errno));
		fd = -1;
		unlink(tmp);
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1) {
		log_error("media_rename_failed", "path=%s error=\"%s\"", path, strerror(errno));
		unlink(tmp);
		goto fail;
	}
	free(path);
	free(tmp);
	return key;
fail:
	if (fd != -1)
		close(fd);
	free(path);
	free(tmp);
	free(key);
	return NULL;
}

void
api_media_store_remove(const char *media_dir, const char *key)
{
	char	*path;

	if (!api_media_key_valid(key))
		return;
	path = xasprintf("%s/%s", media_dir, key);
	if (unlink(path) == -1 && errno != ENOENT)
		log_warn("media_remove_failed", "path=%s error=\"%s\"", path, strerror(errno));
	free(path);
}

int
api_media_store_get(const char *media_dir, const char *key, size_t max,
    unsigned char **data, size_t *len)
{
	struct stat	 st;
	char		*path;
	unsigned char	*buf = NULL;
	size_t		 got = 0;
	int		 fd;

	*data = NULL;
	*len = 0;
	if (!api_media_key_valid(key))
		return -1;
	path = xasprintf("%s/%s", media_dir, key);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	free(path);
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
	    (unsigned long long)st.st_size > max)
		goto fail;
	buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		got += (size_t)n;
	}
	close(fd);
	*data = buf;
	*len = got;
	return 0;
fail:
	close(fd);
	free(buf);
	return -1;
}

static const struct {
	const char	*ext;
	const char	*type;
} media_types[] = {
	{ "png",	"image/png" },
	{ "jpg",	"image/jpeg" },
	{ "jpeg",	"image/jpeg" },
	{ "gif",	"image/gif" },
	{ "webp",	"image/webp" },
	{ "avif",	"image/avif" },
	{ "heic",	"image/heic" },
	{ "mp4",	"video/mp4" },
	{ "webm",	"video/webm" },
	{ "mov",	"video/quicktime" },
	{ "mp3",	"audio/mpeg" },
	{ "ogg",	"audio/ogg" },
	{ "oga",	"audio/ogg" },
	{ "m4a",	"audio/mp4" },
	{ "wav",	"audio/wav" },
	{ "flac",	"audio/flac" },
};

const char *
api_media_content_type(const char *key)
{
	const char	*dot = key != NULL ? strrchr(key, '.') : NULL;

	if (dot == NULL || strchr(dot, '/') != NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(media_types) / sizeof(media_types[0]); i++)
		if (strcmp(dot + 1, media_types[i].ext) == 0)
			return media_types[i].type;
	return NULL;
}
