package io.zkperp.gateway.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.zkperp.gateway.bridge.ReadModel;
import io.zkperp.gateway.rpc.Params;
import io.zkperp.gateway.rpc.RpcMethod;
import io.zkperp.gateway.stream.AccountJson;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@code perp_getAccount}: an account's collateral, positions and margin figures, from the read
 * model (rebuilt from the risk engine's records). An account never seen gives zeros. Private: the
 * account's read grant is checked first ({@link ReadGrants}), on every call. The answer is
 * serialized once per account view (equal sequence, collateral, positions and margin figures) and
 * reused until the view changes ({@link JournalSeqAnswer}); at most {@link #MAX_KEPT} accounts'
 * answers are kept, all dropped when full. Netty threads, any number at once.
 */
public final class GetAccountMethod extends PrivateAccountMethod {
  /** The most accounts whose answer is kept. */
  static final int MAX_KEPT = 65_536;

  private final Map<Integer, Kept> kept = new ConcurrentHashMap<>();

  /** An answer and the view it shows (its journalSeq aside). */
  private record Kept(ReadModel.AccountView view, JournalSeqAnswer answer) {
    boolean shows(ReadModel.AccountView v) {
      return view.sequence() == v.sequence()
          && view.collateral() == v.collateral()
          && view.positions().equals(v.positions())
          && Objects.equals(view.margin(), v.margin());
    }
  }

  /**
   * The method.
   *
   * @param readModel the read model
   * @param grants checks the account's read grant
   */
  public GetAccountMethod(ReadModel readModel, ReadGrants grants) {
    super(RpcMethod.GET_ACCOUNT, readModel, grants);
  }

  @Override
  Supplier<JsonNode> request(int account, Params p) {
    return () -> answer(account);
  }

  private JsonNode answer(int account) {
    ReadModel.AccountView v = readModel.account(account);
    Kept k = kept.get(account);
    if (k == null || !k.shows(v)) {
      k = new Kept(v, JournalSeqAnswer.of(AccountJson.write(Json.object(), v)));
      if (kept.size() >= MAX_KEPT) {
        kept.clear();
      }
      kept.put(account, k);
    }
    return k.answer().with(v.journalSeq());
  }
}
