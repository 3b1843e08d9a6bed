package dev.sdb.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.jspecify.annotations.Nullable;

/**
 * The value types a column can hold, with the Java type SDB stores for each.
 *
 * <p>Every value that enters SDB is normalised to one Java type per column type, so that equality,
 * deltas and the database all agree: {@link #STRING} → {@link String}, {@link #INT} → {@link
 * Integer}, {@link #LONG} → {@link Long}, {@link #BIG_INTEGER} → {@link BigInteger}, {@link
 * #BOOLEAN} → {@link Boolean}, {@link #BYTES} → {@code byte[]} (copied in and out), {@link #JSON} →
 * {@link String} holding JSON text.
 */
public enum ColumnType {
  STRING,
  INT,
  LONG,
  /**
   * Exact integer of up to {@link #MAX_BIG_INTEGER_DIGITS} decimal digits; written as a decimal
   * string in deltas.
   */
  BIG_INTEGER,
  BOOLEAN,
  BYTES,
  /** JSON text; accepts a JSON string or any object Jackson can serialise. */
  JSON;

  /**
   * The most decimal digits a {@link #BIG_INTEGER} may have, whatever the database: what every
   * supported database stores exactly (MariaDB's {@code DECIMAL(65,0)} is the narrowest). A larger
   * value is refused when it is written, not when its block is flushed, where it could only fail
   * every flush from then on; and a chain can move between databases.
   */
  public static final int MAX_BIG_INTEGER_DIGITS = 65;

  private static final BigInteger MAX_BIG_INTEGER = BigInteger.TEN.pow(MAX_BIG_INTEGER_DIGITS)
      .subtract(BigInteger.ONE);

  private static final ObjectMapper JSON_MAPPER = new ObjectMapper();

  /** Whether {@code increase} may add to a column of this type. */
  public boolean isInteger() {
    return this == INT || this == LONG || this == BIG_INTEGER;
  }

  /** Whether this type can be part of a primary or unique key. */
  public boolean isKeyable() {
    return this != BYTES && this != JSON;
  }

  /**
   * Converts a caller's value to this type's Java representation.
   *
   * @throws IllegalArgumentException with a reason (without model or property names; the caller
   *     adds them) if the value has the wrong type, is not exact, or is too long
   */
  public Object coerce(Object value, int maxLength) {
    return switch (this) {
      case STRING -> {
        if (!(value instanceof CharSequence cs)) {
          throw wrongType(value, "a string");
        }
        String s = cs.toString();
        if (s.length() > maxLength) {
          throw new IllegalArgumentException(
              "string of length " + s.length() + " exceeds the maximum length " + maxLength);
        }
        requireStorable(s);
        yield s;
      }
      case INT -> {
        if (value instanceof Integer) {
          yield value; // (a caller's boxed value is kept, not boxed again)
        }
        long v = toLong(value, false);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
          throw new IllegalArgumentException(value + " does not fit an int column");
        }
        yield (int) v;
      }
      case LONG -> value instanceof Long ? value : toLong(value, false);
      case BIG_INTEGER -> requireDigits(toBigInteger(value, true), "");
      case BOOLEAN -> {
        if (!(value instanceof Boolean b)) {
          throw wrongType(value, "a boolean");
        }
        yield b;
      }
      case BYTES -> {
        if (!(value instanceof byte[] bytes)) {
          throw wrongType(value, "a byte[]");
        }
        yield bytes.clone();
      }
      case JSON -> toJsonText(value);
    };
  }

  /**
   * Adds {@code delta} to {@code current} exactly. Numeric strings are accepted as the delta.
   *
   * @throws IllegalArgumentException if this is not an integer type, the delta is not an integer,
   *     or the result overflows the column (int, long, or {@link #MAX_BIG_INTEGER_DIGITS} digits)
   */
  public Object add(@Nullable Object current, Object delta) {
    if (this == LONG && current instanceof Long c && (delta instanceof Long || delta instanceof Integer)) {
      try {
        return Math.addExact(c, ((Number) delta).longValue());
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("result of " + c + " + " + delta + " overflows a long column");
      }
    }
    BigInteger base = current == null ? BigInteger.ZERO : toBigInteger(current, false);
    BigInteger sum = base.add(toBigInteger(delta, true));
    return switch (this) {
      case INT -> {
        if (sum.bitLength() > 31) {
          throw new IllegalArgumentException("result " + sum + " overflows an int column");
        }
        yield sum.intValue();
      }
      case LONG -> {
        if (sum.bitLength() > 63) {
          throw new IllegalArgumentException("result " + sum + " overflows a long column");
        }
        yield sum.longValue();
      }
      case BIG_INTEGER -> requireDigits(sum, "result ");
      default -> throw new IllegalArgumentException("a " + this + " column cannot be increased");
    };
  }

  private static BigInteger requireDigits(BigInteger v, String what) {
    // 2^215 < 10^65 - 1 < 2^216: most values pass on their bit length alone.
    if (v.bitLength() > 215 && v.abs().compareTo(MAX_BIG_INTEGER) > 0) {
      throw new IllegalArgumentException(what + v + " has " + v.abs().toString().length()
          + " digits; a big integer column holds at most " + MAX_BIG_INTEGER_DIGITS);
    }
    return v;
  }

  private static long toLong(Object value, boolean acceptStrings) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    BigInteger big = toBigInteger(value, acceptStrings);
    if (big.bitLength() > 63) {
      throw new IllegalArgumentException(value + " does not fit a long column");
    }
    return big.longValue();
  }

  private static BigInteger toBigInteger(Object value, boolean acceptStrings) {
    if (value instanceof BigInteger b) {
      return b;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte) {
      return BigInteger.valueOf(((Number) value).longValue());
    }
    if (value instanceof BigDecimal d) {
      try {
        return d.toBigIntegerExact();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(d.toPlainString() + " is not an integer");
      }
    }
    if (acceptStrings && value instanceof CharSequence cs) {
      String s = cs.toString();
      if (!isDecimalInteger(s)) {
        throw new IllegalArgumentException("'" + s + "' is not a decimal integer");
      }
      return new BigInteger(s);
    }
    throw wrongType(value, acceptStrings ? "an integer or a decimal string" : "an integer");
  }

  private static boolean isDecimalInteger(String s) {
    int start = !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
    if (s.length() == start || s.length() - start > 10_000) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static String toJsonText(Object value) {
    if (value instanceof CharSequence cs) {
      String text = cs.toString();
      JsonSyntax.requireOneValue(text); // the text is kept as given
      return text;
    }
    String text;
    try {
      text = JSON_MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
    }
    requireStorable(text); // Jackson escapes NUL but writes a lone surrogate as it is
    return text;
  }

  /**
   * Rejects characters no database stores as given: NUL (PostgreSQL refuses it in text, so every
   * flush would fail) and a surrogate without its pair (UTF-8 cannot encode it: the database, the
   * log and the history would keep '?' instead, and a node that restarts would differ from one
   * that did not).
   */
  static void requireStorable(String s) {
    if (CharScan.mayHoldNulOrSurrogate(s)) {
      requirePairedAndNoNul(s);
    }
  }

  private static void requirePairedAndNoNul(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        throw new IllegalArgumentException("NUL character at index " + i
            + "; PostgreSQL cannot store it in text");
      }
      if (!Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
        continue;
      }
      throw new IllegalArgumentException("unpaired surrogate \\u"
          + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " at index " + i
          + "; UTF-8 cannot encode it, so it would be stored as '?'");
    }
  }

  private static IllegalArgumentException wrongType(Object value, String expected) {
    return new IllegalArgumentException(
        "expected " + expected + " but got " + value.getClass().getSimpleName() + " " + value);
  }
}
