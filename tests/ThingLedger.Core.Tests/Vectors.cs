using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Tests;

/// <summary>Deterministic keys for fixed test vectors (also written down in docs/WIRE-FORMAT.md).</summary>
internal static class Vectors
{
    /// <summary>The key whose private scalar is 0x00…01 ‖ n: scalar byte 31 = n.</summary>
    public static KeyPair Key(byte n)
    {
        var d = new byte[32];
        d[31] = n;
        return KeyPair.FromPrivateScalar(d);
    }
}
