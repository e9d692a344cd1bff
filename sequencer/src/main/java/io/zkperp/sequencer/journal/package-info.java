/**
 * Durability: {@link io.zkperp.sequencer.journal.JournalWriter} appends accepted commands with
 * group commit (one fsync per batch, before the batch is acknowledged), {@link
 * io.zkperp.sequencer.journal.JournalReader} replays them and tells a torn tail (discarded: never
 * acknowledged) from corruption in the middle (a typed {@link
 * io.zkperp.sequencer.journal.JournalCorruptedException}), {@link
 * io.zkperp.sequencer.journal.SnapshotStore} writes and loads core snapshots, and {@link
 * io.zkperp.sequencer.journal.Recovery} restarts a core: latest snapshot + journal replay.
 */
package io.zkperp.sequencer.journal;
