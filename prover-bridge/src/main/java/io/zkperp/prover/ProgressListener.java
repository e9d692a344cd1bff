package io.zkperp.prover;

/**
 * Receives progress lines of long native operations: circuit compilation, key setup and loading
 * during {@link BatchProver#open}, and the start, heartbeats and duration of each {@link
 * BatchProver#prove}. Called from a daemon thread named {@code zkperp-prover-progress} that runs
 * only while such an operation does, never concurrently; keep it short and non-blocking.
 */
@FunctionalInterface
public interface ProgressListener {

  /**
   * One line of progress, without its line terminator.
   *
   * @param line the text the native prover wrote
   */
  void onProgress(String line);

  /**
   * A listener that ignores everything.
   *
   * @return the listener
   */
  static ProgressListener none() {
    return line -> {};
  }
}
