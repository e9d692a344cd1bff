package io.zkperp.node.jobs.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The client settings the node and the provers share. Any thread. */
final class KafkaClients {
  private KafkaClients() {}

  /**
   * A durable producer: idempotent (a retried send is written once, in order), {@code acks=all}
   * (every in-sync replica has the record before the send completes).
   */
  static Properties durableProducer(String bootstrap, String clientId, Duration timeout) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    // a witness or a proof may exceed the 1 MiB default of a request
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, ProofTopics.MAX_RECORD_BYTES + (64 << 10));
    int ms = (int) timeout.toMillis();
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(ms, 30_000));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(ms, Math.min(ms, 30_000)));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  /** A consumer outside any group (the node reads whole topics by assignment). */
  static Properties reader(String bootstrap, String clientId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }
}
