/**
 * The settling zkperp node: the composition root that runs the sequencer and gateway with the L1
 * watcher, the settlement (engine records → L2 transactions → batches on the RocksDB state tree),
 * proof jobs and the L1 submitter. See {@code node/README.md}.
 */
package io.zkperp.node;
