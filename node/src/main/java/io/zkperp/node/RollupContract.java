package io.zkperp.node;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;
import org.web3j.protocol.core.RemoteFunctionCall;

/**
 * The rollup contract as {@link L1Submitter} commits to it: what differs between batch formats (the
 * {@code commitBatch} call built from a stored batch, and the {@code BatchCommitted} event read
 * back), so that strict order, nonces, fee bumping and restart reconciliation stay in one place.
 * Implementations: {@link RollupV2Contract} ({@code ZkPerpRollup}, format v2) and {@link
 * io.zkperp.node.v3.RollupV3Contract} ({@code ZkPerpRollupV3}, format v3). Implementations must be
 * thread-safe (the submitter calls them from its own thread).
 */
public interface RollupContract {
  /**
   * The contract's address.
   *
   * @return 0x-prefixed hex
   */
  String address();

  /**
   * The number of the last batch L1 accepted ({@code lastBatchNumber()}).
   *
   * @return the number, 0 before the first batch
   * @throws IOException if L1 cannot be read
   */
  long lastBatchNumber() throws IOException;

  /**
   * Whether the rollup is frozen ({@code frozen()}): it accepts no batch any more.
   *
   * @return true once frozen
   * @throws IOException if L1 cannot be read
   */
  boolean frozen() throws IOException;

  /**
   * The ABI-encoded {@code commitBatch} call of a proven batch.
   *
   * @param batch the batch, with its commitment input and proof
   * @return the call data, 0x-prefixed hex
   * @throws IllegalArgumentException if the batch's commitment input is not of this contract's
   *     format or names another batch number
   */
  String commitCall(BatchRecord batch);

  /**
   * The state root the batch commits (from its commitment input).
   *
   * @param batch the batch
   * @return the new state root
   */
  BigInteger newStateRoot(BatchRecord batch);

  /**
   * The newest {@code BatchCommitted} event of a batch number.
   *
   * @param number the batch number
   * @return the event, empty if L1 has none
   * @throws IOException if L1 cannot be read
   */
  Optional<Committed> committed(long number) throws IOException;

  /**
   * Sends a read-only contract call; any failure is an {@link IOException} (L1 unreachable or the
   * call refused), which the submitter retries.
   *
   * @param c the call
   * @param <T> its result type
   * @return the result
   * @throws IOException if L1 cannot be read
   */
  static <T> T read(RemoteFunctionCall<T> c) throws IOException {
    try {
      return c.send();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /**
   * What a {@code BatchCommitted} event recorded.
   *
   * @param newStateRoot the state root after the batch
   * @param txHash the commit transaction
   * @param block the block holding it
   */
  record Committed(BigInteger newStateRoot, String txHash, long block) {
    /** Checks for null. */
    public Committed {
      Objects.requireNonNull(newStateRoot, "newStateRoot");
      Objects.requireNonNull(txHash, "txHash");
    }
  }
}
