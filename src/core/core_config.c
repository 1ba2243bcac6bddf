/* core_config.c — table-driven INI parser with named errors.
 *
 * Grammar: "[section]" lines, "key = value" lines, "#" or ";" comments on
 * their own lines, blank lines.  Values are taken verbatim after trimming
 * outer whitespace; an optional pair of double quotes is removed. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/core_config.h"
#include "core/core_err.h"

enum kind { K_STR, K_INT, K_SIZE, K_MODE, K_CHOICE, K_URL };

struct key {
	const char *section, *name;
	enum kind kind;
	size_t off;
	const char *def;
	long long min, max;  /* K_INT, K_SIZE */
	const char *choices; /* K_CHOICE: "a|b|c" */
};

#define O(f) offsetof(struct au_config, f)

static const struct key keys[] = {
	{ "server", "listen", K_STR, O(listen), "/run/authio/authiod.sock", 0, 0, NULL },
	{ "server", "socket_mode", K_MODE, O(socket_mode), "0660", 0, 0777, NULL },
	{ "server", "socket_group", K_STR, O(socket_group), "", 0, 0, NULL },
	{ "server", "user", K_STR, O(user), "", 0, 0, NULL },
	{ "server", "group", K_STR, O(group), "", 0, 0, NULL },
	{ "server", "workers", K_INT, O(workers), "0", 0, 256, NULL },
	{ "server", "max_requests", K_INT, O(max_requests), "100000", 0, INT_MAX, NULL },
	{ "server", "pid_file", K_STR, O(pid_file), "", 0, 0, NULL },
	{ "server", "base_url", K_URL, O(base_url), "http://127.0.0.1:8080", 0, 0, NULL },
	{ "server", "templates_dir", K_STR, O(templates_dir), AU_DEFAULT_TEMPLATES_DIR, 0, 0, NULL },
	{ "server", "migrations_dir", K_STR, O(migrations_dir), AU_DEFAULT_MIGRATIONS_DIR, 0, 0, NULL },
	{ "server", "cache_ttl", K_INT, O(cache_ttl), "5", 0, 3600, NULL },
	{ "server", "metadata_max_age", K_INT, O(metadata_max_age), "300", 0, 86400, NULL },
	{ "server", "max_body", K_SIZE, O(max_body), "1048576", 1024, 64 * 1024 * 1024, NULL },
	{ "server", "max_field", K_SIZE, O(max_field), "8192", 256, 1024 * 1024, NULL },
	{ "server", "max_json_depth", K_INT, O(max_json_depth), "16", 2, 64, NULL },
	{ "database", "host", K_STR, O(db_host), "", 0, 0, NULL },
	{ "database", "port", K_INT, O(db_port), "3306", 1, 65535, NULL },
	{ "database", "socket", K_STR, O(db_socket), "/run/mysqld/mysqld.sock", 0, 0, NULL },
	{ "database", "user", K_STR, O(db_user), "authio", 0, 0, NULL },
	{ "database", "password", K_STR, O(db_password), "", 0, 0, NULL },
	{ "database", "password_file", K_STR, O(db_password_file), "", 0, 0, NULL },
	{ "database", "name", K_STR, O(db_name), "authio", 0, 0, NULL },
	{ "database", "connect_timeout", K_INT, O(db_connect_timeout), "5", 1, 600, NULL },
	{ "security", "master_key_file", K_STR, O(master_key_file), "/etc/authio/master.key", 0, 0, NULL },
	{ "security", "password_denylist", K_STR, O(password_denylist), AU_DEFAULT_DENYLIST, 0, 0, NULL },
	{ "security", "smtp_ca_file", K_STR, O(smtp_ca_file), "", 0, 0, NULL },
	{ "log", "destination", K_CHOICE, O(log_destination), "stderr", 0, 0, "stderr|syslog" },
	{ "log", "level", K_CHOICE, O(log_level), "info", 0, 0, "err|warn|info|debug" },
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static int
choice_ok(const char *choices, const char *v)
{
	size_t n = strlen(v);
	const char *p = choices;

	while (*p != '\0') {
		const char *bar = strchr(p, '|');
		size_t len = bar != NULL ? (size_t)(bar - p) : strlen(p);

		if (len == n && strncmp(p, v, n) == 0)
			return 1;
		if (bar == NULL)
			break;
		p = bar + 1;
	}
	return 0;
}

/* Stores value v into the field of k; returns a reason on failure. */
static const char *
set_value(struct au_config *cfg, const struct key *k, const char *v)
{
	char *field = (char *)cfg + k->off;
	char *end;
	long long n;

	switch (k->kind) {
	case K_URL:
		if (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0)
			return "must start with http:// or https://";
		if (strchr(v, '?') != NULL || strchr(v, '#') != NULL)
			return "must not have a query or fragment";
		/* FALLTHROUGH */
	case K_STR:
	case K_CHOICE:
		if (k->kind == K_CHOICE && !choice_ok(k->choices, v))
			return k->choices;
		free(*(char **)field);
		*(char **)field = strdup(v);
		if (*(char **)field == NULL)
			return "out of memory";
		if (k->kind == K_URL) {
			/* the issuer is base_url + "/realms/..": no trailing slash */
			char *s = *(char **)field;
			size_t len = strlen(s);

			while (len > 8 && s[len - 1] == '/')
				s[--len] = '\0';
		}
		return NULL;
	case K_INT:
	case K_SIZE:
	case K_MODE:
		errno = 0;
		n = strtoll(v, &end, k->kind == K_MODE ? 8 : 10);
		if (*v == '\0' || *end != '\0' || errno != 0)
			return k->kind == K_MODE ? "must be an octal number" :
			    "must be a whole number";
		if (n < k->min || n > k->max)
			return "out of range";
		if (k->kind == K_INT)
			*(int *)field = (int)n;
		else if (k->kind == K_SIZE)
			*(size_t *)field = (size_t)n;
		else
			*(unsigned *)field = (unsigned)n;
		return NULL;
	}
	return "unknown kind";
}

void
au_config_defaults(struct au_config *cfg)
{
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < NKEYS; i++)
		(void)set_value(cfg, &keys[i], keys[i].def);
}

void
au_config_free(struct au_config *cfg)
{
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		if (keys[i].kind == K_STR || keys[i].kind == K_CHOICE ||
		    keys[i].kind == K_URL) {
			char **f = (char **)((char *)cfg + keys[i].off);

			free(*f);
			*f = NULL;
		}
	}
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static const struct key *
find_key(const char *section, const char *name, int *section_known)
{
	size_t i;

	*section_known = 0;
	for (i = 0; i < NKEYS; i++) {
		if (strcmp(keys[i].section, section) != 0)
			continue;
		*section_known = 1;
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	}
	return NULL;
}

/* Handles one non-blank, non-comment line. */
static int
parse_line(struct au_config *cfg, char *line, char *section, size_t seclen,
    const char *path, int lineno, char *err, size_t errlen)
{
	const struct key *k;
	char *eq, *name, *value;
	const char *why;
	int known;

	if (line[0] == '[') {
		char *close = strchr(line, ']');

		if (close == NULL || close[1] != '\0') {
			snprintf(err, errlen, "%s:%d: malformed section header",
			    path, lineno);
			return AU_EINVAL;
		}
		*close = '\0';
		snprintf(section, seclen, "%s", trim(line + 1));
		(void)find_key(section, "", &known);
		if (!known) {
			snprintf(err, errlen, "%s:%d: unknown section [%s]", path,
			    lineno, section);
			return AU_EINVAL;
		}
		return AU_OK;
	}
	eq = strchr(line, '=');
	if (eq == NULL) {
		snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
		return AU_EINVAL;
	}
	*eq = '\0';
	name = trim(line);
	value = trim(eq + 1);
	if (section[0] == '\0') {
		snprintf(err, errlen, "%s:%d: key %s outside any [section]", path,
		    lineno, name);
		return AU_EINVAL;
	}
	k = find_key(section, name, &known);
	if (k == NULL) {
		snprintf(err, errlen, "%s:%d: unknown key %s in [%s]", path,
		    lineno, name, section);
		return AU_EINVAL;
	}
	if (strlen(value) >= 2 && value[0] == '"' &&
	    value[strlen(value) - 1] == '"') {
		value[strlen(value) - 1] = '\0';
		value++;
	}
	why = set_value(cfg, k, value);
	if (why != NULL) {
		snprintf(err, errlen, "%s:%d: [%s] %s = \"%s\": %s%s", path,
		    lineno, section, name, value,
		    k->kind == K_CHOICE ? "must be one of " : "", why);
		return AU_EINVAL;
	}
	return AU_OK;
}

int
au_config_load(struct au_config *cfg, const char *path, char *err,
    size_t errlen)
{
	char line[4096], section[64] = "";
	int lineno = 0, rc = AU_OK;
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return AU_EIO;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *s;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "%s:%d: line too long", path, lineno);
			rc = AU_EINVAL;
			break;
		}
		s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		rc = parse_line(cfg, s, section, sizeof(section), path, lineno,
		    err, errlen);
		if (rc != AU_OK)
			break;
	}
	fclose(f);
	return rc;
}

int
au_config_resolve_password(struct au_config *cfg, char *err, size_t errlen)
{
	char line[1024];
	FILE *f;

	if (cfg->db_password_file[0] == '\0')
		return AU_OK;
	f = fopen(cfg->db_password_file, "r");
	if (f == NULL) {
		snprintf(err, errlen, "[database] password_file %s: %s",
		    cfg->db_password_file, strerror(errno));
		return AU_EIO;
	}
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	free(cfg->db_password);
	cfg->db_password = strdup(line);
	OPENSSL_cleanse(line, sizeof(line));
	free(cfg->db_password_file);
	cfg->db_password_file = strdup("");
	if (cfg->db_password == NULL || cfg->db_password_file == NULL)
		abort();
	return AU_OK;
}

void
au_config_dump_keys(void (*fn)(void *ctx, const char *section,
    const char *key), void *ctx)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		fn(ctx, keys[i].section, keys[i].name);
}
