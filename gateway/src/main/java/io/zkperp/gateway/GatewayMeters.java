package io.zkperp.gateway;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.zkperp.gateway.bridge.SequencerBridge;
import io.zkperp.gateway.stream.BookFeed;
import io.zkperp.sequencer.journal.JournalSegments;
import io.zkperp.sequencer.journal.JournalWriter;
import io.zkperp.sequencer.journal.Snapshotter;
import java.util.function.ToDoubleFunction;

/**
 * The gateway's gauges and function counters (streams, pipeline, journal, snapshots), each with its
 * description, on the gateway's registry. Registered by the thread that starts the gateway; the
 * registry reads them when scraped.
 */
final class GatewayMeters {
  private final MeterRegistry metrics;

  GatewayMeters(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  /** Subscriber connections the book feed closed as slow consumers. */
  void streams(BookFeed feed) {
    counter(
        "gateway.stream.slow.consumers",
        feed,
        BookFeed::slowConsumerDisconnects,
        "subscriber connections closed with 1008 slow consumer");
  }

  /**
   * Queue depth and journal metrics: commands in flight, journal lag (appended but not yet fsynced
   * records), the last durable sequence number, group commits and the time spent in them.
   */
  void pipeline(SequencerBridge bridge, JournalWriter journal) {
    gauge(
        "gateway.commands.in.flight",
        bridge,
        SequencerBridge::inFlight,
        "commands submitted to the sequencer and not answered yet (queue depth)");
    gauge(
        "journal.lag.records",
        journal,
        j -> j.lastSeq() - j.committedSeq(),
        "journal records appended but not yet durable");
    gauge(
        "journal.committed.seq",
        journal,
        JournalWriter::committedSeq,
        "sequence number of the last durable journal record");
    counter(
        "journal.group.commits",
        journal,
        JournalWriter::commits,
        "group commits (one write + fsync each)");
    counter(
        "journal.commit.seconds",
        journal,
        j -> j.commitNanos() / 1e9,
        "time spent writing and fsyncing the journal");
    counter(
        "journal.slow.commits",
        journal,
        JournalWriter::slowCommits,
        "group commits that took 10 ms or more (the disk stalled every waiting order)");
    gauge(
        "journal.commit.longest.seconds",
        journal,
        j -> j.longestCommitNanos() / 1e9,
        "the longest group commit since the start");
    counter(
        "journal.segment.rotations",
        journal,
        JournalWriter::rotations,
        "journal segments started since the start");
    counter(
        "journal.directory.syncs.skipped",
        JournalSegments.class,
        c -> JournalSegments.directorySyncsSkipped(),
        "directory fsyncs skipped because the directory could not be opened (logged at WARN)");
  }

  /** Snapshot counters and pauses, when the setup has a snapshotter. */
  void snapshots(Snapshotter s) {
    counter("snapshot.written", s, Snapshotter::written, "snapshots written");
    counter(
        "snapshot.failures",
        s,
        Snapshotter::failures,
        "snapshots that failed (the journal still holds every record)");
    gauge(
        "snapshot.seq",
        s,
        Snapshotter::writtenSeq,
        "journal record the newest written snapshot ends at");
    gauge(
        "snapshot.core.pause.longest.seconds",
        s,
        x -> x.longestCorePauseNanos() / 1e9,
        "longest pause of the core thread to serialise the core for a snapshot");
    gauge(
        "snapshot.read.side.pause.longest.seconds",
        s,
        x -> x.longestReadSidePauseNanos() / 1e9,
        "longest pause of the journal thread to encode the read model for a snapshot");
    if (s.hasReplica()) {
      gauge(
          "snapshot.replica.lag.records",
          s.replica(),
          r -> r.lag(),
          "accepted commands handed to the snapshot replica and not yet applied");
      gauge(
          "snapshot.replica.handoff.longest.seconds",
          s.replica(),
          r -> r.longestHandOffNanos() / 1e9,
          "longest time the journal thread spent handing a command to the replica");
      gauge(
          "snapshot.replica.failed",
          s.replica(),
          r -> r.failed() ? 1 : 0,
          "1 once the snapshot replica stopped (no more snapshots until a restart)");
    }
    counter(
        "journal.segments.released",
        s,
        Snapshotter::releasedSegments,
        "journal segments deleted or archived once snapshots covered them");
  }

  /** A gauge: {@code value} of {@code obj} when read. */
  private <T> void gauge(String name, T obj, ToDoubleFunction<T> value, String description) {
    Gauge.builder(name, obj, value).description(description).register(metrics);
  }

  /** A function counter: the monotone {@code value} of {@code obj} when read. */
  private <T> void counter(String name, T obj, ToDoubleFunction<T> value, String description) {
    FunctionCounter.builder(name, obj, value).description(description).register(metrics);
  }
}
