package io.zkperp.gateway.bridge.history;

import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.sequencer.Side;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The node's history in RocksDB (under {@code <data-dir>/history/}): fills per account, trades per
 * market, candles per market and {@link CandleInterval} (built from the trades), funding ticks per
 * market, funding payments and collateral changes per account, order outcomes per account (each
 * change) and order records per account (each order once, as it stands or ended) — every entry the
 * read model derived from a journal record, without a cap. It is derived data: each {@link Batch}
 * is written as one RocksDB {@link WriteBatch} (write-ahead log on) together with the journal
 * sequence of the last record it covers ({@link #appliedSeq}), so after a crash the store is
 * exactly at some record and the read model replays the journal from there (records up to {@link
 * #appliedSeq} are skipped: nothing doubled, nothing missing).
 *
 * <p>Key layout, one column family per kind: {@code owner (8 bytes) | Long.MAX_VALUE − journalSeq
 * (8) | Integer.MAX_VALUE − index (4)}, big-endian, so a forward iteration from an owner's prefix
 * lists its entries newest first and a {@link HistoryCursor} is a seek. The owner is the account or
 * market id (for candles {@code market × 256 + interval}, and the "journal sequence" is the
 * candle's start time; for order records it is the order id, so an account's orders list newest
 * placed first). A per-market listing of an account's fills (or funding payments) scans its entries
 * of all markets and skips the others (one entry per fill instead of two; a market the account
 * rarely trades costs a longer scan).
 *
 * <p>Threads: the batches are built and committed by one writer thread at a time (the journal
 * thread, or the recovering thread before serving); the page reads from any thread concurrently
 * (RocksDB's own concurrency; no lock shared with the writer). {@link #close} once, after the
 * writer and the readers stopped.
 */
public final class HistoryStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  /** The subdirectory of the data directory. */
  public static final String DIR = "history";

  private static final byte[] APPLIED_SEQ =
      "appliedSeq".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] FORMAT =
      "format".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final long FORMAT_VERSION = 3; // 2: candles, order records; 3: ledger entries
  private static final long MAX_WAL_BYTES = 128L << 20;

  /** Which listing an entry belongs to. */
  private enum Kind {
    FILLS,
    TRADES,
    FUNDING,
    PAYMENTS,
    COLLATERAL,
    ORDERS,
    CANDLES,
    ORDER_RECORDS
  }

  /**
   * One trade of a market (the input of candles).
   *
   * @param journalSeq the journal sequence of the command
   * @param index the fill's position among the command's fills
   * @param market the market
   * @param time the time the read model had reached (seconds: the latest oracle or core tick)
   * @param price the price
   * @param size the size (&gt; 0)
   * @param takerSide the taker's side
   */
  public record Trade(
      long journalSeq, int index, int market, long time, long price, long size, Side takerSide) {}

  /**
   * How one order of an account stood after a command (placed, parked, triggered, filled in part,
   * or closed with its reason).
   *
   * @param journalSeq the journal sequence of the command
   * @param index its position among the command's changes of this account
   * @param change the order and its status
   */
  public record OrderEvent(long journalSeq, int index, ReadModel.OrderChange change) {}

  /**
   * One page of a newest-first listing.
   *
   * @param items the entries, newest first
   * @param next where the next page starts, or null if these are the oldest
   * @param <T> the entry type
   */
  public record Page<T>(List<T> items, HistoryCursor next) {}

  private final RocksDB db;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final List<ColumnFamilyHandle> handles;
  private final ColumnFamilyHandle[] byKind = new ColumnFamilyHandle[Kind.values().length];
  private final WriteOptions write;
  private final WriteOptions syncWrite;
  private volatile long appliedSeq;
  private volatile boolean closed;

  private HistoryStore(
      RocksDB db, DBOptions dbOptions, ColumnFamilyOptions cfOptions, List<ColumnFamilyHandle> h)
      throws RocksDBException {
    this.db = db;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.handles = h;
    for (Kind k : Kind.values()) {
      byKind[k.ordinal()] = h.get(k.ordinal() + 1);
    }
    this.write = new WriteOptions(); // WAL on, not synced per batch: the journal is the record
    this.syncWrite = new WriteOptions().setSync(true);
    byte[] seq = db.get(APPLIED_SEQ);
    this.appliedSeq = seq == null ? 0 : ByteBuffer.wrap(seq).getLong();
  }

  /**
   * Opens (creating if absent) the history under {@code dir}.
   *
   * @param dir the directory ({@code <data-dir>/history})
   * @return the store
   * @throws IOException if RocksDB cannot open it, or it was written in another format
   */
  public static HistoryStore open(Path dir) throws IOException {
    Files.createDirectories(dir);
    DBOptions dbOptions =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            // bounds the log a restart after a crash replays: older memtables are flushed
            .setMaxTotalWalSize(MAX_WAL_BYTES);
    ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
    for (Kind k : Kind.values()) {
      descriptors.add(
          new ColumnFamilyDescriptor(
              k.name().toLowerCase(java.util.Locale.ROOT).getBytes(), cfOptions));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db;
    try {
      db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      cfOptions.close();
      dbOptions.close();
      throw new IOException("cannot open the history in " + dir + ": " + e.getMessage(), e);
    }
    try {
      byte[] format = db.get(FORMAT);
      if (format == null) {
        db.put(FORMAT, longBytes(FORMAT_VERSION));
      } else if (ByteBuffer.wrap(format).getLong() != FORMAT_VERSION) {
        throw new IOException(
            "the history in "
                + dir
                + " has format "
                + ByteBuffer.wrap(format).getLong()
                + ", not "
                + FORMAT_VERSION
                + "; delete the directory: the node rebuilds it from the journal");
      }
      return new HistoryStore(db, dbOptions, cfOptions, handles);
    } catch (RocksDBException | IOException e) {
      handles.forEach(ColumnFamilyHandle::close);
      db.close();
      cfOptions.close();
      dbOptions.close();
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
  }

  /**
   * The journal sequence of the last record whose entries are stored (0: none). Any thread.
   *
   * @return the sequence
   */
  public long appliedSeq() {
    return appliedSeq;
  }

  /**
   * Starts a batch of entries. The writer thread.
   *
   * @return an empty batch
   */
  public Batch batch() {
    return new Batch();
  }

  /**
   * The entries of journal records, written together with the sequence of the last one. Not
   * thread-safe: the writer thread builds it and {@link #commit}s it.
   */
  public final class Batch implements AutoCloseable {
    private final WriteBatch wb = new WriteBatch();
    private int entries;
    private long lastSeq;

    private Batch() {}

    /**
     * How many entries it holds.
     *
     * @return the count
     */
    public int entries() {
      return entries;
    }

    /**
     * The last record noted with {@link #record}.
     *
     * @return its sequence (0 if none)
     */
    public long lastSeq() {
      return lastSeq;
    }

    /**
     * Notes that the entries of a record are complete (a record may have none).
     *
     * @param journalSeq its journal sequence
     */
    public void record(long journalSeq) {
      lastSeq = journalSeq;
    }

    private void put(Kind kind, long owner, long seq, int index, byte[] value) {
      try {
        wb.put(byKind[kind.ordinal()], key(owner, seq, index), value);
      } catch (RocksDBException e) {
        throw new IllegalStateException("history batch: " + e.getMessage(), e);
      }
      entries++;
    }

    /**
     * A fill of an account.
     *
     * @param account the account
     * @param f the fill
     */
    public void fill(int account, ReadModel.FillView f) {
      put(Kind.FILLS, account, f.journalSeq(), f.index(), Codec.fill(f));
    }

    /**
     * A trade of a market.
     *
     * @param t the trade
     */
    public void trade(Trade t) {
      put(Kind.TRADES, t.market(), t.journalSeq(), t.index(), Codec.trade(t));
    }

    /**
     * A funding tick of a market.
     *
     * @param t the tick
     */
    public void funding(ReadModel.FundingTickView t) {
      put(Kind.FUNDING, t.market(), t.journalSeq(), 0, Codec.funding(t));
    }

    /**
     * A funding payment of an account's position.
     *
     * @param p the payment
     */
    public void payment(FundingPayment p) {
      put(Kind.PAYMENTS, p.account(), p.journalSeq(), p.index(), Codec.payment(p));
    }

    /**
     * A collateral change of an account.
     *
     * @param c the change
     */
    public void collateral(CollateralChange c) {
      put(Kind.COLLATERAL, c.account(), c.journalSeq(), c.index(), Codec.collateral(c));
    }

    /**
     * An order's outcome.
     *
     * @param e the event
     */
    public void order(OrderEvent e) {
      put(Kind.ORDERS, e.change().order().account(), e.journalSeq(), e.index(), Codec.order(e));
    }

    /**
     * An order as it stands after a command (replaces its earlier record).
     *
     * @param r the record
     */
    public void orderRecord(OrderRecord r) {
      ReadModel.OpenOrder o = r.change().order();
      put(Kind.ORDER_RECORDS, o.account(), o.orderId(), 0, Codec.orderRecord(r));
    }

    /**
     * A candle as it stands after a trade (replaces the earlier state of the same interval).
     *
     * @param c the candle
     */
    public void candle(Candle c) {
      put(Kind.CANDLES, candleOwner(c.market(), c.interval()), c.start(), 0, Codec.candle(c));
    }

    @Override
    public void close() {
      wb.close();
    }
  }

  /**
   * Writes a batch atomically with its {@link Batch#lastSeq} as the new {@link #appliedSeq}, then
   * closes it. The writer thread.
   *
   * @param batch the batch (records after {@link #appliedSeq} only)
   * @param sync whether to wait for the write-ahead log to reach the disk (before a snapshot that
   *     will let the journal before it go)
   * @throws IllegalStateException if RocksDB fails to write (the store is then behind the read
   *     model; a restart replays the missing records) or the batch goes backwards
   */
  public void commit(Batch batch, boolean sync) {
    try (batch) {
      if (batch.lastSeq == 0 && batch.entries == 0) {
        return;
      }
      if (batch.lastSeq <= appliedSeq) {
        throw new IllegalStateException(
            "history batch ends at " + batch.lastSeq + ", the store is at " + appliedSeq);
      }
      batch.wb.put(APPLIED_SEQ, longBytes(batch.lastSeq));
      db.write(sync ? syncWrite : write, batch.wb);
      appliedSeq = batch.lastSeq;
    } catch (RocksDBException e) {
      throw new IllegalStateException("history write failed: " + e.getMessage(), e);
    }
  }

  /**
   * Forces the write-ahead log to the disk. The writer thread, or the snapshot replica's thread
   * (RocksDB's log sync may run beside writes); not during or after {@link #close}.
   *
   * @throws IllegalStateException if RocksDB fails
   */
  public void syncWal() {
    if (closed) {
      return;
    }
    try {
      db.syncWal();
    } catch (RocksDBException e) {
      throw new IllegalStateException("history sync failed: " + e.getMessage(), e);
    }
  }

  /**
   * An account's fills, newest first. Any thread.
   *
   * @param account the account
   * @param market only this market, or −1 for all
   * @param after where to continue ({@link HistoryCursor#NEWEST} for the start)
   * @param limit the most fills, ≥ 1
   * @return the page
   */
  public Page<ReadModel.FillView> fills(int account, int market, HistoryCursor after, int limit) {
    return page(
        Kind.FILLS,
        account,
        after,
        limit,
        (s, i, v) -> Codec.fill(s, i, v),
        market < 0 ? null : f -> f.market() == market,
        Long.MIN_VALUE);
  }

  /**
   * A market's trades, newest first. Any thread.
   *
   * @param market the market
   * @param after where to continue
   * @param limit the most trades
   * @return the page
   */
  public Page<Trade> trades(int market, HistoryCursor after, int limit) {
    return page(Kind.TRADES, market, after, limit, (s, i, v) -> Codec.trade(s, i, market, v));
  }

  /**
   * A market's funding ticks, newest first. Any thread.
   *
   * @param market the market
   * @param after where to continue
   * @param limit the most ticks
   * @return the page
   */
  public Page<ReadModel.FundingTickView> funding(int market, HistoryCursor after, int limit) {
    return page(Kind.FUNDING, market, after, limit, (s, i, v) -> Codec.funding(s, market, v));
  }

  /**
   * An account's funding payments, one per settled position, newest first. Any thread.
   *
   * @param account the account
   * @param market only this market, or −1 for all (scans the account's payments of all markets)
   * @param after where to continue
   * @param limit the most entries
   * @return the page
   */
  public Page<FundingPayment> payments(int account, int market, HistoryCursor after, int limit) {
    return page(
        Kind.PAYMENTS,
        account,
        after,
        limit,
        (s, i, v) -> Codec.payment(s, i, account, v),
        market < 0 ? null : p -> p.market() == market,
        Long.MIN_VALUE);
  }

  /**
   * An account's collateral changes, newest first. Any thread.
   *
   * @param account the account
   * @param after where to continue
   * @param limit the most entries
   * @return the page
   */
  public Page<CollateralChange> collateral(int account, HistoryCursor after, int limit) {
    return page(
        Kind.COLLATERAL, account, after, limit, (s, i, v) -> Codec.collateral(s, i, account, v));
  }

  /**
   * An account's order outcomes, newest first. Any thread.
   *
   * @param account the account
   * @param after where to continue
   * @param limit the most entries
   * @return the page
   */
  public Page<OrderEvent> orders(int account, HistoryCursor after, int limit) {
    return page(Kind.ORDERS, account, after, limit, (s, i, v) -> Codec.order(s, i, account, v));
  }

  /**
   * An account's orders, newest placed first, each once: as it stands, or as it ended. Any thread.
   *
   * @param account the account
   * @param after where to continue (the cursor's journal sequence is an order id)
   * @param limit the most orders
   * @return the page
   */
  public Page<OrderRecord> orderRecords(int account, HistoryCursor after, int limit) {
    return page(
        Kind.ORDER_RECORDS, account, after, limit, (s, i, v) -> Codec.orderRecord(account, v));
  }

  /**
   * A market's candles of one interval, newest first, whose start is within [{@code from}, {@code
   * to}]. Any thread.
   *
   * @param market the market
   * @param interval the interval
   * @param from the earliest start wanted, seconds
   * @param to the latest start wanted, seconds
   * @param after where to continue (the cursor's journal sequence is a candle's start)
   * @param limit the most candles
   * @return the page
   */
  public Page<Candle> candles(
      int market, CandleInterval interval, long from, long to, HistoryCursor after, int limit) {
    HistoryCursor start =
        to < 1 ? null : after.journalSeq() > to ? new HistoryCursor(to, Integer.MAX_VALUE) : after;
    if (start == null) {
      return new Page<>(List.of(), null);
    }
    return page(
        Kind.CANDLES,
        candleOwner(market, interval),
        start,
        limit,
        (s, i, v) -> Codec.candle(market, interval, s, v),
        null,
        from);
  }

  /**
   * The newest candle of a market and interval, if any. Any thread (the writer uses it to go on
   * with the open candle after a restart).
   *
   * @param market the market
   * @param interval the interval
   * @return the candle, or null
   */
  public Candle latestCandle(int market, CandleInterval interval) {
    List<Candle> c =
        candles(market, interval, Long.MIN_VALUE, Long.MAX_VALUE, HistoryCursor.NEWEST, 1).items();
    return c.isEmpty() ? null : c.get(0);
  }

  private static long candleOwner(int market, CandleInterval interval) {
    return (long) market * 256 + interval.ordinal();
  }

  @FunctionalInterface
  private interface Decoder<T> {
    T decode(long journalSeq, int index, byte[] value);
  }

  /** A page of all the entries (no filter, no lower bound). */
  private <T> Page<T> page(
      Kind kind, long owner, HistoryCursor after, int limit, Decoder<T> decoder) {
    return page(kind, owner, after, limit, decoder, null, Long.MIN_VALUE);
  }

  /**
   * A page of the entries that pass {@code filter} (null: all), ending at the first entry whose
   * sequence is below {@code minSeq}.
   */
  private <T> Page<T> page(
      Kind kind,
      long owner,
      HistoryCursor after,
      int limit,
      Decoder<T> decoder,
      java.util.function.Predicate<T> filter,
      long minSeq) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be ≥ 1, got " + limit);
    }
    Objects.requireNonNull(after, "after");
    if (closed) {
      throw new IllegalStateException("the history is closed");
    }
    byte[] start = key(owner, after.journalSeq(), after.index());
    List<T> out = new ArrayList<>(Math.min(limit, 1024));
    HistoryCursor next = null;
    HistoryCursor lastCursor = null;
    try (ReadOptions ro = new ReadOptions();
        RocksIterator it = db.newIterator(byKind[kind.ordinal()], ro)) {
      it.seek(start);
      if (it.isValid() && Arrays.equals(it.key(), start)) {
        it.next(); // strictly older than the cursor
      }
      for (; it.isValid(); it.next()) {
        byte[] k = it.key();
        if (k.length != 20 || ByteBuffer.wrap(k).getLong() != owner) {
          break;
        }
        ByteBuffer kb = ByteBuffer.wrap(k, 8, 12);
        long seq = Long.MAX_VALUE - kb.getLong();
        int index = Integer.MAX_VALUE - kb.getInt();
        if (seq < minSeq) {
          break; // the listing ends here: no next page
        }
        if (out.size() == limit) {
          next = lastCursor; // there is an older entry: the listing goes on
          break;
        }
        T item = decoder.decode(seq, index, it.value());
        if (filter != null && !filter.test(item)) {
          continue;
        }
        out.add(item);
        lastCursor = new HistoryCursor(seq, index);
      }
    }
    return new Page<>(List.copyOf(out), next);
  }

  private static byte[] key(long owner, long seq, int index) {
    return ByteBuffer.allocate(20)
        .putLong(owner)
        .putLong(Long.MAX_VALUE - seq)
        .putInt(Integer.MAX_VALUE - index)
        .array();
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  /**
   * Flushes the memtables (the next open then replays no log) and closes RocksDB. Once, after the
   * writer and readers stopped.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // flush the memtables, so that the next open has no log to replay (a fast restart)
    try (org.rocksdb.FlushOptions flush = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
      db.flush(flush, handles);
    } catch (RocksDBException e) {
      // the log still holds everything: the next open replays it
    }
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    write.close();
    syncWrite.close();
    cfOptions.close();
    dbOptions.close();
  }
}
