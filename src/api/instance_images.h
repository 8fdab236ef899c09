/*
 * The default images meentd serves itself: Mastodon's missing avatar and
 * header (the Account entity links /avatars/original/missing.png and
 * /headers/original/missing.png when an account has none), the instance
 * thumbnail and the instance icons. The PNG files live in
 * web/static/images (drawn by generate.py there) and are compiled in by
 * instance_images.sh, so no deployment can lose them.
 */
#ifndef MEENT_API_INSTANCE_IMAGES_H
#define MEENT_API_INSTANCE_IMAGES_H

#include <stddef.h>

struct api_image {
	const char		*name;	/* file name in web/static/images */
	const unsigned char	*data;	/* the PNG bytes */
	size_t			 len;
};

/* The embedded image called name ("preview.png"), or NULL. Borrowed, static. */
const struct api_image *api_image_find(const char *name);

/* Where the images are, below the instance's base URL. */
#define API_IMAGE_PATH		"/images/"
#define API_IMAGE_THUMBNAIL	"preview.png"		/* 1200x630 */
#define API_IMAGE_THUMBNAIL_2X	"preview@2x.png"	/* 2400x1260 */
/* The thumbnail's BlurHash, as generate.py prints it. */
#define API_IMAGE_THUMBNAIL_BLURHASH	"L06uq^j]fQj]kCfQfQfQfQfQfQfQ"

#endif
