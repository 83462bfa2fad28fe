/// The run database's schema for other modules (paper mode writes the same tables live): the statements
/// that make the tables and their indexes, and the `user_version` they stand for.
public enum RunSchema {
    public static var version: Int { Schema.version }
    public static var tables: String { Schema.tables }
    public static var indexes: String { Schema.indexes }
}
