namespace ThingLedger.Storage;

/// <summary>The data directory cannot be used as it is (corrupt, foreign, or from a newer format).</summary>
public class StorageException(string message, Exception? inner = null) : Exception(message, inner);
