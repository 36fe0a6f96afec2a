namespace ThingLedger.Storage;

/// <summary>The SQLite schema of a ledger database. The format id in meta is a contract.</summary>
internal static class Schema
{
    public const string Format = "thingledger-ledger/3";

    /// <summary>The format before the activity index kept one row per (topic, block); converted on open.</summary>
    public const string Format2 = "thingledger-ledger/2";

    /// <summary>Meta key set once the activity index covers every stored block (older databases are indexed on open).</summary>
    public const string ActivityIndexed = "activity_indexed";

    public const string Create = $"""
        CREATE TABLE IF NOT EXISTS meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS blocks (
            height      INTEGER PRIMARY KEY,
            hash        BLOB NOT NULL UNIQUE,
            header      BLOB NOT NULL,
            certificate BLOB NOT NULL,
            tx_count    INTEGER NOT NULL,
            timestamp   INTEGER NOT NULL
        );

        -- A tx is stored at its position; the same id can appear twice only if a
        -- replay was ordered (it then fails with NONCE_MISMATCH): lookups take the first.
        CREATE TABLE IF NOT EXISTS txs (
            height  INTEGER NOT NULL,
            idx     INTEGER NOT NULL,
            id      BLOB NOT NULL,
            signer  BLOB NOT NULL,
            status  INTEGER NOT NULL,
            raw     BLOB NOT NULL,
            receipt BLOB NOT NULL,
            PRIMARY KEY (height, idx)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS txs_by_id ON txs (id);
        CREATE INDEX IF NOT EXISTS txs_by_signer ON txs (signer, height);

        -- The activity index (see CreateActivity), written in the block's transaction.
        {CreateActivity}

        CREATE TABLE IF NOT EXISTS state (
            key   TEXT PRIMARY KEY,
            value BLOB NOT NULL
        ) WITHOUT ROWID;
        """;

    /// <summary>
    /// The activity index: per topic (ActivityTopics: kind byte ‖ address or symbol bytes) and
    /// block, the positions of the block's txs whose events name the topic, ascending, each as a
    /// varint of its distance from the one before minus one (the first from −1).
    /// </summary>
    public const string CreateActivity = """
        CREATE TABLE IF NOT EXISTS activity (
            topic     BLOB NOT NULL,
            height    INTEGER NOT NULL,
            positions BLOB NOT NULL,
            PRIMARY KEY (topic, height)
        ) WITHOUT ROWID;
        """;
}
