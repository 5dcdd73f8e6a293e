/* copyup.c - the tmpcopyup mount option (runc and crun): a tmpfs mounted on a directory gets a
 * copy of what the directory held. The source is an fd of the covered directory, opened before
 * the mount; the copy keeps types, modes, owners, symlinks and device nodes (as runc's
 * fileutils.CopyDirectory: no timestamps, no xattrs, hard links become copies). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "init.h"

static int copy_file(int src, int dst, const char *name)
{
	int in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return -1;
	int out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0) {
		close(in);
		return -1;
	}
	char buf[65536];
	ssize_t n;
	int r = 0;
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -1;
			break;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				r = -1;
				break;
			}
			off += w;
		}
		if (r < 0)
			break;
	}
	int e = errno;
	close(in);
	close(out);
	errno = e;
	return r;
}

/* Copies the entries of directory src into directory dst; path names src for errors. */
static void copy_tree(int src, int dst, const char *path)
{
	int dfd = dup(src);
	DIR *d = dfd < 0 ? NULL : fdopendir(dfd);
	if (!d)
		fail_errno("tmpcopyup: read %s", path);
	rewinddir(d);
	struct dirent *e;
	while ((errno = 0, e = readdir(d)) != NULL) {
		const char *name = e->d_name;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		char sub[PATH_MAX];
		snprintf(sub, sizeof(sub), "%s/%s", strcmp(path, "/") ? path : "", name);
		struct stat st;
		if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			fail_errno("tmpcopyup: stat %s", sub);
		if (S_ISDIR(st.st_mode)) {
			if (mkdirat(dst, name, 0700) < 0)
				fail_errno("tmpcopyup: mkdir %s", sub);
			int s = openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			int t = openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (s < 0 || t < 0)
				fail_errno("tmpcopyup: open %s", sub);
			copy_tree(s, t, sub);
			close(s);
			close(t);
		} else if (S_ISREG(st.st_mode)) {
			if (copy_file(src, dst, name) < 0)
				fail_errno("tmpcopyup: copy %s", sub);
		} else if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlinkat(src, name, target, sizeof(target) - 1);
			if (n < 0)
				fail_errno("tmpcopyup: readlink %s", sub);
			target[n] = 0;
			if (symlinkat(target, dst, name) < 0)
				fail_errno("tmpcopyup: symlink %s", sub);
		} else if (mknodat(dst, name, st.st_mode, st.st_rdev) < 0) {
			fail_errno("tmpcopyup: mknod %s", sub);
		}
		if (fchownat(dst, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
			fail_errno("tmpcopyup: chown %s", sub);
		if (!S_ISLNK(st.st_mode) && fchmodat(dst, name, st.st_mode & 07777, 0) < 0)
			fail_errno("tmpcopyup: chmod %s", sub);
	}
	if (errno)
		fail_errno("tmpcopyup: read %s", path);
	closedir(d);
}

void copy_up(int covered, const char *target)
{
	int dst = in_root(target, O_RDONLY | O_DIRECTORY);
	if (dst < 0)
		fail_errno("tmpcopyup: open %s", target);
	copy_tree(covered, dst, target);
	close(dst);
}
