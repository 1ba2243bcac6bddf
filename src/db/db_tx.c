/* db_tx.c — BEGIN..COMMIT around a function, retried when the server
 * throws the transaction away.
 *
 * InnoDB resolves a deadlock by rolling back one transaction, Galera
 * reports a certification conflict the same way (1213), and a lock wait
 * timeout (1205) or a lost connection leaves the transaction unusable too.
 * In all of these the right thing is to run the whole function again, a
 * few times, after a short random pause so that two contenders do not
 * collide again in lockstep.  Whether to retry is decided by what the
 * statements hit (db_conn.c records it), not by the code fn returns, so a
 * store function may translate errors as it likes. */
#include <time.h>

#include <errmsg.h>

#include "core/core_err.h"
#include "core/core_log.h"
#include "core/core_rand.h"
#include "db/db_conn.h"

#define TX_ATTEMPTS 5
#define BACKOFF_MIN_MS 5
#define BACKOFF_MAX_MS 50

static void
backoff(void)
{
	unsigned char r;
	struct timespec ts;
	long ms;

	au_rand_bytes(&r, 1);
	ms = BACKOFF_MIN_MS + r % (BACKOFF_MAX_MS - BACKOFF_MIN_MS + 1);
	ts.tv_sec = 0;
	ts.tv_nsec = ms * 1000000L;
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* COMMIT on a connection that dies mid-command may or may not have
 * committed: that one must not be run again. */
static int
commit(struct au_db *db)
{
	int rc = au_db_exec(db, "COMMIT", NULL, 0, NULL);

	if (rc != AU_OK && au_db_errno(db) == CR_SERVER_LOST) {
		au_log_err("db: connection lost during COMMIT; "
		    "the transaction's outcome is unknown");
		(void)au_db_take_retry(db);
		return AU_EDB;
	}
	return rc;
}

/* One attempt: AU_OK committed, AU_DB_ERETRY to try again, else fn's or
 * the server's error after a rollback.  *why gets the mysql error behind a
 * retry, 0 when fn asked for it by returning AU_DB_ERETRY. */
static int
tx_once(struct au_db *db, int (*fn)(struct au_db *, void *), void *arg,
    unsigned *why)
{
	int rc, retry;

	rc = au_db_exec(db, "START TRANSACTION", NULL, 0, NULL);
	if (rc != AU_OK)
		return rc;
	au_db_set_in_tx(db, 1);
	rc = fn(db, arg);
	retry = au_db_take_retry(db);
	/* fn may have swallowed an error that already ended the transaction
	 * on the server: never commit what is left of it */
	if (rc == AU_OK && retry)
		rc = AU_DB_ERETRY;
	if (rc == AU_OK) {
		rc = commit(db);
		retry = au_db_take_retry(db);
	}
	*why = retry ? au_db_errno(db) : 0;
	if (rc != AU_OK)
		(void)au_db_exec(db, "ROLLBACK", NULL, 0, NULL);
	au_db_set_in_tx(db, 0);
	return rc != AU_OK && retry ? AU_DB_ERETRY : rc;
}

int
au_db_tx(struct au_db *db, int (*fn)(struct au_db *db, void *arg),
    void *arg)
{
	unsigned why = 0;
	int attempt, rc;

	if (au_db_in_tx(db))
		return fn(db, arg);
	for (attempt = 1;; attempt++) {
		rc = tx_once(db, fn, arg, &why);
		if (rc != AU_DB_ERETRY)
			return rc;
		if (attempt == TX_ATTEMPTS)
			break;
		au_log_info("db: transaction retry %d (mysql error %u)",
		    attempt, why);
		backoff();
	}
	au_log_warn("db: transaction abandoned after %d attempts (mysql "
	    "error %u)", TX_ATTEMPTS, why);
	return AU_ECONFLICT;
}
