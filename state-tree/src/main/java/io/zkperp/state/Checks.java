package io.zkperp.state;

/** Index validation with {@link StateError#INDEX_OUT_OF_RANGE} errors. */
final class Checks {
  private Checks() {}

  static void account(int id) {
    if (id < 0 || id >= TreeKind.ACCOUNTS.capacity()) {
      throw new StateStoreException(
          StateError.INDEX_OUT_OF_RANGE,
          "account id "
              + id
              + " is out of range: the accounts tree has depth 24, ids are 0 .. "
              + (TreeKind.ACCOUNTS.capacity() - 1));
    }
  }

  static void market(int id) {
    if (id < 0 || id >= TreeKind.MARKETS.capacity()) {
      throw new StateStoreException(
          StateError.INDEX_OUT_OF_RANGE,
          "market id "
              + id
              + " is out of range: the markets tree has depth 6, ids are 0 .. "
              + (TreeKind.MARKETS.capacity() - 1));
    }
  }

  static void slot(int slot) {
    if (slot < 0 || slot >= TreeKind.FILLS.capacity()) {
      throw new StateStoreException(
          StateError.INDEX_OUT_OF_RANGE,
          "fill slot "
              + slot
              + " is out of range: the fills tree has depth 16, slots are 0 .. "
              + (TreeKind.FILLS.capacity() - 1));
    }
  }
}
