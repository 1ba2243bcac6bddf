/* core_config.h — authio's one INI configuration file.
 *
 * Every key has a default (documented in conf/authio.conf.sample, which a
 * test keeps in step with the table in core_config.c).  Unknown sections,
 * unknown keys and bad values are errors naming file, line and key.
 * Strings are malloc'd and owned by the struct; au_config_free() releases
 * them. */
#ifndef AU_CORE_CONFIG_H
#define AU_CORE_CONFIG_H

#include <stddef.h>

struct au_config {
	/* [server] */
	char *listen;          /* unix socket path or host:port */
	unsigned socket_mode;  /* octal permission of a unix socket */
	char *socket_group;    /* group owning the socket ("" = unchanged) */
	char *user, *group;    /* drop to these after binding ("" = stay) */
	int workers;           /* 0 = number of CPUs */
	int max_requests;      /* recycle a worker after this many; 0 = never */
	char *pid_file;        /* "" = none */
	char *base_url;        /* public URL prefix of every issuer */
	char *templates_dir;
	char *migrations_dir;
	int cache_ttl;         /* seconds a worker trusts cached realm data */
	int metadata_max_age;  /* Cache-Control max-age of discovery and JWKS */
	size_t max_body;       /* bytes; larger bodies get 413 */
	size_t max_field;      /* bytes of one form/query/header value */
	int max_json_depth;
	/* [database] */
	char *db_host;         /* "" with db_socket = unix socket */
	int db_port;
	char *db_socket;
	char *db_user, *db_password, *db_password_file, *db_name;
	int db_connect_timeout;
	/* [security] */
	char *master_key_file; /* 32 random bytes, hex-encoded */
	char *password_denylist;  /* common passwords, one a line */
	char *smtp_ca_file;       /* CAs trusted for SMTP STARTTLS, or "" */
	/* [log] */
	char *log_destination; /* stderr | syslog */
	char *log_level;       /* err | warn | info | debug */
};

/* Fills *cfg with every default. */
void au_config_defaults(struct au_config *cfg);
/* Reads path over the defaults. On failure returns AU_EINVAL or AU_EIO
 * and writes a message naming file, line and key into err. */
int au_config_load(struct au_config *cfg, const char *path, char *err,
    size_t errlen);
void au_config_free(struct au_config *cfg);
/* Reads [database] password_file (its first line) into db_password and
 * clears password_file, so the secret is read once, by whoever still may
 * (authiod's master before it drops privileges).  AU_OK; AU_EIO with a
 * message in err. */
int au_config_resolve_password(struct au_config *cfg, char *err,
    size_t errlen);

/* Writes every section and key with its default, as the sample file has
 * them (used by the test that keeps the sample complete). */
void au_config_dump_keys(void (*fn)(void *ctx, const char *section,
    const char *key), void *ctx);

#endif
