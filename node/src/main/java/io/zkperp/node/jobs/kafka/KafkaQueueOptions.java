package io.zkperp.node.jobs.kafka;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the proof queue lives on Kafka and how the node talks to it. Immutable; any thread.
 *
 * @param bootstrap the brokers, {@code host:port[,host:port…]}
 * @param jobsTopic the topic jobs are produced to (compacted; created if missing)
 * @param resultsTopic the topic provers produce outcomes to (compacted; created if missing)
 * @param partitions partitions of each topic when the node creates them: at most this many provers
 *     of one group prove at once
 * @param requestTimeout how long a submit or an acknowledgement waits for the brokers before it
 *     fails
 * @param maxInFlight jobs the node's proving stage keeps submitted at once (≥ 1)
 */
public record KafkaQueueOptions(
    String bootstrap,
    String jobsTopic,
    String resultsTopic,
    int partitions,
    Duration requestTimeout,
    int maxInFlight) {

  /** The default jobs topic. */
  public static final String DEFAULT_JOBS_TOPIC = "zkperp-proof-jobs";

  /** The default results topic. */
  public static final String DEFAULT_RESULTS_TOPIC = "zkperp-proof-results";

  /** Partitions of each topic the node creates (a setting). */
  public static final int DEFAULT_PARTITIONS = 16;

  /** Checks the fields. */
  public KafkaQueueOptions {
    Objects.requireNonNull(bootstrap, "bootstrap");
    Objects.requireNonNull(jobsTopic, "jobsTopic");
    Objects.requireNonNull(resultsTopic, "resultsTopic");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    checkBootstrap(bootstrap);
    checkTopic(jobsTopic);
    checkTopic(resultsTopic);
    if (jobsTopic.equals(resultsTopic)) {
      throw new IllegalArgumentException("the jobs and results topics must differ");
    }
    if (partitions < 1 || partitions > 1_000) {
      throw new IllegalArgumentException("partitions must be 1 to 1000, got " + partitions);
    }
    if (requestTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be ≥ 1, got " + maxInFlight);
    }
  }

  /**
   * The defaults for a bootstrap address: the default topics, {@value #DEFAULT_PARTITIONS}
   * partitions, 30 s per request, as many jobs in flight as partitions.
   *
   * @param bootstrap see the record
   * @return the options
   */
  public static KafkaQueueOptions defaults(String bootstrap) {
    return new KafkaQueueOptions(
        bootstrap,
        DEFAULT_JOBS_TOPIC,
        DEFAULT_RESULTS_TOPIC,
        DEFAULT_PARTITIONS,
        Duration.ofSeconds(30),
        DEFAULT_PARTITIONS);
  }

  /**
   * Returns a copy with other topics.
   *
   * @param jobs the jobs topic
   * @param results the results topic
   * @return the new options
   */
  public KafkaQueueOptions withTopics(String jobs, String results) {
    return new KafkaQueueOptions(bootstrap, jobs, results, partitions, requestTimeout, maxInFlight);
  }

  /**
   * Returns a copy with another partition count for created topics.
   *
   * @param count see the record
   * @return the new options
   */
  public KafkaQueueOptions withPartitions(int count) {
    return new KafkaQueueOptions(
        bootstrap, jobsTopic, resultsTopic, count, requestTimeout, maxInFlight);
  }

  /** Brokers as {@code host:port[,host:port…]}. */
  static void checkBootstrap(String bootstrap) {
    if (!bootstrap.matches("[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*")) {
      throw new IllegalArgumentException(
          "Kafka bootstrap servers must be host:port[,host:port…], got \"" + bootstrap + "\"");
    }
  }

  /** Kafka's legal topic names: 1 to 249 of [a-zA-Z0-9._-]. */
  static void checkTopic(String topic) {
    if (!topic.matches("[a-zA-Z0-9._-]{1,249}") || topic.equals(".") || topic.equals("..")) {
      throw new IllegalArgumentException(
          "a Kafka topic is 1 to 249 of [a-zA-Z0-9._-], got \"" + topic + "\"");
    }
  }
}
