package dev.sdb.schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a record or class as an SDB model. Its record components (or non-static fields) are the
 * columns, in declaration order; {@link Id}, {@link Property}, {@link Unique} and {@link Indexed}
 * refine them. A component named {@code _version_} (long) is not a column of its own: it receives
 * the entity's version when SDB maps a row back to the type.
 *
 * {@snippet :
 * @Model(memory = true)
 * record Account(
 *     @Id @Property(maxLength = 50) String address,
 *     @Unique @Property(maxLength = 20, nullable = true) String username,
 *     @Property(defaultValue = "0") BigInteger gny) {}
 * }
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Model {
  /** The model name; defaults to the simple class name. */
  String name() default "";

  /** The table name; defaults to the model name in snake case. */
  String table() default "";

  /** Keep every entity in memory (loaded at start-up) instead of a bounded cache. */
  boolean memory() default false;

  /** Cache bound of a normal model; 0 means {@link ModelSchema#DEFAULT_MAX_CACHED}. */
  int maxCached() default 0;

  /** Composite unique keys (single-column ones are easier with {@link Unique}). */
  Columns[] uniqueKeys() default {};

  /** Composite indexes (single-column ones are easier with {@link Indexed}). */
  Columns[] indexes() default {};

  /** A list of column names, for composite keys and indexes. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({})
  @interface Columns {
    String[] value();
  }
}
