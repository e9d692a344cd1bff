/**
 * The format v3 batch witness (docs/batch-format.md, "Format v3"): each step's circuit elements in
 * the order the Go prover decodes them, the batch's tables and records, and the encoded bytes.
 */
package io.zkperp.batcher.v3.witness;
