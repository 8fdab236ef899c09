/*
 * The Instance entity, as Mastodon 4.3 serves it at /api/v2/instance
 * (docs.joinmastodon.org/entities/Instance) and in its older form at
 * /api/v1/instance (entities/V1_Instance). Apps read it before anything
 * else: the version gates their features, the configuration sets the
 * limits of their composer, and a missing or null field crashes some of
 * them (Mastonaut on an empty thumbnail), so every field Mastodon always
 * sends is always here.
 */
#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#include "api/api.h"
#include "api/entity.h"
#include "api/instance_images.h"
#include "api/instance_internal.h"
#include "api/instance_routes.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/str.h"

/*
 * A Mastodon version first, so apps that compare versions (Ivory, Ice
 * Cubes, Elk) turn on what Mastodon 4.3 has; then who we really are, in
 * the form other compatible servers use.
 */
#define INSTANCE_VERSION	"4.3.0 (compatible; Meent " MEENT_VERSION ")"
/* Mastodon 4.3's api_versions.mastodon (lib/mastodon/version.rb). */
#define INSTANCE_API_VERSION	2
/* The project's repository: the url of publiccode.yml, as NodeInfo's. */
#define INSTANCE_SOURCE_URL	"https://github.com/meent/meent"
/* Seconds shared caches may keep the entity (Mastodon: 3 minutes). */
#define INSTANCE_MAX_AGE	180

/* Mastodon 4.3's limits (MediaAttachment, Attachmentable, the validators). */
#define MEDIA_IMAGE_SIZE_LIMIT		16777216	/* 16 MiB */
#define MEDIA_IMAGE_MATRIX_LIMIT	33177600	/* 7680 x 4320 */
#define MEDIA_VIDEO_SIZE_LIMIT		103809024	/* 99 MiB */
#define MEDIA_VIDEO_FRAME_RATE_LIMIT	120
#define MEDIA_VIDEO_MATRIX_LIMIT	8294400		/* 3840 x 2160 */
#define MEDIA_DESCRIPTION_LIMIT		1500
#define STATUS_MAX_MEDIA		4
#define STATUS_URL_CHARS		23	/* a URL counts as this many characters */
#define ACCOUNT_MAX_FEATURED_TAGS	10
#define ACCOUNT_MAX_PINNED		5
#define POLL_MAX_OPTIONS		4
#define POLL_MAX_OPTION_CHARS		50
#define POLL_MIN_EXPIRATION		300		/* 5 minutes */
#define POLL_MAX_EXPIRATION		2629746		/* a month */

/* MediaAttachment.supported_mime_types of Mastodon 4.3, in its order. */
static const char *const media_mime_types[] = {
	"image/jpeg", "image/png", "image/gif", "image/heic", "image/heif",
	"image/webp", "image/avif",
	"video/webm", "video/mp4", "video/quicktime", "video/ogg",
	"audio/wave", "audio/wav", "audio/x-wav", "audio/x-pn-wave", "audio/vnd.wave",
	"audio/ogg", "audio/vorbis", "audio/mpeg", "audio/mp3", "audio/webm",
	"audio/flac", "audio/aac", "audio/m4a", "audio/x-m4a", "audio/mp4",
	"audio/3gpp", "video/x-ms-asf",
};

/* SiteUpload::ANDROID_ICON_SIZES: the sizes of Instance.icon. */
static const int icon_sizes[] = { 36, 48, 72, 96, 144, 192, 256, 384, 512 };

/* What the entities take from the database. */
struct instance_facts {
	long long	 users;		/* local accounts, as NodeInfo's total */
	long long	 active_month;	/* of those, with a status in 30 days */
	long long	 local_posts;	/* their statuses, as NodeInfo's localPosts */
	long long	 domains;	/* other servers we know accounts of */
	json_t		*rules;		/* new: Rule entities */
	json_t		*contact;	/* new: the contact Account, or null */
};

static long long
facts_num(const PGresult *res, int col)
{
	long long v = 0;

	if (!PQgetisnull(res, 0, col))
		(void)str_to_ll(PQgetvalue(res, 0, col), 0, (long long)1 << 62, &v);
	return v;
}

static void
facts_cleanup(struct instance_facts *f)
{
	json_decref(f->rules);
	json_decref(f->contact);
}

/* Loads f. 0, or -1 after a database failure (f cleaned up). */
static int
facts_load(struct http_req *req, struct instance_facts *f)
{
	PGresult	*usage = NULL, *facts = NULL;
	long long	 contact_id = 0;
	int		 rc = -1;

	memset(f, 0, sizeof(*f));
	usage = DB_EXEC0(req->req_db, STMT_AP_NODEINFO_USAGE);
	if (usage == NULL || PQntuples(usage) != 1)
		goto out;
	facts = DB_EXEC0(req->req_db, STMT_API_INSTANCE_FACTS);
	if (facts == NULL || PQntuples(facts) != 1)
		goto out;
	f->users = facts_num(usage, 0);
	f->active_month = facts_num(usage, 1);
	f->local_posts = facts_num(usage, 3);
	f->domains = facts_num(facts, 2);
	f->rules = json_loads(PQgetvalue(facts, 0, 0), 0, NULL);
	if (f->rules == NULL)
		goto out;
	contact_id = facts_num(facts, 1);
	if (contact_id != 0 && api_account_render(req, contact_id, &f->contact) == -1)
		goto out;
	if (f->contact == NULL)
		f->contact = json_null();
	rc = 0;
out:
	PQclear(usage);
	PQclear(facts);
	if (rc == -1)
		facts_cleanup(f);
	return rc;
}

static json_t *
instance_mime_types(void)
{
	json_t	*arr = json_array();

	for (size_t i = 0; i < sizeof(media_mime_types) / sizeof(media_mime_types[0]); i++)
		json_array_append_new(arr, json_string(media_mime_types[i]));
	return arr;
}

/*
 * The limits both versions share: accounts, statuses, media_attachments
 * and polls. v2 adds what Mastodon 4.3 added to the v2 entity only
 * (max_pinned_statuses) and the media description limit, which 4.4
 * documents and which we enforce anyway.
 */
static json_t *
instance_limits(const struct config *cfg, int v2)
{
	json_t	*c;

	c = json_pack("{s:{s:i},s:{s:I,s:i,s:i},s:{s:o,s:i,s:i,s:i,s:i,s:i},s:{s:i,s:i,s:i,s:i}}",
	    "accounts", "max_featured_tags", ACCOUNT_MAX_FEATURED_TAGS,
	    "statuses", "max_characters", (json_int_t)cfg->max_status_chars,
	    "max_media_attachments", STATUS_MAX_MEDIA,
	    "characters_reserved_per_url", STATUS_URL_CHARS,
	    "media_attachments", "supported_mime_types", instance_mime_types(),
	    "image_size_limit", MEDIA_IMAGE_SIZE_LIMIT,
	    "image_matrix_limit", MEDIA_IMAGE_MATRIX_LIMIT,
	    "video_size_limit", MEDIA_VIDEO_SIZE_LIMIT,
	    "video_frame_rate_limit", MEDIA_VIDEO_FRAME_RATE_LIMIT,
	    "video_matrix_limit", MEDIA_VIDEO_MATRIX_LIMIT,
	    "polls", "max_options", POLL_MAX_OPTIONS,
	    "max_characters_per_option", POLL_MAX_OPTION_CHARS,
	    "min_expiration", POLL_MIN_EXPIRATION,
	    "max_expiration", POLL_MAX_EXPIRATION);
	if (c != NULL && v2) {
		json_object_set_new(json_object_get(c, "accounts"), "max_pinned_statuses",
		    json_integer(ACCOUNT_MAX_PINNED));
		json_object_set_new(json_object_get(c, "media_attachments"),
		    "description_limit", json_integer(MEDIA_DESCRIPTION_LIMIT));
	}
	return c;
}

/*
 * The streaming API's URL. There is no streaming server yet, but apps
 * (Ivory, Tusky) need a string here, so it is where Mastodon puts it by
 * default: the web host with ws(s)://. Until streaming exists a
 * connection there fails and the apps fall back to polling.
 */
static const char *
instance_streaming_url(const struct http_req *req, char *buf, size_t bufsz)
{
	const struct config *cfg = &req->req_meent->cfg;

	snprintf(buf, bufsz, "%s://%s",
	    cfg->allow_insecure_http_for_development ? "ws" : "wss", cfg->domain);
	return buf;
}

/* Instance.icon: every Android size, all the same plain square for now. */
static json_t *
instance_icons(const char *base)
{
	json_t	*arr = json_array();
	char	 src[400], size[16];

	for (size_t i = 0; i < sizeof(icon_sizes) / sizeof(icon_sizes[0]); i++) {
		snprintf(src, sizeof(src), "%s" API_IMAGE_PATH "android-chrome-%dx%d.png",
		    base, icon_sizes[i], icon_sizes[i]);
		snprintf(size, sizeof(size), "%dx%d", icon_sizes[i], icon_sizes[i]);
		json_array_append_new(arr, json_pack("{s:s,s:s}", "src", src, "size", size));
	}
	return arr;
}

/*
 * The description, short and long. There is no setting for them yet, and
 * Mastodon's default for both is the empty string.
 */
static const char *
instance_description(const struct config *cfg)
{
	(void)cfg;
	return "";
}

/* GET /api/v2/instance */
void
api_instance_v2_get(struct http_req *req)
{
	const struct config *cfg = &req->req_meent->cfg;
	struct instance_facts f;
	json_t		*config, *body;
	char		 base[300], thumb[400], thumb2[400], stream[300];

	if (api_public_begin(req) == -1)
		return;
	if (facts_load(req, &f) == -1) {
		http_reply_db_error(req);
		return;
	}
	api_base(req, base, sizeof(base));
	snprintf(thumb, sizeof(thumb), "%s" API_IMAGE_PATH API_IMAGE_THUMBNAIL, base);
	snprintf(thumb2, sizeof(thumb2), "%s" API_IMAGE_PATH API_IMAGE_THUMBNAIL_2X, base);
	config = instance_limits(cfg, 1);
	if (config != NULL) {
		/* status: the status page URL, which we do not have (nullable).
		 * vapid: Web Push does not exist yet; the key is a string in
		 * Mastodon's entity, so an empty one rather than null. */
		json_object_set_new(config, "urls", json_pack("{s:s,s:n}",
		    "streaming", instance_streaming_url(req, stream, sizeof(stream)),
		    "status"));
		json_object_set_new(config, "vapid", json_pack("{s:s}", "public_key", ""));
		json_object_set_new(config, "translation", json_pack("{s:b}", "enabled", 0));
	}
	body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:{s:{s:I}},"
	    "s:{s:s,s:s,s:{s:s,s:s}},s:o,s:[s],s:o,s:{s:b,s:b,s:n,s:n},"
	    "s:{s:i},s:{s:s,s:O},s:O}",
	    "domain", cfg->domain,
	    "title", cfg->instance_name,
	    "version", INSTANCE_VERSION,
	    "source_url", INSTANCE_SOURCE_URL,
	    "description", instance_description(cfg),
	    "usage", "users", "active_month", (json_int_t)f.active_month,
	    "thumbnail", "url", thumb, "blurhash", API_IMAGE_THUMBNAIL_BLURHASH,
	    "versions", "@1x", thumb, "@2x", thumb2,
	    "icon", instance_icons(base),
	    /* Mastodon: [the default locale]; ours is English until the
	     * pages are translated. */
	    "languages", "en",
	    "configuration", config,
	    /* Accounts are made by the operator (meentctl), never by sign-up. */
	    "registrations", "enabled", 0, "approval_required", 0, "message", "url",
	    "api_versions", "mastodon", INSTANCE_API_VERSION,
	    "contact", "email", cfg->contact_email, "account", f.contact,
	    "rules", f.rules);
	facts_cleanup(&f);
	api_public_reply(req, body, INSTANCE_MAX_AGE);
}

/* GET /api/v1/instance: the entity of Mastodon before 4.0, still served. */
void
api_instance_v1_get(struct http_req *req)
{
	const struct config *cfg = &req->req_meent->cfg;
	struct instance_facts f;
	json_t		*body;
	char		 base[300], thumb[400], stream[300];

	if (api_public_begin(req) == -1)
		return;
	if (facts_load(req, &f) == -1) {
		http_reply_db_error(req);
		return;
	}
	api_base(req, base, sizeof(base));
	snprintf(thumb, sizeof(thumb), "%s" API_IMAGE_PATH API_IMAGE_THUMBNAIL, base);
	body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:{s:s},s:{s:I,s:I,s:I},"
	    "s:s,s:[s],s:b,s:b,s:b,s:o,s:O,s:O}",
	    "uri", cfg->domain,
	    "title", cfg->instance_name,
	    "short_description", instance_description(cfg),
	    "description", instance_description(cfg),
	    "email", cfg->contact_email,
	    "version", INSTANCE_VERSION,
	    "urls", "streaming_api", instance_streaming_url(req, stream, sizeof(stream)),
	    "stats", "user_count", (json_int_t)f.users,
	    "status_count", (json_int_t)f.local_posts,
	    "domain_count", (json_int_t)f.domains,
	    "thumbnail", thumb,
	    "languages", "en",
	    "registrations", 0, "approval_required", 0, "invites_enabled", 0,
	    "configuration", instance_limits(cfg, 0),
	    "contact_account", f.contact,
	    "rules", f.rules);
	facts_cleanup(&f);
	api_public_reply(req, body, INSTANCE_MAX_AGE);
}
