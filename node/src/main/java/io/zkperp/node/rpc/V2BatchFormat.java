package io.zkperp.node.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkperp.node.BatchRecord;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Format v2 batches ({@code ZkPerpRollup}, layout v1): the commitment input's first two 32-byte
 * words are the old and the new state root. Stateless; any thread.
 */
final class V2BatchFormat implements BatchFormat {
  @Override
  public void describe(BatchRecord r, ObjectNode entry) {
    byte[] c = r.commitment();
    entry.put("format", "v2");
    entry.put("oldStateRoot", new BigInteger(1, Arrays.copyOfRange(c, 0, 32)).toString());
    entry.put("newStateRoot", new BigInteger(1, Arrays.copyOfRange(c, 32, 64)).toString());
  }
}
