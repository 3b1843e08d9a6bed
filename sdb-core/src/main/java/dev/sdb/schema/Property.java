package dev.sdb.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Refines a column: maximum length, nullability, default, JSON. Without it a column takes its type
 * from the Java type (String, int/Integer, long/Long, BigInteger, boolean/Boolean, byte[]), is NOT
 * NULL, has no default, and strings hold up to {@link ModelSchema#DEFAULT_STRING_LENGTH}
 * characters.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Property {
  /** Marker for "no default". */
  String NO_DEFAULT = "\u0000";

  int maxLength() default ModelSchema.DEFAULT_STRING_LENGTH;

  boolean nullable() default false;

  /** The default, written as text and converted to the column type ("0", "true", "GNY"). */
  String defaultValue() default NO_DEFAULT;

  /** Store this String column as JSON text. */
  boolean json() default false;
}
