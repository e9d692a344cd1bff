package io.zkperp.l1;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * Follows the rollup's L1 priority queue ({@code DepositQueued}, {@code ForcedWithdrawalRequested})
 * and hands each operation to a {@link Sink} exactly once, in queue order, once its block has
 * {@link Options#confirmations} confirmations.
 *
 * <ul>
 *   <li><b>Confirmations:</b> only blocks up to {@code head − confirmations} are scanned, so an
 *       operation in a block that is reorganised away before it is that deep is never seen.
 *   <li><b>Paging:</b> {@code eth_getLogs} over at most {@link Options#pageBlocks} blocks at a
 *       time; the cursor is saved after each page.
 *   <li><b>Reorgs:</b> the cursor remembers the hashes of the blocks it scanned. Before scanning,
 *       the newest remembered block is compared with the chain; if its hash changed, the cursor
 *       moves back to the newest remembered block that is still on the chain and the blocks after
 *       it are scanned again. Operations are identified by their queue index: one the sink has
 *       already taken ({@code index < sink.nextIndex()}) is skipped, so an operation that lands
 *       again in another block is credited once.
 *   <li><b>Durability:</b> the cursor is a file ({@link WatcherCursor}) saved after the sink has
 *       taken a page's operations; the sink is the authority on what was credited ({@link
 *       Sink#nextIndex}), so a crash between the two rescans a page and credits nothing twice.
 * </ul>
 *
 * <p>Thread-safety: {@link #poll} from one thread at a time (it is synchronized).
 */
public final class PriorityOpWatcher {
  private static final Logger LOG = LoggerFactory.getLogger(PriorityOpWatcher.class);

  /** Takes the priority operations, in queue order. */
  public interface Sink {
    /**
     * The queue index of the next operation the sink expects: every lower index has been taken
     * durably. Called on the polling thread.
     *
     * @return the next index (0 at first)
     */
    long nextIndex();

    /**
     * Takes the operation with index {@link #nextIndex()}; returns once it is durable (e.g.
     * journaled by the sequencer). Called on the polling thread.
     *
     * @param op the operation
     * @throws RuntimeException if it cannot be taken; the watcher stops this poll and the next poll
     *     offers it again
     */
    void accept(L1PriorityOp op);
  }

  /**
   * How the watcher reads L1.
   *
   * @param confirmations blocks on top of an operation's block before it is taken (≥ 0)
   * @param pageBlocks blocks per {@code eth_getLogs} request (≥ 1)
   * @param startBlock the first block to scan on an empty cursor (the rollup's deployment block)
   */
  public record Options(long confirmations, long pageBlocks, long startBlock) {
    /** Checks the ranges. */
    public Options {
      if (confirmations < 0 || pageBlocks < 1 || startBlock < 0) {
        throw new IllegalArgumentException(
            "confirmations and startBlock must be ≥ 0 and pageBlocks ≥ 1, got "
                + confirmations
                + ", "
                + startBlock
                + ", "
                + pageBlocks);
      }
    }
  }

  /**
   * What one {@link #poll} did.
   *
   * @param head the L1 head block
   * @param safeHead the newest block scanned ({@code head − confirmations}), or -1 if none is deep
   *     enough
   * @param taken operations handed to the sink
   * @param reorganised whether a reorganisation of scanned blocks was found (the cursor moved back)
   * @param nextBlock the first block not scanned yet
   */
  public record Poll(long head, long safeHead, int taken, boolean reorganised, long nextBlock) {}

  private final L1Session session;
  private final String rollup;
  private final Path cursorFile;
  private final Options options;
  private WatcherCursor cursor;

  /**
   * Opens the watcher on its cursor file (created by the first poll).
   *
   * @param session the L1 connection
   * @param rollup the rollup's address
   * @param cursorFile the cursor's file
   * @param options confirmations, page size, start block
   * @throws IOException if the cursor file exists but cannot be read
   */
  public PriorityOpWatcher(L1Session session, String rollup, Path cursorFile, Options options)
      throws IOException {
    this.session = Objects.requireNonNull(session, "session");
    this.rollup = Objects.requireNonNull(rollup, "rollup");
    this.cursorFile = Objects.requireNonNull(cursorFile, "cursorFile");
    this.options = Objects.requireNonNull(options, "options");
    this.cursor = WatcherCursor.load(cursorFile, WatcherCursor.startingAt(options.startBlock()));
  }

  /**
   * The cursor as of the last poll.
   *
   * @return the cursor
   */
  public synchronized WatcherCursor cursor() {
    return cursor;
  }

  /**
   * Checks for a reorganisation, then scans every confirmed block not scanned yet, page by page,
   * handing new operations to {@code sink}.
   *
   * @param sink takes the operations
   * @return what was done
   * @throws L1Exception if L1 cannot be read, the queue has a gap, or the cursor cannot be saved;
   *     what was taken before stays taken
   */
  public synchronized Poll poll(Sink sink) {
    long head = blockNumber();
    boolean reorganised = checkReorg();
    long safe = head - options.confirmations();
    int taken = 0;
    while (cursor.nextBlock() <= safe) {
      long from = cursor.nextBlock();
      long to = Math.min(safe, from + options.pageBlocks() - 1);
      List<L1PriorityOp> ops = logs(from, to);
      byte[] hash = blockHash(to);
      if (hash == null) {
        throw new L1Exception("block " + to + " vanished while it was scanned", null);
      }
      for (L1PriorityOp op : ops) {
        long next = sink.nextIndex();
        if (op.index() < next) {
          continue; // taken before (a page scanned again after a crash or a reorganisation)
        }
        if (op.index() > next) {
          throw new L1Exception(
              "priority queue gap: expected index "
                  + next
                  + " but block range "
                  + from
                  + "-"
                  + to
                  + " holds index "
                  + op.index()
                  + " (does the cursor start after an untaken operation?)",
              null);
        }
        sink.accept(op);
        taken++;
        LOG.info("L1 priority op {} taken from block range {}-{}", op.index(), from, to);
      }
      cursor = cursor.advancedTo(to, hash);
      save();
    }
    return new Poll(head, safe, taken, reorganised, cursor.nextBlock());
  }

  /** Moves the cursor back past scanned blocks whose hash changed; true if it did. */
  private boolean checkReorg() {
    List<WatcherCursor.BlockRef> recent = cursor.recent();
    if (recent.isEmpty()
        || recent.get(recent.size() - 1).hashEquals(blockHash(recent.getLast().number()))) {
      return false;
    }
    int keep = recent.size() - 1;
    while (keep > 0 && !recent.get(keep - 1).hashEquals(blockHash(recent.get(keep - 1).number()))) {
      keep--;
    }
    WatcherCursor back = cursor.rolledBack(keep, options.startBlock());
    LOG.warn(
        "L1 reorganisation: block {} changed; rescanning from block {}",
        recent.getLast().number(),
        back.nextBlock());
    cursor = back;
    save();
    return true;
  }

  private void save() {
    try {
      cursor.save(cursorFile);
    } catch (IOException e) {
      throw new L1Exception(
          "cannot save the L1 watcher cursor " + cursorFile + ": " + e.getMessage(),
          new UncheckedIOException(e));
    }
  }

  private long blockNumber() {
    try {
      return session.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    } catch (IOException | RuntimeException e) {
      throw new L1Exception("eth_blockNumber failed: " + e.getMessage(), e);
    }
  }

  /** The hash of block {@code number}, or null if the chain has no such block. */
  private byte[] blockHash(long number) {
    EthBlock b;
    try {
      b =
          session
              .web3j()
              .ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false)
              .send();
    } catch (IOException e) {
      throw new L1Exception("eth_getBlockByNumber(" + number + ") failed: " + e.getMessage(), e);
    }
    if (b.hasError()) {
      throw new L1Exception(
          "eth_getBlockByNumber(" + number + "): " + b.getError().getMessage(), null);
    }
    return b.getBlock() == null ? null : Numeric.hexStringToByteArray(b.getBlock().getHash());
  }

  private List<L1PriorityOp> logs(long from, long to) {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
            DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
            rollup);
    filter.addOptionalTopics(PriorityQueue.DEPOSIT_TOPIC, PriorityQueue.FORCED_TOPIC);
    EthLog logs;
    try {
      logs = session.web3j().ethGetLogs(filter).send();
    } catch (IOException e) {
      throw new L1Exception("eth_getLogs(" + from + "-" + to + ") failed: " + e.getMessage(), e);
    }
    if (logs.hasError()) {
      throw new L1Exception(
          "eth_getLogs(" + from + "-" + to + "): " + logs.getError().getMessage(), null);
    }
    List<L1PriorityOp> out = new ArrayList<>();
    for (EthLog.LogResult<?> r : logs.getLogs()) {
      Log log = (Log) r.get();
      if (log.isRemoved()) {
        continue;
      }
      out.add(PriorityQueue.decode(log));
    }
    out.sort(Comparator.comparingLong(L1PriorityOp::index));
    return out;
  }
}
