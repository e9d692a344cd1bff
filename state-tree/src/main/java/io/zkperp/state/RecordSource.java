package io.zkperp.state;

import io.zkperp.protocol.state.Account;
import io.zkperp.protocol.state.Fill;
import io.zkperp.protocol.state.GlobalState;
import io.zkperp.protocol.state.Market;
import io.zkperp.protocol.state.Position;

/** Where {@link StateQueries} reads records. Indices are validated by the caller. */
interface RecordSource {
  Account account(int id);

  Position position(int account, int market);

  Fill fill(int account, int slot);

  Market market(int id);

  GlobalState global();
}
