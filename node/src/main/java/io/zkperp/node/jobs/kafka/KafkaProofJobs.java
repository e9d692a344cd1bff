package io.zkperp.node.jobs.kafka;

import io.zkperp.node.ProofJobs;
import io.zkperp.protocol.message.MessageDomain;
import io.zkperp.prover.worker.JobId;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ProofJobs} over Kafka, for provers on any machine ({@link KafkaProverWorkerMain} in a
 * consumer group). A job is a {@link JobRecord} on the jobs topic, keyed by its {@link JobId} and
 * written to partition {@code batch mod partitions}; {@link #submit} returns once the brokers
 * acknowledged it (idempotent producer, {@code acks=all}). Outcomes are {@link ResultRecord}s on
 * the results topic, which a background thread follows from its beginning into a map keyed by job;
 * the first outcome of a job is kept, a duplicate (a job proved again after a rebalance) is
 * ignored. {@link #acknowledge} forgets the job and writes tombstones for it to both (compacted)
 * topics, so a restarted node (a new instance) finds exactly the jobs submitted and not
 * acknowledged: it reads the jobs topic to its end when it opens (so submitting such a job again is
 * a no-op) and their outcomes as the follower re-reads the results topic.
 *
 * <p>One node per pair of topics. Thread-safe: {@link #submit} and {@link #acknowledge} are
 * serialized and block on the brokers (at most {@link KafkaQueueOptions#requestTimeout()}); {@link
 * #poll}, {@link #inFlight}, {@link #proversState} and {@link #provers} never block; {@link #close}
 * from the thread that owns the node.
 */
public final class KafkaProofJobs implements ProofJobs {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaProofJobs.class);
  private static final Duration FOLLOW_POLL = Duration.ofMillis(200);

  private final KafkaQueueOptions options;
  private final String shape;
  private final MessageDomain domain;
  private final int jobPartitions;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Set<JobId> live = ConcurrentHashMap.newKeySet();
  private final Map<JobId, Outcome> outcomes = new ConcurrentHashMap<>();
  private final ProverCounters counters = new ProverCounters();
  private final KafkaConsumer<byte[], byte[]> follower;
  private final Thread followerThread;
  private volatile boolean closed;
  private volatile String followerProblem = "";
  private volatile boolean caughtUp;

  private KafkaProofJobs(
      KafkaQueueOptions options,
      String shape,
      MessageDomain domain,
      int jobPartitions,
      KafkaProducer<byte[], byte[]> producer,
      KafkaConsumer<byte[], byte[]> follower) {
    this.options = options;
    this.shape = shape;
    this.domain = domain;
    this.jobPartitions = jobPartitions;
    this.producer = producer;
    this.follower = follower;
    this.followerThread = new Thread(this::follow, "zkperp-kafka-results");
    this.followerThread.setDaemon(true);
  }

  /**
   * Opens the queue: creates the topics if missing, reads the jobs submitted and not acknowledged,
   * and starts following the results. Called by the thread that opens the node.
   *
   * @param options where the queue lives
   * @param shape the circuit shape every job names
   * @param domain the deployment of a format v3 shape, or null for a format v2 shape
   * @return the queue
   * @throws ProofQueueException if the brokers cannot be reached or refuse within the timeout
   */
  public static KafkaProofJobs open(KafkaQueueOptions options, String shape, MessageDomain domain)
      throws ProofQueueException {
    int partitions = ProofTopics.ensure(options);
    String id = "zkperp-node-" + ProcessHandle.current().pid();
    KafkaProducer<byte[], byte[]> producer = null;
    KafkaConsumer<byte[], byte[]> follower = null;
    try {
      producer =
          new KafkaProducer<>(
              KafkaClients.durableProducer(options.bootstrap(), id, options.requestTimeout()));
      Set<JobId> live = readLiveJobs(options, id);
      follower = new KafkaConsumer<>(KafkaClients.reader(options.bootstrap(), id + "-results"));
      KafkaProofJobs jobs =
          new KafkaProofJobs(options, shape, domain, partitions, producer, follower);
      jobs.live.addAll(live);
      jobs.followerThread.start();
      LOG.info(
          "proof jobs on Kafka {} (topics {}, {}; {} partitions): {} jobs in flight from before",
          options.bootstrap(),
          options.jobsTopic(),
          options.resultsTopic(),
          partitions,
          live.size());
      return jobs;
    } catch (KafkaException | ProofQueueException e) {
      if (follower != null) {
        follower.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ZERO));
      }
      if (producer != null) {
        producer.close(Duration.ZERO);
      }
      if (e instanceof ProofQueueException q) {
        throw q;
      }
      throw new ProofQueueException("cannot open the Kafka proof queue: " + e, e);
    }
  }

  /** The jobs topic read to its end: each key's last record decides (a tombstone: acknowledged). */
  private static Set<JobId> readLiveJobs(KafkaQueueOptions options, String id)
      throws ProofQueueException {
    Set<JobId> live = ConcurrentHashMap.newKeySet();
    long deadline = System.nanoTime() + options.requestTimeout().toNanos();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(KafkaClients.reader(options.bootstrap(), id + "-jobs"))) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(options.jobsTopic(), options.requestTimeout())
          .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts, options.requestTimeout());
      while (!reached(c, end)) {
        if (System.nanoTime() > deadline) {
          throw new ProofQueueException(
              "the jobs topic "
                  + options.jobsTopic()
                  + " was not read to its end within "
                  + options.requestTimeout().toSeconds()
                  + " s",
              null);
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(FOLLOW_POLL)) {
          Optional<JobId> job = JobRecord.parseKey(r.key());
          if (job.isEmpty()) {
            continue;
          }
          if (r.value() == null) {
            live.remove(job.get());
          } else {
            live.add(job.get());
          }
        }
      }
    } catch (KafkaException e) {
      throw new ProofQueueException(
          "cannot read the jobs topic " + options.jobsTopic() + ": " + e, e);
    }
    return live;
  }

  private static boolean reached(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** The follower thread: reads the results topic from its beginning until closed. */
  private void follow() {
    try {
      List<TopicPartition> parts = new ArrayList<>();
      Map<TopicPartition, Long> end = null;
      while (!closed && parts.isEmpty()) {
        try {
          follower
              .partitionsFor(options.resultsTopic(), options.requestTimeout())
              .forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
          follower.assign(parts);
          follower.seekToBeginning(parts);
          end = follower.endOffsets(parts, options.requestTimeout());
        } catch (KafkaException e) {
          if (closed) {
            return;
          }
          parts.clear();
          followerProblem = "cannot read the results topic: " + e;
          LOG.warn("proof results: {}", followerProblem);
        }
      }
      while (!closed) {
        try {
          for (ConsumerRecord<byte[], byte[]> r : follower.poll(FOLLOW_POLL)) {
            take(r);
          }
          if (!caughtUp && end != null && reached(follower, end)) {
            caughtUp = true;
            LOG.info("proof results read up to the end of {}", options.resultsTopic());
          }
          followerProblem = "";
        } catch (org.apache.kafka.common.errors.WakeupException e) {
          return;
        } catch (KafkaException e) {
          followerProblem = "reading the results topic failed: " + e;
          LOG.warn("proof results: {}", followerProblem);
          sleepQuietly(1_000);
        }
      }
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      // closing
    } finally {
      follower.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(1)));
    }
  }

  private void take(ConsumerRecord<byte[], byte[]> r) {
    Optional<JobId> id = JobRecord.parseKey(r.key());
    if (id.isEmpty()) {
      LOG.warn("proof results: a record at offset {} has no job key; skipped", r.offset());
      return;
    }
    if (r.value() == null) {
      outcomes.remove(id.get());
      return;
    }
    ResultRecord result;
    try {
      result = ResultRecord.decode(r.value());
    } catch (MalformedRecordException e) {
      LOG.warn("proof results: record for {} skipped: {}", id.get(), e.getMessage());
      return;
    }
    counters.record(result, System.currentTimeMillis());
    if (!live.contains(id.get())) {
      LOG.debug("proof results: {} for {}, not in flight; ignored", result, id.get());
      return;
    }
    Outcome kept = outcomes.putIfAbsent(id.get(), result.outcome());
    if (kept != null) {
      LOG.info("proof results: duplicate from {} for {}; the first is kept", result.prover(), id);
    } else {
      LOG.info(
          "proof results: {} for batch {} from {} ({} ms)",
          result.outcome() instanceof Proved ? "proof" : "failure",
          id.get().firstBatch(),
          result.prover(),
          result.proofNanos() / 1_000_000);
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void submit(long batch, byte[] witness) throws IOException {
    JobRecord job = new JobRecord(batch, shape, domain, witness);
    JobId id = job.id();
    if (live.contains(id)) {
      return; // submitted before (by this node, or before its restart), not acknowledged
    }
    live.add(id); // before the send: its outcome may come back before the send returns
    try {
      await(
          producer.send(
              new ProducerRecord<>(
                  options.jobsTopic(),
                  ProofTopics.jobPartition(batch, jobPartitions),
                  JobRecord.key(id),
                  job.encode())),
          "submitting batch " + batch);
    } catch (IOException | RuntimeException e) {
      live.remove(id);
      throw e;
    }
  }

  @Override
  public Optional<Outcome> poll(long batch, byte[] witness) {
    return Optional.ofNullable(outcomes.get(JobId.of(batch, batch, witness)));
  }

  @Override
  public synchronized void acknowledge(long batch, byte[] witness) throws IOException {
    JobId id = JobId.of(batch, batch, witness);
    live.remove(id);
    outcomes.remove(id);
    byte[] key = JobRecord.key(id);
    Future<RecordMetadata> result =
        producer.send(new ProducerRecord<>(options.resultsTopic(), key, null));
    Future<RecordMetadata> job =
        producer.send(
            new ProducerRecord<>(
                options.jobsTopic(), ProofTopics.jobPartition(batch, jobPartitions), key, null));
    await(result, "acknowledging batch " + batch);
    await(job, "acknowledging batch " + batch);
  }

  private void await(Future<RecordMetadata> send, String what) throws IOException {
    try {
      send.get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new ProofQueueException(
          what
              + ": the brokers at "
              + options.bootstrap()
              + " did not acknowledge: "
              + e.getCause(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new ProofQueueException(
          what
              + ": no acknowledgement from "
              + options.bootstrap()
              + " within "
              + options.requestTimeout().toSeconds()
              + " s",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException io = new InterruptedIOException(what + ": interrupted");
      io.initCause(e);
      throw io;
    } catch (KafkaException e) {
      throw new ProofQueueException(what + ": " + e, e);
    }
  }

  @Override
  public int inFlight() {
    return live.size();
  }

  /**
   * Whether the results topic has been read up to where it ended when this queue opened (tests and
   * diagnostics). Any thread.
   *
   * @return true once caught up
   */
  public boolean caughtUp() {
    return caughtUp;
  }

  @Override
  public String proversState() {
    String seen = counters.describe(System.currentTimeMillis());
    String problem = followerProblem;
    return "Kafka proof queue "
        + options.bootstrap()
        + " (topics "
        + options.jobsTopic()
        + ", "
        + options.resultsTopic()
        + "): "
        + live.size()
        + " jobs in flight; "
        + (seen.isEmpty() ? "no prover has answered yet" : "provers: " + seen)
        + (problem.isEmpty() ? "" : "; " + problem);
  }

  @Override
  public List<ProverStats> provers() {
    return counters.stats();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    follower.wakeup();
    try {
      followerThread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
  }
}
