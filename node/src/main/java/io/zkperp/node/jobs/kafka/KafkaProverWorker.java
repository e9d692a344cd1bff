package io.zkperp.node.jobs.kafka;

import io.zkperp.node.ProofJobs;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.prover.BatchProof;
import io.zkperp.prover.InvalidWitnessException;
import io.zkperp.prover.ProvingKeyMismatchException;
import io.zkperp.prover.UnsatisfiableWitnessException;
import io.zkperp.prover.worker.JobId;
import io.zkperp.prover.worker.ProverWorker;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.SequencedSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A prover in a Kafka consumer group: takes one job at a time from the jobs topic ({@code
 * max.poll.records=1}, offsets committed by hand), proves it with an {@link ProverWorker.Engine}
 * (the JNI {@code BatchProver} in {@link KafkaProverWorkerMain}), produces the outcome to the
 * results topic (idempotent, {@code acks=all}, waited for) and only then commits the job's offset:
 * at least once. A prover killed mid-proof has committed nothing, so after the group rebalances
 * another member reads the job again; a job proved twice gives two valid results and the node keeps
 * the first.
 *
 * <p>Long proofs: the proof runs on its own thread while this loop keeps calling {@code poll} with
 * every assigned partition paused, so the member stays in the group and takes part in rebalances
 * promptly however long a proof takes ({@code max.poll.interval.ms} keeps its default and still
 * catches a loop that stopped polling). A partition taken away mid-proof makes the commit fail: the
 * result is written anyway, and the new owner proves the job again (a harmless duplicate).
 *
 * <p>Not thread-safe: one thread runs {@link #run}; {@link #stop} from any thread (a shutdown
 * hook): the proof in progress is abandoned uncommitted and the member leaves the group.
 */
public final class KafkaProverWorker implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final int REMEMBERED = 1_024;

  /**
   * Where the prover works.
   *
   * @param bootstrap the brokers
   * @param group the consumer group (all provers of one node's queue)
   * @param jobsTopic the jobs topic
   * @param resultsTopic the results topic
   * @param proverId this prover's name in results (and its Kafka client id)
   * @param sessionTimeout how long the group waits for a silent member before it rebalances
   */
  public record Options(
      String bootstrap,
      String group,
      String jobsTopic,
      String resultsTopic,
      String proverId,
      Duration sessionTimeout) {
    /** Checks the fields. */
    public Options {
      Objects.requireNonNull(bootstrap, "bootstrap");
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(proverId, "proverId");
      KafkaQueueOptions.checkBootstrap(bootstrap);
      KafkaQueueOptions.checkTopic(jobsTopic);
      KafkaQueueOptions.checkTopic(resultsTopic);
      if (group.isBlank() || proverId.isBlank()) {
        throw new IllegalArgumentException("group and prover id must not be blank");
      }
      if (sessionTimeout.toMillis() < 1_000) {
        throw new IllegalArgumentException("session timeout must be ≥ 1 s");
      }
    }
  }

  private final Options options;
  private final ProverWorker.Engine engine;
  private final MessageDomain domain;
  private final Consumer<String> log;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final ExecutorService proving;
  private final SequencedSet<JobId> done = new LinkedHashSet<>();
  private final Map<JobId, ResultRecord> unsent = new HashMap<>();
  private volatile boolean stopped;
  private boolean provingNow;

  /**
   * Creates the prover; joins the group on {@link #run}.
   *
   * @param options where it works
   * @param engine what proves (its shape must be the jobs')
   * @param domain the deployment of a format v3 shape, or null for a format v2 shape
   * @param log receives one line per event
   */
  public KafkaProverWorker(
      Options options, ProverWorker.Engine engine, MessageDomain domain, Consumer<String> log) {
    this.options = Objects.requireNonNull(options, "options");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.domain = domain;
    this.log = Objects.requireNonNull(log, "log");
    Properties c = KafkaClients.reader(options.bootstrap(), options.proverId());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, options.group());
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    c.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    int session = (int) options.sessionTimeout().toMillis();
    c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, session);
    c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(100, Math.min(3_000, session / 3)));
    this.consumer = new KafkaConsumer<>(c);
    this.producer =
        new KafkaProducer<>(
            KafkaClients.durableProducer(
                options.bootstrap(), options.proverId() + "-results", Duration.ofSeconds(60)));
    this.proving =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "zkperp-kafka-prove");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Proves jobs until {@link #stop} is called.
   *
   * @throws JobForAnotherProverException if a job names another shape or deployment (the job is
   *     left uncommitted for another member)
   */
  public void run() throws JobForAnotherProverException {
    consumer.subscribe(
        List.of(options.jobsTopic()),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> parts) {
            if (provingNow) {
              consumer.pause(parts); // nothing new while a proof runs
            }
            log.accept("assigned " + parts + ", now " + consumer.assignment());
          }

          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> parts) {
            log.accept("revoked " + parts);
          }
        });
    log.accept("ready: prover " + options.proverId() + " in group " + options.group());
    try {
      while (!stopped) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          if (!handle(r)) {
            return;
          }
        }
      }
    } catch (WakeupException e) {
      if (!stopped) {
        throw e;
      }
    }
  }

  /** Handles one job record; false when stopped meanwhile. */
  private boolean handle(ConsumerRecord<byte[], byte[]> r) throws JobForAnotherProverException {
    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
    Optional<JobId> key = JobRecord.parseKey(r.key());
    if (key.isEmpty()) {
      log.accept("skipped a record without a job key at " + tp + "@" + r.offset());
      commit(tp, r.offset(), "(no key)");
      return true;
    }
    JobId id = key.get();
    if (r.value() == null || done.contains(id)) {
      commit(tp, r.offset(), id.name()); // acknowledged by the node, or proved here already
      return true;
    }
    ResultRecord result = unsent.remove(id);
    if (result == null) {
      JobRecord job;
      try {
        job = JobRecord.decode(r.value());
        if (!job.id().equals(id)) {
          throw new MalformedRecordException("the job's batch or witness does not match its key");
        }
      } catch (MalformedRecordException e) {
        log.accept("malformed job " + id + ": " + e.getMessage());
        job = null;
        result =
            new ResultRecord(
                id.firstBatch(),
                options.proverId(),
                0,
                new ProofJobs.Failed("INVALID_JOB: " + e.getMessage(), false),
                new byte[0]);
      }
      if (job != null) {
        if (!job.shape().equals(engine.shape()) || !Objects.equals(job.domain(), domain)) {
          throw new JobForAnotherProverException(
              "job "
                  + id
                  + " is for shape "
                  + job.shape()
                  + (job.domain() == null ? "" : " of " + job.domain())
                  + "; this prover proves "
                  + engine.shape()
                  + (domain == null ? "" : " of " + domain));
        }
        result = proveWhilePolling(job);
        if (result == null) {
          return false; // stopped: the job stays uncommitted
        }
      }
    }
    try {
      producer.send(new ProducerRecord<>(options.resultsTopic(), r.key(), result.encode())).get();
    } catch (ExecutionException | KafkaException e) {
      log.accept("cannot write the result of " + id + " (" + e + "); trying again");
      unsent.put(id, result);
      if (consumer.assignment().contains(tp)) {
        consumer.seek(tp, r.offset()); // read it again, then send the kept result
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    commit(tp, r.offset(), id.name());
    remember(id);
    return true;
  }

  /** Proves on the proving thread while polling with every partition paused; null if stopped. */
  private ResultRecord proveWhilePolling(JobRecord job) {
    log.accept("proving " + job.id() + " (batch " + job.batch() + ")");
    provingNow = true;
    consumer.pause(consumer.assignment());
    Future<ResultRecord> f = proving.submit(() -> prove(job));
    try {
      while (!f.isDone()) {
        for (ConsumerRecord<byte[], byte[]> x : consumer.poll(POLL)) {
          // not expected (every partition is paused): read it again later
          consumer.seek(new TopicPartition(x.topic(), x.partition()), x.offset());
        }
        consumer.pause(consumer.assignment());
      }
      ResultRecord result = f.get();
      log.accept(
          (result.outcome() instanceof ProofJobs.Proved ? "proved " : "failed ")
              + job.id()
              + " in "
              + result.proofNanos() / 1_000_000
              + " ms"
              + (result.outcome() instanceof ProofJobs.Failed x ? ": " + x.reason() : ""));
      return result;
    } catch (WakeupException e) {
      if (stopped) {
        log.accept("stopped while proving " + job.id() + "; left uncommitted for another prover");
        return null;
      }
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      throw new IllegalStateException("the proving thread failed", e.getCause());
    } finally {
      provingNow = false;
      if (!stopped) {
        consumer.resume(consumer.paused());
      }
    }
  }

  private ResultRecord prove(JobRecord job) {
    long start = System.nanoTime();
    ProofJobs.Outcome outcome;
    byte[] raw = new byte[0];
    try {
      BatchProof p = engine.prove(job.witness());
      outcome = new ProofJobs.Proved(p.solidity(), p.publicInput());
      raw = p.raw();
    } catch (UnsatisfiableWitnessException e) {
      outcome =
          new ProofJobs.Failed("UNSATISFIABLE (" + e.txIndex() + "): " + e.getMessage(), false);
    } catch (InvalidWitnessException e) {
      outcome =
          new ProofJobs.Failed("INVALID_WITNESS (" + e.offset() + "): " + e.getMessage(), false);
    } catch (ProvingKeyMismatchException e) {
      outcome = new ProofJobs.Failed("KEY_MISMATCH (-1): " + e.getMessage(), false);
    } catch (RuntimeException e) {
      outcome = new ProofJobs.Failed("INTERNAL (-1): " + e, true);
    }
    return new ResultRecord(
        job.batch(), options.proverId(), System.nanoTime() - start, outcome, raw);
  }

  private void commit(TopicPartition tp, long offset, String what) {
    try {
      consumer.commitSync(Map.of(tp, new OffsetAndMetadata(offset + 1)));
      log.accept("committed " + what + " at " + tp + "@" + offset);
    } catch (CommitFailedException | RebalanceInProgressException e) {
      log.accept(
          "cannot commit "
              + what
              + " ("
              + e.getClass().getSimpleName()
              + "): its partition moved; its new owner may prove it again");
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      // e.g. the brokers gone past the commit's timeout: the result is written; the job may be
      // read and proved again (a harmless duplicate)
      log.accept("cannot commit " + what + " (" + e + "); it may be proved again");
    }
  }

  private void remember(JobId id) {
    done.add(id);
    if (done.size() > REMEMBERED) {
      done.removeFirst();
    }
  }

  /** Makes {@link #run} return: the proof in progress is abandoned uncommitted. Any thread. */
  public void stop() {
    stopped = true;
    consumer.wakeup();
  }

  /** Leaves the group and closes the clients. The thread that ran {@link #run}. */
  @Override
  public void close() {
    proving.shutdownNow();
    try {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    } finally {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
