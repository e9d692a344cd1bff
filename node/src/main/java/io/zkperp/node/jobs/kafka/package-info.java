/**
 * Proof jobs over Kafka consumer groups, so that provers on other machines prove the node's
 * batches: {@link io.zkperp.node.jobs.kafka.KafkaProofJobs} (the node's side of {@link
 * io.zkperp.node.ProofJobs}) produces jobs to a jobs topic and follows a results topic; {@link
 * io.zkperp.node.jobs.kafka.KafkaProverWorkerMain} is a prover process in a consumer group that
 * proves each job through the JNI prover and produces its outcome. The record layouts are {@link
 * io.zkperp.node.jobs.kafka.JobRecord} and {@link io.zkperp.node.jobs.kafka.ResultRecord}; see
 * node/README.md, "Proof jobs over Kafka".
 */
package io.zkperp.node.jobs.kafka;
