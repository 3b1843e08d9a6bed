package dev.sdb.schema;

import java.util.List;

/** A non-unique database index over one or more columns; it speeds up reader queries. */
public record Index(String name, List<Column> columns) {
  public Index {
    columns = List.copyOf(columns);
  }
}
