package io.zkperp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One line describing the machine a report was measured on. */
public final class MachineInfo {
  private MachineInfo() {}

  /**
   * The line.
   *
   * @return CPU model, cores, JVM heap, OS
   */
  public static String describe() {
    String cpu = "unknown CPU";
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          cpu = l.substring(l.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException e) {
      // not Linux: keep "unknown CPU"
    }
    long memGiB = Runtime.getRuntime().maxMemory() >> 30;
    return cpu
        + ", "
        + Runtime.getRuntime().availableProcessors()
        + " cores visible, JVM max heap "
        + memGiB
        + " GiB, "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.arch");
  }
}
