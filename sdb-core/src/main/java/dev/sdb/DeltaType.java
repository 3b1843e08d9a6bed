package dev.sdb;

/** The kind of a {@link Delta}, with the type numbers of the public JSON format. */
public enum DeltaType {
  /** A new entity: every property with its {@code current} value, {@code dbVersion} 1. */
  NEW(1),
  /** A modification: changed properties with {@code current} and {@code original}, then {@code _version_}. */
  MODIFY(2),
  /** A deletion: every property with its {@code original} value. */
  DELETE(3);

  private final int code;

  DeltaType(int code) {
    this.code = code;
  }

  /** The number written as {@code "type"} in JSON. */
  public int code() {
    return code;
  }

  public static DeltaType ofCode(int code) {
    return switch (code) {
      case 1 -> NEW;
      case 2 -> MODIFY;
      case 3 -> DELETE;
      default -> throw new IllegalArgumentException("unknown delta type " + code);
    };
  }
}
