/**
 * Models and their schemas: typed columns, primary, composite and unique keys, indexes, defaults,
 * and the memory/normal flag. A model is declared either with annotations on a record or class
 * ({@link dev.sdb.schema.Model}) or with {@link dev.sdb.schema.ModelSchema#builder(String)}; both
 * produce the same immutable {@link dev.sdb.schema.ModelSchema}.
 */
@NullMarked
package dev.sdb.schema;

import org.jspecify.annotations.NullMarked;
