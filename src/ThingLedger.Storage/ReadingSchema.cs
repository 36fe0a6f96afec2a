namespace ThingLedger.Storage;

/// <summary>The SQLite schema of a reading store. The format id in meta is a contract.</summary>
internal static class ReadingSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS devices (
            ref INTEGER PRIMARY KEY,
            id  BLOB NOT NULL UNIQUE
        );

        CREATE TABLE IF NOT EXISTS schemas (
            ref     INTEGER PRIMARY KEY,
            id      TEXT NOT NULL,
            version INTEGER NOT NULL,
            UNIQUE (id, version)
        );

        -- Screening models that looked at readings ("id@version").
        CREATE TABLE IF NOT EXISTS models (
            ref  INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        );

        -- One signature over a device batch's readings; its readings point here.
        CREATE TABLE IF NOT EXISTS batches (
            ref       INTEGER PRIMARY KEY,
            device    INTEGER NOT NULL,
            first_seq INTEGER NOT NULL,
            last_seq  INTEGER NOT NULL,
            count     INTEGER NOT NULL,
            sig       BLOB NOT NULL
        );

        -- ingest: acceptance order at this node. vals: the reading's value section
        -- (varint count, zigzag values); the rest of its bytes are rebuilt from the columns.
        -- model: the screening model that looked at it (NULL: none); flags: what it raised
        -- (NULL: clean), kept so that an anchor rebuilt after a crash says the same.
        CREATE TABLE IF NOT EXISTS readings (
            ingest INTEGER PRIMARY KEY,
            device INTEGER NOT NULL,
            seq    INTEGER NOT NULL,
            ts     INTEGER NOT NULL,
            schema INTEGER NOT NULL,
            vals   BLOB NOT NULL,
            sig    BLOB,
            batch  INTEGER,
            model  INTEGER,
            flags  BLOB
        );
        CREATE UNIQUE INDEX IF NOT EXISTS readings_by_device ON readings (device, seq);
        CREATE INDEX IF NOT EXISTS readings_by_time ON readings (device, ts);

        CREATE TABLE IF NOT EXISTS anchors (
            first  INTEGER PRIMARY KEY,
            last   INTEGER NOT NULL,
            tx     BLOB NOT NULL,
            height INTEGER NOT NULL
        );
        """;
}
