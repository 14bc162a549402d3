/* sweep_read.c — reads a file in big blocks and fingerprints it on the
 * side.
 *
 * FNV-1a is one multiply per byte in a dependency chain (about 1 ns/byte):
 * a third of a large load if done inline. A helper thread hashes each
 * block while the caller parses it; blocks are handed over through a small
 * ring, and a block is refilled only once both sides are done with it. If
 * the thread cannot be started, blocks are hashed inline (same result). */
#include "core/sweep_impl.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

enum { NBUF = 4, BLOCK = MS_SWEEP_BLOCK };

struct ms_sweep_reader {
    FILE *fp;
    unsigned char *buf[NBUF];
    size_t len[NBUF];
    size_t produced, consumed; /* blocks read / hashed so far */
    int eof, err, stop;
    uint64_t hash;
    int threaded;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

static void *hash_main(void *arg)
{
    ms_sweep_reader *r = arg;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (r->consumed == r->produced && !r->eof && !r->stop)
            pthread_cond_wait(&r->cv, &r->mu);
        if (r->stop || r->consumed == r->produced)
            break;
        size_t slot = r->consumed % NBUF;
        pthread_mutex_unlock(&r->mu);
        /* The reader never refills a slot before `consumed` passes it. */
        uint64_t h = fnv1a(r->hash, r->buf[slot], r->len[slot]);
        pthread_mutex_lock(&r->mu);
        r->hash = h;
        r->consumed++;
        pthread_cond_broadcast(&r->cv);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

ms_sweep_reader *ms_sweep_reader_new(FILE *fp)
{
    ms_sweep_reader *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->fp = fp;
    r->hash = UINT64_C(0xcbf29ce484222325);
    for (int i = 0; i < NBUF; i++)
        if (!(r->buf[i] = malloc(BLOCK + 1))) {
            ms_sweep_reader_free(r);
            return NULL;
        }
    if (pthread_mutex_init(&r->mu, NULL) == 0) {
        if (pthread_cond_init(&r->cv, NULL) == 0) {
            if (pthread_create(&r->th, NULL, hash_main, r) == 0) {
                r->threaded = 1;
                return r;
            }
            pthread_cond_destroy(&r->cv);
        }
        pthread_mutex_destroy(&r->mu);
    }
    return r; /* unthreaded: hashes inline */
}

const unsigned char *ms_sweep_reader_next(ms_sweep_reader *r, size_t *len)
{
    *len = 0;
    if (r->eof)
        return NULL;
    size_t i = r->produced, slot = i % NBUF;
    if (r->threaded) {
        /* Slot `slot` was last handed out as block i - NBUF: wait until it
         * is hashed. The caller is done with it (it asked for more). */
        pthread_mutex_lock(&r->mu);
        while (r->consumed + NBUF <= i)
            pthread_cond_wait(&r->cv, &r->mu);
        pthread_mutex_unlock(&r->mu);
    }
    size_t n = fread(r->buf[slot], 1, BLOCK, r->fp);
    if (n < BLOCK && ferror(r->fp))
        r->err = errno ? errno : EIO;
    r->buf[slot][n] = 0;
    r->len[slot] = n;
    if (r->threaded)
        pthread_mutex_lock(&r->mu);
    if (n > 0)
        r->produced++;
    if (n < BLOCK)
        r->eof = 1;
    if (r->threaded) {
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
    } else if (n > 0) {
        r->hash = fnv1a(r->hash, r->buf[slot], n);
        r->consumed++;
    }
    *len = n;
    return n ? r->buf[slot] : NULL;
}

int ms_sweep_reader_finish(ms_sweep_reader *r, uint64_t *fingerprint)
{
    if (r->threaded) {
        pthread_mutex_lock(&r->mu);
        while (r->consumed < r->produced)
            pthread_cond_wait(&r->cv, &r->mu);
        pthread_mutex_unlock(&r->mu);
    }
    *fingerprint = r->hash;
    return r->err;
}

void ms_sweep_reader_free(ms_sweep_reader *r)
{
    if (!r)
        return;
    if (r->threaded) {
        pthread_mutex_lock(&r->mu);
        r->stop = 1;
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
        pthread_join(r->th, NULL);
        pthread_cond_destroy(&r->cv);
        pthread_mutex_destroy(&r->mu);
    }
    for (int i = 0; i < NBUF; i++)
        free(r->buf[i]);
    free(r);
}
