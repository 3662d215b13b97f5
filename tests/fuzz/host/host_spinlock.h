/* include/spinlock.h for the device fuzzer (-DHOST_ARCH): one host thread
 * runs every simulated CPU and switches only where the code waits (WFE),
 * so a lock found taken is one that would never be released on hardware
 * either (taken twice, or held across a wait): it stops the run, as does
 * releasing a lock that is not held. */
#pragma once
void host_lock_error(const char *what);

static inline void spin_lock(spinlock_t *l)
{
	if (l->v)
		host_lock_error("lock taken while held: a deadlock on hardware");
	l->v = 1;
}

static inline void spin_unlock(spinlock_t *l)
{
	if (!l->v)
		host_lock_error("lock released while not held");
	l->v = 0;
}

static inline void spin_assert_held(const spinlock_t *l)
{
	if (!l->v)
		host_lock_error("state touched without its lock");
}
