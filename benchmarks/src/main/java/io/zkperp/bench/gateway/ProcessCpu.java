package io.zkperp.bench.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used (user + system, all its threads), from Linux's {@code
 * /proc/<pid>/stat}: the figure behind "node CPU per 10,000 reads", which a loaded machine disturbs
 * far less than latency. Stateless; any thread.
 */
final class ProcessCpu {
  /** Clock ticks per second of {@code /proc} times ({@code getconf CLK_TCK}; 100 on Linux). */
  static final double TICKS_PER_SECOND = 100;

  private ProcessCpu() {}

  /**
   * CPU seconds a process has used: in user mode (its own code, the JVM's) and in the kernel (for a
   * server mostly system calls: socket reads and writes, epoll).
   *
   * @param user utime, seconds
   * @param system stime, seconds
   */
  record Times(double user, double system) {
    /**
     * The sum.
     *
     * @return user + system, seconds
     */
    double total() {
      return user + system;
    }

    /**
     * The time used since an earlier reading.
     *
     * @param earlier the earlier reading of the same process
     * @return this − earlier
     */
    Times minus(Times earlier) {
      return new Times(user - earlier.user, system - earlier.system);
    }
  }

  /**
   * User and system CPU seconds a process has used so far.
   *
   * @param pid the process
   * @return its times (10 ms resolution)
   * @throws IOException if {@code /proc/<pid>/stat} cannot be read (not Linux, process gone)
   */
  static Times times(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // fields after the command name in parentheses (which may hold spaces): state is field 3,
    // utime field 14, stime field 15
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new Times(
        Long.parseLong(f[11]) / TICKS_PER_SECOND, Long.parseLong(f[12]) / TICKS_PER_SECOND);
  }

  /**
   * User and system CPU seconds that a process's threads whose name starts with {@code prefix} have
   * used so far (Linux's thread name, {@code /proc/<pid>/task/<tid>/comm}, at most 15 characters),
   * e.g. the node's Netty event loops, {@code gateway-io}: where reads are served.
   *
   * @param pid the process
   * @param prefix the start of the threads' names
   * @return their times summed (threads that ended are not counted)
   * @throws IOException if the process's thread list cannot be read
   */
  static Times threadTimes(long pid, String prefix) throws IOException {
    double user = 0;
    double system = 0;
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          if (!Files.readString(task.resolve("comm")).startsWith(prefix)) {
            continue;
          }
          String stat = Files.readString(task.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          user += Long.parseLong(f[11]) / TICKS_PER_SECOND;
          system += Long.parseLong(f[12]) / TICKS_PER_SECOND;
        } catch (java.nio.file.NoSuchFileException e) {
          // the thread ended meanwhile
        }
      }
    }
    return new Times(user, system);
  }

  /**
   * The CPU seconds a process has used so far.
   *
   * @param pid the process
   * @return utime + stime, seconds (10 ms resolution)
   * @throws IOException if {@code /proc/<pid>/stat} cannot be read (not Linux, process gone)
   */
  static double seconds(long pid) throws IOException {
    return times(pid).total();
  }
}
