/* db_tx.h — transactions with retry (included by db_conn.h). */
#ifndef AU_DB_TX_H
#define AU_DB_TX_H

struct au_db;

/* Runs fn inside BEGIN..COMMIT.  fn's non-AU_OK result rolls back and is
 * returned.  Deadlock (1213, also Galera certification failure), lock wait
 * timeout (1205) and a lost connection retry the whole transaction up to 5
 * times with a short random back-off; when retries run out the result is
 * AU_ECONFLICT.  fn must therefore be safe to run more than once and must
 * return a non-AU_OK status when a statement fails (any status will do: the
 * retry is decided by what the statement hit, not by fn's code).  A lost
 * connection during COMMIT itself is not retried (the commit may have
 * happened): AU_EDB.  Nested calls run fn inside the outer transaction. */
int au_db_tx(struct au_db *db, int (*fn)(struct au_db *db, void *arg),
    void *arg);

#endif
