package io.zkperp.state;

import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.Fill;
import io.zkperp.protocol.state.GlobalState;
import io.zkperp.protocol.state.Market;
import io.zkperp.protocol.state.Position;
import io.zkperp.state.kv.KvColumn;
import io.zkperp.state.kv.KvSerializer;
import java.util.List;

/** Column families and key formats of a state database (see state-tree/README.md). */
final class Schema {
  private Schema() {}

  /** Metadata: layout version, depths, current version, oldest kept version. */
  static final KvColumn<String, Long> META = LayoutMetadata.META;

  /** Latest non-empty tree nodes: packed node key → canonical 32-byte hash. */
  static final KvColumn<Long, byte[]> NODES = LayoutMetadata.NODES;

  /** Latest account records: account id → {@link Account#toBytes()}. */
  static final KvColumn<Long, Account> ACCOUNTS =
      KvColumn.of(
          "accounts",
          2,
          KvSerializer.int64(),
          KvSerializer.of(Account::toBytes, Account::fromBytes));

  /** Latest positions: account &lt;&lt; 32 | market → {@link Position#toBytes()} (size ≠ 0). */
  static final KvColumn<Long, Position> POSITIONS =
      KvColumn.of(
          "positions",
          3,
          KvSerializer.int64(),
          KvSerializer.of(Position::toBytes, Position::fromBytes));

  /** Latest fills: account &lt;&lt; 32 | slot → {@link Fill#toBytes()}. */
  static final KvColumn<Long, Fill> FILLS =
      KvColumn.of(
          "fills", 4, KvSerializer.int64(), KvSerializer.of(Fill::toBytes, Fill::fromBytes));

  /** Latest markets: market id → {@link Market#toBytes()}. */
  static final KvColumn<Long, Market> MARKETS =
      KvColumn.of(
          "markets", 5, KvSerializer.int64(), KvSerializer.of(Market::toBytes, Market::fromBytes));

  /** The global leaf: key 0 → {@link GlobalState#toBytes()}. */
  static final KvColumn<Long, GlobalState> GLOBAL =
      KvColumn.of(
          "global",
          6,
          KvSerializer.int64(),
          KvSerializer.of(GlobalState::toBytes, GlobalState::fromBytes));

  /**
   * Undo history: column id (1) ‖ key (8) ‖ version (8) → the value of that key just before that
   * version was committed: 0x00 (absent) or 0x01 ‖ bytes.
   */
  static final KvColumn<byte[], byte[]> HISTORY = LayoutMetadata.HISTORY;

  /** Per-version log: version (8) ‖ chunk (4) → touched keys, 9 bytes each (column id ‖ key). */
  static final KvColumn<byte[], byte[]> VERSION_LOG = LayoutMetadata.VERSION_LOG;

  /** Per-version state diff: version (8) ‖ chunk (4) → encoded {@link LeafChange}s. */
  static final KvColumn<byte[], byte[]> DIFFS =
      KvColumn.of("diffs", 9, KvSerializer.raw(), KvSerializer.raw());

  /** Roots of every kept version: version → {@link StateRoots#toBytes()}. */
  static final KvColumn<Long, StateRoots> ROOTS =
      KvColumn.of(
              "roots",
              10,
              KvSerializer.int64(),
              KvSerializer.of(StateRoots::toBytes, StateRoots::fromBytes))
          .uncompressed();

  static final List<KvColumn<?, ?>> ALL =
      List.of(
          META,
          NODES,
          ACCOUNTS,
          POSITIONS,
          FILLS,
          MARKETS,
          GLOBAL,
          HISTORY,
          VERSION_LOG,
          DIFFS,
          ROOTS);

  /** Columns whose latest values are versioned through HISTORY, by id. */
  static KvColumn<Long, ?> versioned(int id) {
    return switch (id) {
      case 1 -> NODES;
      case 2 -> ACCOUNTS;
      case 3 -> POSITIONS;
      case 4 -> FILLS;
      case 5 -> MARKETS;
      case 6 -> GLOBAL;
      default -> null;
    };
  }

  static KvColumn<Long, ?> recordColumn(LeafKind kind) {
    return switch (kind) {
      case ACCOUNT -> ACCOUNTS;
      case POSITION -> POSITIONS;
      case FILL -> FILLS;
      case MARKET -> MARKETS;
      case GLOBAL -> GLOBAL;
    };
  }

  static final String META_LAYOUT = LayoutMetadata.LAYOUT;
  static final String META_VERSION = LayoutMetadata.VERSION;
  static final String META_OLDEST = LayoutMetadata.OLDEST;

  /** Record key within its column. */
  static long recordKey(LeafKind kind, int account, int index) {
    return switch (kind) {
      case ACCOUNT -> account;
      case POSITION, FILL -> ((long) account << 32) | index;
      case MARKET -> index;
      case GLOBAL -> 0;
    };
  }

  static byte[] historyKey(int columnId, long key, long version) {
    return io.zkperp.state.kv.VersionedKeys.historyKey(columnId, key, version);
  }

  static byte[] chunkKey(long version, int chunk) {
    return io.zkperp.state.kv.VersionedKeys.chunkKey(version, chunk);
  }

  static byte[] versionPrefixStart(long version) {
    return chunkKey(version, 0);
  }

  static byte[] versionPrefixEnd(long version) {
    return chunkKey(version + 1, 0);
  }

  static byte[] historyValue(byte[] old) {
    return io.zkperp.state.kv.VersionedKeys.undoEntry(old);
  }
}
