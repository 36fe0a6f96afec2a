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

        -- One row per accepted upload item: a reading with its own signature, or a device batch
        -- (one signature over its readings' Merkle root). Its readings have the consecutive
        -- ingest numbers first .. first + count - 1 (ingest: acceptance order at this node).
        -- seq, ts: the first reading's sequence and the earliest timestamp; seq_span, ts_span:
        -- how far the last sequence and the latest timestamp lie beyond them (0 for one reading,
        -- which SQLite stores in no bytes). batch: 1 when sig is a device batch's signature.
        -- body: per reading, in sequence order (ReadingItems): varint sequence step, zigzag
        -- timestamp step, varint schema ref, varint model ref (0: not screened), then when
        -- screened the flags as length-prefixed bytes (empty: clean), then the reading's value
        -- section (varint count, zigzag values). The rest of a reading's bytes are rebuilt.
        CREATE TABLE IF NOT EXISTS items (
            first    INTEGER PRIMARY KEY,
            device   INTEGER NOT NULL,
            seq      INTEGER NOT NULL,
            seq_span INTEGER NOT NULL,
            count    INTEGER NOT NULL,
            ts       INTEGER NOT NULL,
            ts_span  INTEGER NOT NULL,
            batch    INTEGER NOT NULL,
            sig      BLOB NOT NULL,
            body     BLOB NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS items_by_device ON items (device, seq);

        -- Items uploaded as a historic import (older than the node's freshness window), by their
        -- first ingest number, with the address of the custodian org's operator who authorised it.
        CREATE TABLE IF NOT EXISTS historic (
            first    INTEGER PRIMARY KEY,
            operator BLOB NOT NULL
        );

        CREATE TABLE IF NOT EXISTS anchors (
            first  INTEGER PRIMARY KEY,
            last   INTEGER NOT NULL,
            tx     BLOB NOT NULL,
            height INTEGER NOT NULL
        );
        """;
}
