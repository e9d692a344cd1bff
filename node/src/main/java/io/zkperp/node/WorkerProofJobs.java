package io.zkperp.node;

import io.zkperp.prover.BatchProof;
import io.zkperp.prover.worker.JobId;
import io.zkperp.prover.worker.JobResult;
import io.zkperp.prover.worker.ProverWorkerClient;
import io.zkperp.prover.worker.WorkerOptions;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ProofJobs} over prover-bridge's durable job directory and a supervised worker process
 * ({@link ProverWorkerClient}): one job per batch, retried by the supervisor when the worker dies.
 * Thread-safe.
 */
public final class WorkerProofJobs implements ProofJobs {
  private final ProverWorkerClient client;
  private final Set<JobId> inFlight = ConcurrentHashMap.newKeySet();

  private WorkerProofJobs(ProverWorkerClient client) {
    this.client = client;
  }

  /**
   * Starts the worker on its job directory.
   *
   * @param options the worker's options (job directory, keys, shape, bounds)
   * @return the jobs
   * @throws IOException if the worker cannot start
   */
  public static WorkerProofJobs start(WorkerOptions options) throws IOException {
    return new WorkerProofJobs(ProverWorkerClient.start(options));
  }

  /**
   * The supervisor (tests: kill its worker).
   *
   * @return the client
   */
  public ProverWorkerClient client() {
    return client;
  }

  @Override
  public void submit(long batch, byte[] witness) throws IOException {
    inFlight.add(client.submit(batch, batch, witness));
  }

  @Override
  public Optional<Outcome> poll(long batch, byte[] witness) throws IOException {
    Optional<JobResult> r = client.poll(JobId.of(batch, batch, witness));
    if (r.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        switch (r.get()) {
          case JobResult.Proved p -> {
            BatchProof proof = p.proof();
            yield new Proved(proof.solidity(), proof.publicInput());
          }
          case JobResult.Failed f ->
              new Failed(
                  f.kind() + " (" + f.detail() + "): " + f.message(),
                  f.kind() == JobResult.Kind.CRASHED || f.kind() == JobResult.Kind.INTERNAL);
        });
  }

  @Override
  public void acknowledge(long batch, byte[] witness) throws IOException {
    JobId id = JobId.of(batch, batch, witness);
    client.acknowledge(id);
    inFlight.remove(id);
  }

  @Override
  public int inFlight() {
    return inFlight.size();
  }

  @Override
  public String proversState() {
    return client
            .worker()
            .map(h -> "prover worker pid " + h.pid())
            .orElse("no prover worker running")
        + ", restarted "
        + client.restarts()
        + " times (log "
        + client.logFile()
        + ")";
  }

  @Override
  public void close() {
    client.close();
  }
}
