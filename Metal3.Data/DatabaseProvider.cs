namespace Metal3.Data;

public enum DatabaseProvider { Sqlite, Postgres }
