package io.zkperp.gateway.node;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * What the node's command lines ({@link GatewayMain}, {@link LoadGeneratorCli}) share: parsing with
 * {@code --help} and {@code --version}, one-line usage errors, and the version. Calling thread.
 */
final class CommandLines {
  /** Exit code: ran and stopped normally, or printed help or the version. */
  static final int EXIT_OK = 0;

  /** Exit code: could not start or run (the message says why and what to do). */
  static final int EXIT_FAILED = 1;

  /** Exit code: an invalid option or value (the message names it). */
  static final int EXIT_USAGE = 2;

  private CommandLines() {}

  /**
   * Parses the arguments into the command's fields. Prints the help or the version to {@code out},
   * or a one-line error naming the option to {@code err}.
   *
   * @param cl the command line (its command object receives the values)
   * @param args the arguments
   * @param out where help and version go
   * @param err where errors go
   * @return null to go on, else the exit code to stop with
   */
  static Integer parse(CommandLine cl, String[] args, PrintWriter out, PrintWriter err) {
    cl.setOut(out);
    cl.setErr(err);
    try {
      cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      return usageError(cl, e.getMessage(), err);
    }
    if (cl.isUsageHelpRequested()) {
      cl.usage(out);
      out.flush();
      return EXIT_OK;
    }
    if (cl.isVersionHelpRequested()) {
      cl.printVersionHelp(out);
      out.flush();
      return EXIT_OK;
    }
    return null;
  }

  /**
   * Prints a usage error on one line, with where to find the options.
   *
   * @param cl the command line
   * @param message what is wrong (names the option and what it takes)
   * @param err where it goes
   * @return {@link #EXIT_USAGE}
   */
  static int usageError(CommandLine cl, String message, PrintWriter err) {
    err.println(
        cl.getCommandName()
            + ": "
            + message.replace('\n', ' ').strip()
            + " (see '"
            + cl.getCommandName()
            + " --help')");
    err.flush();
    return EXIT_USAGE;
  }

  /**
   * Checks an option's value after parsing.
   *
   * @param cl the command line
   * @param ok whether the value is allowed
   * @param option the option's name
   * @param value the value given
   * @param expected what the option takes
   * @throws CommandLine.ParameterException naming the option, the value and what it takes
   */
  static void require(CommandLine cl, boolean ok, String option, Object value, String expected) {
    if (!ok) {
      throw new CommandLine.ParameterException(
          cl, "Invalid value for option '" + option + "': " + value + " is not " + expected);
    }
  }

  /** {@code --version}: the build's version where the jar says it, and the Java runtime. */
  static final class Version implements CommandLine.IVersionProvider {
    /** Used by picocli. */
    Version() {}

    @Override
    public String[] getVersion() {
      String v = CommandLines.class.getPackage().getImplementationVersion();
      return new String[] {
        "zkperp " + (v != null ? v : "0.1.0-SNAPSHOT"), "Java " + Runtime.version()
      };
    }
  }
}
