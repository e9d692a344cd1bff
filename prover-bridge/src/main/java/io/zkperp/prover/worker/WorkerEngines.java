package io.zkperp.prover.worker;

import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.prover.BatchProof;
import io.zkperp.prover.BatchProver;
import io.zkperp.prover.NativeLibraryException;
import io.zkperp.prover.ProvingKeyMismatchException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Opens a prover process's engine: the JNI {@link BatchProver} of a shape, and the exit code a
 * process ends with when its engine cannot be opened. Shared by the file-queue worker ({@link
 * ProverWorkerMain}) and the node's Kafka prover. Stateless; the process's main thread.
 */
public final class WorkerEngines {
  private WorkerEngines() {}

  /**
   * The engine, or why there is none.
   *
   * @param engine the engine, or null if it could not be opened
   * @param exitCode 0 when opened, else {@link ProverWorkerMain#EXIT_KEY_MISMATCH} or {@link
   *     ProverWorkerMain#EXIT_NO_PROVER}
   */
  public record Opened(ProverWorker.Engine engine, int exitCode) {}

  /**
   * Opens the engine with {@code opener} and maps its failure to an exit code, logging why: a key
   * mismatch to {@link ProverWorkerMain#EXIT_KEY_MISMATCH}, a missing native library or any other
   * failure to {@link ProverWorkerMain#EXIT_NO_PROVER}.
   *
   * @param opener opens the engine
   * @param keyDir the key directory
   * @param shape the shape
   * @param domain the deployment of a format v3 shape, or null for a format v2 shape
   * @param log receives progress lines
   * @return the engine or the exit code
   */
  public static Opened open(
      ProverWorkerMain.DomainEngineOpener opener,
      Path keyDir,
      String shape,
      MessageDomain domain,
      Consumer<String> log) {
    try {
      return new Opened(opener.open(keyDir, shape, domain, log), 0);
    } catch (ProvingKeyMismatchException e) {
      log.accept("key mismatch: " + e.getMessage());
      return new Opened(null, ProverWorkerMain.EXIT_KEY_MISMATCH);
    } catch (NativeLibraryException e) {
      log.accept("cannot load the prover: " + e.getMessage());
      return new Opened(null, ProverWorkerMain.EXIT_NO_PROVER);
    } catch (RuntimeException e) {
      log.accept("cannot open the prover: " + e);
      return new Opened(null, ProverWorkerMain.EXIT_NO_PROVER);
    }
  }

  /**
   * Opens the JNI prover of {@code shape} (for a format v3 shape, of the deployment {@code domain})
   * and logs how long it took.
   *
   * @param keyDir the key directory
   * @param shape the shape
   * @param domain the deployment of a format v3 shape, or null for a format v2 shape
   * @param log receives progress lines, the prover's prefixed with {@code prover: }
   * @return the engine proving with it
   */
  public static ProverWorker.Engine openBatchProver(
      Path keyDir, String shape, MessageDomain domain, Consumer<String> log) {
    long start = System.nanoTime();
    BatchProver prover =
        domain == null
            ? BatchProver.open(keyDir, shape, line -> log.accept("prover: " + line))
            : BatchProver.open(keyDir, shape, domain, line -> log.accept("prover: " + line));
    log.accept(
        "prover open: shape "
            + shape
            + (domain == null ? "" : ", domain " + domain)
            + ", batch size "
            + prover.batchSize()
            + ", witness "
            + prover.witnessSize()
            + " bytes, "
            + Duration.ofNanos(System.nanoTime() - start).toMillis()
            + " ms");
    return new ProverWorker.Engine() {
      @Override
      public String shape() {
        return prover.shape();
      }

      @Override
      public BatchProof prove(byte[] witness) {
        return prover.prove(witness);
      }
    };
  }
}
