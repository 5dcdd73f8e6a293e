#!/usr/bin/env python3
"""A minimal seccomp agent for seccomp.bats: listens on a unix socket, accepts one connection,
receives the container process state (JSON) with the seccomp listener fd (SCM_RIGHTS), writes
the state and the number of fds it got to OUT, then closes the listener fd: the notified
syscalls then fail with ENOSYS.

    seccomp-agent.py SOCKET OUT
"""
import json
import os
import socket
import sys

path, out = sys.argv[1], sys.argv[2]
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(1)
srv.settimeout(float(os.environ.get("AGENT_TIMEOUT", "60")))
with open(out + ".ready", "w"):
    pass
conn, _ = srv.accept()
msg, fds, _, _ = socket.recv_fds(conn, 65536, 4)
state = json.loads(msg)
state["_received_fds"] = len(fds)
# the fd must be a seccomp listener: its /proc link says anon_inode:seccomp notify
state["_fd_kind"] = os.readlink("/proc/self/fd/%d" % fds[0]) if fds else ""
with open(out + ".tmp", "w") as f:
    json.dump(state, f)
os.rename(out + ".tmp", out)
for fd in fds:
    os.close(fd)
conn.close()
srv.close()
