package io.zkperp.sequencer.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkperp.sequencer.RandomCommands;
import io.zkperp.sequencer.command.Command;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Property: whatever the state, a rejected command changes no state and emits only Rejected. */
class RejectionLeavesNoTraceTest {
  @Property(tries = 8)
  void rejectedCommandsChangeNothing(@ForAll long seed) {
    EventCollector events = new EventCollector();
    SequencerCore core = SequencerCore.withDefaults(events);
    RandomCommands gen = new RandomCommands(seed, 15);
    int rejected = 0;
    for (int i = 0; i < 2_000; i++) {
      Command c = gen.next();
      String before = CoreState.hashHex(core);
      if (!core.apply(c)) {
        rejected++;
        assertThat(CoreState.hashHex(core)).as("after rejected %s", c).isEqualTo(before);
        List<SequencerEvent> ev = events.drain();
        assertThat(ev).hasSize(1);
        assertThat(ev.get(0)).isInstanceOf(SequencerEvent.Rejected.class);
        assertThat(((SequencerEvent.Rejected) ev.get(0)).message()).isNotBlank();
      } else {
        events.drain();
      }
    }
    assertThat(rejected).isGreaterThan(50);
  }
}
