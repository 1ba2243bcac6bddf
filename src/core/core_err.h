/* core_err.h — the one status-code enum of authio.
 *
 * Every function that can fail returns int: AU_OK (0) on success or a
 * negative AU_E* code.  Not-found is its own code and is not an error
 * (OpenBSD's tri-state lookup): a caller tells "no such client" from "the
 * database is down" by the code alone.  Results go through out-parameters
 * that are written only on success. */
#ifndef AU_CORE_ERR_H
#define AU_CORE_ERR_H

enum au_status {
	AU_OK = 0,
	AU_ENOTFOUND = -1, /* the thing looked up does not exist */
	AU_EINVAL = -2,    /* bad input (caller's fault, a 4xx) */
	AU_EDUP = -3,      /* unique key already taken (409) */
	AU_EDB = -4,       /* database unavailable or failed (503) */
	AU_ECRYPTO = -5,   /* a cryptographic primitive failed or refused */
	AU_EIO = -6,       /* file or socket I/O failed */
	AU_ELIMIT = -7,    /* a size or depth limit was exceeded */
	AU_ECONFLICT = -8, /* state changed under us (lost race, If-Match) */
	AU_EDENIED = -9,   /* authentication or authorisation refused */
	AU_EINTERNAL = -10 /* a bug or an impossible state */
};

/* A short English name of a status code, for logs. Never NULL. */
const char *au_strerror(int status);

#endif
