package io.zkperp.node.jobs.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the jobs and results topics when they are missing (compacted: a job and its outcome are
 * kept until the node's tombstone, whatever the retention) and tells how many partitions the jobs
 * topic has. Called by the node's thread that opens the queue.
 */
final class ProofTopics {
  /** The largest record the topics take: a witness or a proof with its framing (a setting). */
  static final int MAX_RECORD_BYTES = 16 << 20;

  private ProofTopics() {}

  /**
   * Ensures both topics exist.
   *
   * @param options the queue
   * @return the jobs topic's partition count
   * @throws ProofQueueException if the brokers do not answer or refuse
   */
  static int ensure(KafkaQueueOptions options) throws ProofQueueException {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) options.requestTimeout().toMillis());
    p.put(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) options.requestTimeout().toMillis());
    long timeoutMs = options.requestTimeout().toMillis();
    try (Admin admin = Admin.create(p)) {
      Map<String, String> compacted =
          Map.of(
              TopicConfig.CLEANUP_POLICY_CONFIG,
              TopicConfig.CLEANUP_POLICY_COMPACT,
              TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
              String.valueOf(MAX_RECORD_BYTES));
      for (String topic : List.of(options.jobsTopic(), options.resultsTopic())) {
        try {
          admin
              .createTopics(
                  List.of(
                      new NewTopic(topic, Optional.of(options.partitions()), Optional.empty())
                          .configs(compacted)))
              .all()
              .get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      TopicDescription jobs =
          admin
              .describeTopics(List.of(options.jobsTopic()))
              .allTopicNames()
              .get(timeoutMs, TimeUnit.MILLISECONDS)
              .get(options.jobsTopic());
      return jobs.partitions().size();
    } catch (ExecutionException | TimeoutException e) {
      throw new ProofQueueException(
          "cannot create or describe the proof topics "
              + options.jobsTopic()
              + ", "
              + options.resultsTopic()
              + " on "
              + options.bootstrap()
              + " within "
              + Duration.ofMillis(timeoutMs).toSeconds()
              + " s: "
              + (e.getCause() == null ? e : e.getCause()),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProofQueueException("interrupted while creating the proof topics", e);
    }
  }

  /**
   * The partition of a batch's job: consecutive batches go to consecutive partitions, so that the
   * members of a group prove them side by side.
   *
   * @param batch the batch
   * @param partitions the jobs topic's partition count
   * @return the partition
   */
  static int jobPartition(long batch, int partitions) {
    return (int) Math.floorMod(batch, (long) partitions);
  }
}
