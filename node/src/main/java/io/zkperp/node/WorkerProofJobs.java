package io.zkperp.node;

import io.zkperp.prover.BatchProof;
import io.zkperp.prover.worker.JobId;
import io.zkperp.prover.worker.JobResult;
import io.zkperp.prover.worker.ProverWorkerClient;
import io.zkperp.prover.worker.WorkerOptions;
import io.zkperp.prover.worker.WorkerStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ProofJobs} over prover-bridge's durable job directory and {@link WorkerOptions#workers()}
 * supervised worker processes ({@link ProverWorkerClient}): one job per batch; the workers take
 * jobs from the one directory concurrently, each job claimed by one worker at a time (an OS file
 * lock that dies with its holder), so a job whose worker was killed is proven by the next worker
 * that scans (the restarted one or another). Thread-safe.
 */
public final class WorkerProofJobs implements ProofJobs {
  private final ProverWorkerClient client;
  private final Set<JobId> inFlight = ConcurrentHashMap.newKeySet();

  private WorkerProofJobs(ProverWorkerClient client) {
    this.client = client;
  }

  /**
   * Starts the workers on their job directory.
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
    if (client.workers() == 1) {
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
    StringBuilder b = new StringBuilder();
    int running = 0;
    for (int i = 0; i < client.workers(); i++) {
      running += client.worker(i).isPresent() ? 1 : 0;
    }
    b.append(running).append(" of ").append(client.workers()).append(" prover workers running (");
    for (int i = 0; i < client.workers(); i++) {
      b.append(i == 0 ? "" : ", ")
          .append("worker ")
          .append(i)
          .append(client.worker(i).map(h -> " pid " + h.pid()).orElse(" down"))
          .append(" restarted ")
          .append(client.restarts(i))
          .append(" times");
    }
    return b.append("; log ").append(client.logFile()).append(")").toString();
  }

  @Override
  public List<ProverStats> provers() {
    List<ProverStats> out = new ArrayList<>(client.workers());
    for (int i = 0; i < client.workers(); i++) {
      WorkerStats s;
      try {
        s = client.stats(i);
      } catch (IOException e) {
        s = WorkerStats.empty("worker-" + i);
      }
      out.add(
          new ProverStats(
              s.worker(),
              s.proven(),
              s.failed(),
              s.lastProveNanos() / 1e9,
              s.proveNanosTotal() / 1e9,
              client.restarts(i)));
    }
    return out;
  }

  @Override
  public void close() {
    client.close();
  }
}
