package io.zkperp.sequencer.command;

/**
 * Advances the core's time; every order whose good-til time is at or below it is cancelled (reason
 * EXPIRED). Time never goes backwards. Immutable; any thread.
 *
 * @param time seconds since the Unix epoch
 */
public record Tick(long time) implements Command {}
