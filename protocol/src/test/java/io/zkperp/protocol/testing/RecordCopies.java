package io.zkperp.protocol.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;

/**
 * Copies of records with one component changed, for tests that vary each field in turn (e.g. a
 * signature must fail when any signed field changes). Stateless; any thread.
 */
public final class RecordCopies {
  private RecordCopies() {}

  /**
   * A copy of {@code record} with one component replaced, made through the canonical constructor
   * (so its checks apply: an exception it throws is rethrown as is).
   *
   * @param record the original
   * @param component the component's name, e.g. {@code "market"}
   * @param value the new value (boxed; widened to the component's type like a method argument)
   * @param <R> the record type
   * @return the copy
   * @throws IllegalArgumentException if the record has no such component
   */
  public static <R extends Record> R with(R record, String component, Object value) {
    RecordComponent[] rc = record.getClass().getRecordComponents();
    Object[] args = new Object[rc.length];
    Class<?>[] types = new Class<?>[rc.length];
    boolean found = false;
    try {
      for (int i = 0; i < rc.length; i++) {
        types[i] = rc[i].getType();
        boolean replaced = rc[i].getName().equals(component);
        found |= replaced;
        args[i] = replaced ? value : rc[i].getAccessor().invoke(record);
      }
      if (!found) {
        throw new IllegalArgumentException(
            record.getClass().getSimpleName() + " has no component " + component);
      }
      @SuppressWarnings("unchecked")
      R copy = (R) record.getClass().getDeclaredConstructor(types).newInstance(args);
      return copy;
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The names of a record type's components, in declaration order.
   *
   * @param type the record type
   * @return the names
   */
  public static String[] componentNames(Class<? extends Record> type) {
    RecordComponent[] rc = type.getRecordComponents();
    String[] names = new String[rc.length];
    for (int i = 0; i < rc.length; i++) {
      names[i] = rc[i].getName();
    }
    return names;
  }
}
