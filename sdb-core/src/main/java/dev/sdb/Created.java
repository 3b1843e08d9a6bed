package dev.sdb;

/** The result of {@code createOrLoad}: whether the entity was created, and the entity. */
public record Created<T>(boolean created, T entity) {}
