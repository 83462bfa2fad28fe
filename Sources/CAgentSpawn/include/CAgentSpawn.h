// Tapebench — starting an agent's program (see ProcessAgent/AgentProgram.swift).
#ifndef C_AGENT_SPAWN_H
#define C_AGENT_SPAWN_H

#include <sys/types.h>

/// Starts `path` with `argv` and `envp` in the folder `cwd`, its standard input, output and error on the
/// three descriptors given, every other descriptor closed, in a process group of its own (so that the
/// whole group can be killed), with no signal blocked and SIGPIPE, SIGINT, SIGTERM and SIGHUP at their
/// defaults. Returns 0 and the process id in `pid`, or an errno value.
int tapebench_spawn_agent(const char *path, char *const argv[], char *const envp[], const char *cwd,
                          int stdin_fd, int stdout_fd, int stderr_fd, pid_t *pid);

/// A pipe whose two ends close on exec (pipe2 with O_CLOEXEC, in one step, so that a program another
/// thread starts at the same moment inherits neither end). Returns 0, or -1 with errno set.
int tapebench_pipe_cloexec(int fds[2]);

#endif
