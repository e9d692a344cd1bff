package io.zkperp.gateway.bridge;

import io.zkperp.gateway.rpc.RpcError;
import io.zkperp.gateway.rpc.RpcException;
import io.zkperp.sequencer.RejectReason;
import io.zkperp.sequencer.command.Command;
import io.zkperp.sequencer.command.CommandCodec;
import io.zkperp.sequencer.core.SequencerEvent;
import io.zkperp.sequencer.pipeline.Sequencer;
import io.zkperp.sequencer.pipeline.SequencerOutput;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's side of the sequencer: submits commands and turns the sequencer's results (which
 * arrive on the journal thread, after the group commit) into futures. It is the pipeline's {@link
 * SequencerOutput}: on the journal thread it first applies the command's events to the {@link
 * ReadModel} (so a client that got its answer reads its own write), then hands the completion of
 * the caller's future to the caller's event loop (see {@link #submit(Command, Executor)}) or to its
 * own completion thread, so the journal thread never runs gateway code beyond that.
 *
 * <p>Back-pressure: at most {@code maxInFlight} commands wait for an answer; one more is refused
 * {@link RpcError#OVERLOADED} at once instead of blocking a Netty thread. Keep {@code maxInFlight}
 * at most the sequencer's ring size so that {@link Sequencer#submit} never blocks.
 *
 * <p>Threads: {@link #submit} from any thread; {@link #onAccepted} / {@link #onRejected} from the
 * sequencer's journal thread; {@link #attach} once before the first submit; {@link #close} once.
 */
public final class SequencerBridge implements SequencerOutput, AutoCloseable {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(SequencerBridge.class);

  /** A command waiting for its answer; {@code completeOn} null means the completion thread. */
  private record Pending(
      Command command,
      CompletableFuture<CommandOutcome> future,
      long deadlineNanos,
      Executor completeOn) {}

  /**
   * How often waiting callers are checked against their deadline: a caller gets {@link
   * RpcError#TIMEOUT} between {@code timeoutMillis} and {@code timeoutMillis + SWEEP_MILLIS} after
   * submitting. One sweep for all callers replaces a timer per command (which cost a scheduling and
   * a cancellation, and often a thread wake-up, per order).
   */
  static final long SWEEP_MILLIS = 20;

  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextRequestId = new AtomicLong(1);
  private final Semaphore inFlight;
  private final ReadModel readModel;
  private final ExecutorService completions;
  private final java.util.concurrent.ScheduledExecutorService timeouts;
  private final long timeoutMillis;
  private volatile Sequencer sequencer;
  private volatile boolean closed;
  private volatile java.util.function.Consumer<List<ReadModel.BookDelta>> bookSink = d -> {};
  private volatile TradeSink tradeSink = (seq, fills) -> {};
  private volatile AcceptedSink acceptedSink = (seq, command, events) -> {};

  /** Receives each accepted command's fills, on the journal thread; must only hand them off. */
  @FunctionalInterface
  public interface TradeSink {
    /**
     * One command's fills.
     *
     * @param journalSeq the command's journal sequence
     * @param fills its fills, in order (not empty)
     */
    void accept(long journalSeq, List<SequencerEvent.Fill> fills);
  }

  /**
   * Receives every accepted command with its journal sequence and events, on the journal thread, in
   * journal order, before the submitter's answer is completed: the settlement's feed. Must only
   * hand the command off (it holds up the journal stage).
   */
  @FunctionalInterface
  public interface AcceptedSink {
    /**
     * One accepted, durable command.
     *
     * @param journalSeq its journal sequence
     * @param command the command
     * @param events its events, in order
     */
    void accept(long journalSeq, Command command, List<SequencerEvent> events);
  }

  /**
   * Where every accepted command goes (see {@link AcceptedSink}). Set once, before the first
   * submit.
   *
   * @param sink the receiver
   */
  public void onAcceptedCommands(AcceptedSink sink) {
    this.acceptedSink = Objects.requireNonNull(sink);
  }

  /**
   * Where the fills of each accepted command go. Set once, before the first submit.
   *
   * @param sink the receiver
   */
  public void onTrades(TradeSink sink) {
    this.tradeSink = Objects.requireNonNull(sink);
  }

  /**
   * A bridge; {@link #attach} the sequencer built with it as output before submitting.
   *
   * @param readModel the read model to update from accepted commands' events
   * @param maxInFlight the most commands waiting for an answer
   * @param timeoutMillis how long a caller waits before getting {@link RpcError#TIMEOUT}
   */
  public SequencerBridge(ReadModel readModel, int maxInFlight, long timeoutMillis) {
    this.readModel = Objects.requireNonNull(readModel);
    this.inFlight = new Semaphore(maxInFlight);
    this.timeoutMillis = timeoutMillis;
    this.completions = Executors.newSingleThreadExecutor(daemon("gateway-completion"));
    this.timeouts = Executors.newSingleThreadScheduledExecutor(daemon("gateway-timeouts"));
    timeouts.scheduleWithFixedDelay(
        this::expireOverdue, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.getAndIncrement());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Timeout thread: fails the callers past their deadline with {@link RpcError#TIMEOUT}. Their
   * commands stay pending: the journal stage may still apply them, and the in-flight budget is
   * returned only then.
   */
  private void expireOverdue() {
    long now = System.nanoTime();
    for (Pending p : pending.values()) {
      if (!p.future().isDone() && now - p.deadlineNanos() >= 0) {
        p.future()
            .completeExceptionally(
                new RpcException(
                    RpcError.TIMEOUT,
                    "no answer from the sequencer within "
                        + timeoutMillis
                        + " ms; the command may still be applied"));
      }
    }
  }

  /**
   * Connects the sequencer whose output this bridge is. Call once, before the first submit.
   *
   * @param sequencer the running sequencer
   */
  public void attach(Sequencer sequencer) {
    this.sequencer = Objects.requireNonNull(sequencer);
  }

  /**
   * Where the book changes of each accepted command go (called on the journal thread, must only
   * hand them off). Set once, before the first submit.
   *
   * @param sink the receiver
   */
  public void onBookChanges(java.util.function.Consumer<List<ReadModel.BookDelta>> sink) {
    this.bookSink = Objects.requireNonNull(sink);
  }

  /**
   * The read model this bridge maintains.
   *
   * @return the read model
   */
  public ReadModel readModel() {
    return readModel;
  }

  /**
   * Submits a command. Never blocks: refused at once when too many commands are in flight or the
   * bridge is closing. Any thread.
   *
   * @param command the command
   * @return the outcome, completed on the bridge's completion thread after the journal write;
   *     exceptionally with an {@link RpcException} (OVERLOADED, SHUTTING_DOWN, TIMEOUT)
   */
  public CompletableFuture<CommandOutcome> submit(Command command) {
    return submit(command, null);
  }

  /**
   * Submits a command whose answer is completed on the given executor: the caller's event loop,
   * which then builds and writes the response itself (one thread hand-off fewer than through the
   * completion thread). Otherwise as {@link #submit(Command)}. Any thread.
   *
   * @param command the command
   * @param completeOn where the outcome is completed; null for the bridge's completion thread (or
   *     when the executor refuses the task, e.g. an event loop that is shutting down)
   * @return the outcome
   */
  public CompletableFuture<CommandOutcome> submit(Command command, Executor completeOn) {
    Sequencer s = sequencer;
    if (closed || s == null) {
      return CompletableFuture.failedFuture(
          new RpcException(RpcError.SHUTTING_DOWN, "the gateway accepts no new commands"));
    }
    byte[] encoded = CommandCodec.encode(command);
    if (!inFlight.tryAcquire()) {
      return CompletableFuture.failedFuture(
          new RpcException(
              RpcError.OVERLOADED, "too many commands waiting for the sequencer; retry later"));
    }
    long id = nextRequestId.getAndIncrement();
    CompletableFuture<CommandOutcome> future = new CompletableFuture<>();
    pending.put(
        id,
        new Pending(
            command,
            future,
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis),
            completeOn));
    s.submit(id, encoded);
    return future;
  }

  /** Journal thread: hands the command to the {@link AcceptedSink}, then as below. */
  @Override
  public void onAccepted(
      long requestId, long journalSeq, Command command, List<SequencerEvent> events) {
    try {
      acceptedSink.accept(journalSeq, command, events);
    } catch (RuntimeException e) {
      LOG.error("the accepted-command sink failed on journal record {}", journalSeq, e);
    }
    accepted(requestId, journalSeq, command, events);
  }

  /**
   * Journal thread: applies the events to the read model, then completes the caller's future on the
   * completion thread.
   */
  @Override
  public void onAccepted(long requestId, long journalSeq, List<SequencerEvent> events) {
    accepted(requestId, journalSeq, null, events);
  }

  /**
   * As above; the read model gets {@code command}, or the caller's when null (so that a command not
   * submitted through the bridge, such as an L1 deposit, reaches it as on a replay).
   */
  private void accepted(
      long requestId, long journalSeq, Command command, List<SequencerEvent> events) {
    Pending p = pending.remove(requestId);
    try {
      Command known = command != null ? command : p == null ? null : p.command();
      List<ReadModel.BookDelta> deltas = readModel.apply(known, journalSeq, events);
      if (!deltas.isEmpty()) {
        bookSink.accept(deltas);
      }
      List<SequencerEvent.Fill> fills = null;
      for (SequencerEvent e : events) {
        if (e instanceof SequencerEvent.Fill f) {
          if (fills == null) {
            fills = new java.util.ArrayList<>();
          }
          fills.add(f);
        }
      }
      if (fills != null) {
        tradeSink.accept(journalSeq, fills);
      }
    } catch (RuntimeException e) {
      // never let a gateway bug stop the journal stage: the command is durable, answer it
      LOG.error("read model or stream update failed for journal record {}", journalSeq, e);
    }
    if (p != null) {
      inFlight.release();
      complete(p, new CommandOutcome.Accepted(journalSeq, List.copyOf(events)));
    }
  }

  /** Journal thread: writes the history entries of the group's records in one batch. */
  @Override
  public void onBatchEnd() {
    try {
      readModel.endOfBatch();
    } catch (RuntimeException e) {
      // the commands are durable; the history store catches up from the journal on restart
      LOG.error("history write failed at journal record {}", readModel.journalSeq(), e);
    }
  }

  /** Journal thread: completes the caller's future with the rejection. */
  @Override
  public void onRejected(long requestId, RejectReason reason, String message) {
    Pending p = pending.remove(requestId);
    if (p != null) {
      inFlight.release();
      complete(p, new CommandOutcome.Rejected(reason, message));
    }
  }

  /** Journal thread: hands the completion to the caller's executor, or to the completion thread. */
  private void complete(Pending p, CommandOutcome outcome) {
    Runnable task = () -> p.future().complete(outcome);
    if (p.completeOn() != null) {
      try {
        p.completeOn().execute(task);
        return;
      } catch (RejectedExecutionException e) {
        // the caller's event loop is shutting down: answer through the completion thread
      }
    }
    completions.execute(task);
  }

  /**
   * The number of commands waiting for an answer. Any thread.
   *
   * @return the count
   */
  public int inFlight() {
    return pending.size();
  }

  /**
   * Refuses new commands from now on. Call after the server stopped taking requests and before
   * closing the sequencer (which answers everything already submitted); then {@link #close}.
   */
  public void stopAccepting() {
    closed = true;
  }

  /**
   * Fails whatever is still pending with SHUTTING_DOWN and stops the completion thread. Call once,
   * after the sequencer was closed.
   */
  @Override
  public void close() {
    closed = true;
    for (Long id : pending.keySet()) {
      Pending p = pending.remove(id);
      if (p != null) {
        p.future()
            .completeExceptionally(
                new RpcException(RpcError.SHUTTING_DOWN, "the gateway shut down"));
      }
    }
    timeouts.shutdownNow();
    completions.shutdown();
    try {
      completions.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
