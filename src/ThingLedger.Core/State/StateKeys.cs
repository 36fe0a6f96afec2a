using System.Text;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.State;

/// <summary>State keys are UTF-8 strings; the tree path of a key is SHA-256 of its bytes.</summary>
public static class StateKeys
{
    public const int MaxKeyBytes = 256;

    public static Hash HashKey(string key)
    {
        Span<byte> buffer = key.Length <= MaxKeyBytes ? stackalloc byte[MaxKeyBytes * 3] : new byte[Encoding.UTF8.GetByteCount(key)];
        var length = Encoding.UTF8.GetBytes(key, buffer);
        return Hash.Sha256(buffer[..length]);
    }
}

/// <summary>Read access to committed state, as execution sees it.</summary>
public interface IStateReader
{
    /// <summary>The committed value at <paramref name="key"/>, or null when absent.</summary>
    byte[]? Get(string key);
}

/// <summary>One key's new value, or null when the key is deleted: what executing a block hands to storage.</summary>
public readonly record struct StateChange(string Key, byte[]? Value);
