package io.zkperp.state.v2;

import io.zkperp.protocol.field.Fr;
import io.zkperp.protocol.state.v2.AccountV2;
import io.zkperp.protocol.state.v2.FillV2;
import io.zkperp.protocol.state.v2.GlobalV2;
import io.zkperp.protocol.state.v2.LayoutV2;
import io.zkperp.protocol.state.v2.MarketV2;
import io.zkperp.state.LayoutMetadata;
import io.zkperp.state.kv.KvColumn;
import io.zkperp.state.kv.KvSerializer;
import io.zkperp.state.smt.TreeSpec;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The column families of a layout-v2 database. {@code meta} is the same column family (name and
 * encoding) as in layout v1, so either store reads the other's {@code layout.version} marker and
 * refuses the database; the other column families share v1's names and ids where their keys mean
 * the same thing, and v2 has no {@code positions} and no {@code diffs}.
 */
final class SchemaV2 {
  private SchemaV2() {}

  static final String META_LAYOUT = LayoutMetadata.LAYOUT;
  static final String META_VERSION = LayoutMetadata.VERSION;
  static final String META_OLDEST = LayoutMetadata.OLDEST;

  /** Tree kinds in the node key space (v1's kind numbers for the trees both layouts have). */
  static final int ACCOUNTS_TREE = 0;

  static final int FILLS_TREE = 2;
  static final int MARKETS_TREE = 3;

  static final List<TreeSpec> TREES =
      List.of(
          new TreeSpec(ACCOUNTS_TREE, LayoutV2.ACCOUNTS_DEPTH),
          new TreeSpec(FILLS_TREE, LayoutV2.FILLS_DEPTH),
          new TreeSpec(MARKETS_TREE, LayoutV2.MARKETS_DEPTH));

  /** Metadata depth entries checked at open: name → depth, in order. */
  static final Map<String, Long> DEPTHS = depths();

  private static Map<String, Long> depths() {
    Map<String, Long> d = new LinkedHashMap<>();
    d.put("depth.accounts", (long) LayoutV2.ACCOUNTS_DEPTH);
    d.put("depth.fills", (long) LayoutV2.FILLS_DEPTH);
    d.put("depth.markets", (long) LayoutV2.MARKETS_DEPTH);
    return Collections.unmodifiableMap(d);
  }

  static final KvColumn<String, Long> META = LayoutMetadata.META;

  static final KvColumn<Long, byte[]> NODES = LayoutMetadata.NODES;

  static final KvColumn<Long, AccountV2> ACCOUNTS =
      KvColumn.of(
          "accounts",
          2,
          KvSerializer.int64(),
          KvSerializer.of(RecordCodecV2::account, RecordCodecV2::account));

  static final KvColumn<Long, FillV2> FILLS =
      KvColumn.of(
          "fills",
          4,
          KvSerializer.int64(),
          KvSerializer.of(RecordCodecV2::fill, RecordCodecV2::fill));

  static final KvColumn<Long, MarketV2> MARKETS =
      KvColumn.of(
          "markets",
          5,
          KvSerializer.int64(),
          KvSerializer.of(RecordCodecV2::market, RecordCodecV2::market));

  static final KvColumn<Long, GlobalV2> GLOBAL =
      KvColumn.of(
          "global",
          6,
          KvSerializer.int64(),
          KvSerializer.of(RecordCodecV2::global, RecordCodecV2::global));

  static final KvColumn<byte[], byte[]> HISTORY = LayoutMetadata.HISTORY;

  static final KvColumn<byte[], byte[]> VERSION_LOG = LayoutMetadata.VERSION_LOG;

  static final KvColumn<Long, StateRootsV2> ROOTS =
      KvColumn.of(
              "roots",
              10,
              KvSerializer.int64(),
              KvSerializer.of(SchemaV2::rootsBytes, SchemaV2::rootsFromBytes))
          .uncompressed();

  static final List<KvColumn<?, ?>> ALL =
      List.of(META, NODES, ACCOUNTS, FILLS, MARKETS, GLOBAL, HISTORY, VERSION_LOG, ROOTS);

  /** The versioned column of an id found in a version log, or null. */
  static KvColumn<Long, ?> versioned(int id) {
    return switch (id) {
      case 1 -> NODES;
      case 2 -> ACCOUNTS;
      case 4 -> FILLS;
      case 5 -> MARKETS;
      case 6 -> GLOBAL;
      default -> null;
    };
  }

  static long fillKey(long account, int slot) {
    return (account << 32) | slot;
  }

  private static byte[] rootsBytes(StateRootsV2 r) {
    return ByteBuffer.allocate(4 * Fr.BYTES)
        .put(r.accountsRoot().toBytes())
        .put(r.marketsRoot().toBytes())
        .put(r.globalLeaf().toBytes())
        .put(r.stateRoot().toBytes())
        .array();
  }

  private static StateRootsV2 rootsFromBytes(byte[] b) {
    if (b.length != 4 * Fr.BYTES) {
      throw new IllegalArgumentException("roots entry of " + b.length + " bytes, expected 128");
    }
    Fr[] f = new Fr[4];
    for (int i = 0; i < 4; i++) {
      f[i] = Fr.fromBytes(java.util.Arrays.copyOfRange(b, i * Fr.BYTES, (i + 1) * Fr.BYTES));
    }
    StateRootsV2 r = new StateRootsV2(f[0], f[1], f[2], f[3]);
    if (!r.isConsistent()) {
      throw new IllegalArgumentException("roots entry whose state root is not their hash");
    }
    return r;
  }
}
